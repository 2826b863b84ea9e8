"""A clock the end-to-end tests can move in a running process (dev and test only).

With `ASN_TEST_CLOCK=true` the service reads the time from here, and `/testing/clock` and
`/testing/sla-sweep` exist; the settings refuse the switch in production.
"""

from __future__ import annotations

from datetime import UTC, datetime


class SettableClock:
    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)
