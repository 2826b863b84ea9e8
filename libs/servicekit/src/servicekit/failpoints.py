"""Failpoints: drill-only switches that crash a process at one exact point of its work.

A crash "somewhere in the relay" is luck; a crash between Kafka's ack and the mark of the
rows is the one fault the outbox's re-send exists for, and `make drill` must hit it every
time. Like TiKV's fail-rs or FreeBSD's fail points, a failpoint is off unless its setting
is given, is read once when the process starts, and costs one `is None` check when off.
Never set in production: the settings refuse to start with one there.

`ASN_FAILPOINT_RELAY_CRASH_AFTER_SEND=<n>`: after the n-th batch Kafka acknowledged and
before its rows are marked published, the process exits at once (`os._exit`, no clean-up,
as SIGKILL would). With `ASN_FAILPOINT_RELAY_CRASH_FILE=<path>` it is armed only while that
file exists: batches count from when the file is first seen, and the file is deleted as the
failpoint fires, so a supervisor's restart of the process runs clean (one crash per file).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from servicekit.logging import get_logger

log = get_logger(__name__)

EXIT_CODE = 86
"""The exit status of a process a failpoint ended: the supervisor's log line names it."""


class _Settings(Protocol):
    @property
    def failpoint_relay_crash_after_send(self) -> int | None: ...
    @property
    def failpoint_relay_crash_file(self) -> Path | None: ...


@dataclass
class RelayCrashAfterSend:
    """Exits the process after the n-th acknowledged batch, before the mark."""

    after_batches: int
    armed_file: Path | None = None
    exit: Callable[[int], object] = field(default=os._exit)
    """`os._exit`; a test gives something that raises instead."""
    seen: int = 0

    @classmethod
    def from_settings(cls, settings: _Settings) -> RelayCrashAfterSend | None:
        after = settings.failpoint_relay_crash_after_send
        if after is None:
            return None
        return cls(after_batches=after, armed_file=settings.failpoint_relay_crash_file)

    def batch_acknowledged(self, rows: int) -> None:
        """The relay's hook: Kafka has the batch, its rows are not marked yet."""
        if self.armed_file is not None and not self.armed_file.exists():
            return
        self.seen += 1
        if self.seen < self.after_batches:
            return
        if self.armed_file is not None:
            self.armed_file.unlink(missing_ok=True)
        log.warning(
            "failpoint relay_crash_after_send fired: exiting before marking the batch",
            rows=rows,
            batch=self.seen,
            exit_code=EXIT_CODE,
        )
        sys.stdout.flush()  # os._exit skips the buffers; the line above names the crash
        sys.stderr.flush()
        self.exit(EXIT_CODE)
