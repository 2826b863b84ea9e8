"""The supervisor's policy, apart from any process: when to restart, and when to give up.

It follows systemd's `Restart=on-failure` with `StartLimitBurst`/`StartLimitIntervalSec`:
an exited process is started again after a backoff that doubles with each exit in a row
(and resets once a run has lasted a while), and a process that fails at start-up
`start_limit_burst` times within `start_limit_interval_s` is given up on, so a broken
configuration does not spin for ever while the others keep serving.
"""

from __future__ import annotations

import signal
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    backoff_initial_s: float = 0.5
    backoff_factor: float = 2.0
    backoff_max_s: float = 30.0
    stable_after_s: float = 30.0
    """A run that served at least this long was healthy: the next exit starts from the
    initial backoff again (a SIGKILL a day is not a crash loop)."""
    start_limit_burst: int = 5
    start_limit_interval_s: float = 120.0
    start_timeout_s: float = 120.0
    """A process not answering /health/live this long after its start failed to start
    (systemd's TimeoutStartSec): it is killed and counted as a start-up failure."""

    def __post_init__(self) -> None:
        if self.backoff_initial_s < 0 or self.backoff_max_s < self.backoff_initial_s:
            raise ValueError("backoff: 0 <= initial <= max")
        if self.backoff_factor < 1:
            raise ValueError("backoff factor must be at least 1")
        if self.start_limit_burst < 1:
            raise ValueError("start_limit_burst must be at least 1")


@dataclass(frozen=True)
class Restart:
    delay_s: float
    attempt: int
    """Exits in a row since the last stable run (1 for the first)."""


@dataclass(frozen=True)
class GiveUp:
    failures: int
    window_s: float


Decision = Restart | GiveUp


class RestartHistory:
    """One supervised process's exits, deciding what follows each."""

    def __init__(self, policy: RestartPolicy) -> None:
        self.policy = policy
        self._start_failures: deque[float] = deque()
        self._in_a_row = 0

    def exited(self, *, at: float, started_at: float, became_ready: bool) -> Decision:
        """`at` and `started_at` on one monotonic clock; `became_ready`: it answered once."""
        policy = self.policy
        if became_ready:
            # It got past start-up: whatever it did before is not a start-up crash loop.
            self._start_failures.clear()
            if at - started_at >= policy.stable_after_s:
                self._in_a_row = 0
        else:
            self._start_failures.append(at)
            while self._start_failures and at - self._start_failures[0] > (
                policy.start_limit_interval_s
            ):
                self._start_failures.popleft()
            if len(self._start_failures) >= policy.start_limit_burst:
                return GiveUp(len(self._start_failures), policy.start_limit_interval_s)
        delay = min(
            policy.backoff_max_s,
            policy.backoff_initial_s * policy.backoff_factor**self._in_a_row,
        )
        self._in_a_row += 1
        return Restart(delay, self._in_a_row)


def describe_exit(returncode: int | None) -> str:
    """`returncode` as subprocess gives it: negative for a signal, None when not ours to reap."""
    if returncode is None:
        return "exited (status unknown: not started by this supervisor)"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}"
    return f"exited with code {returncode}"
