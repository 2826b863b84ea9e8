"""The supervisor's policy, apart from any process: when to restart, when to give up, and
when a process that is still there counts as hung.

It follows systemd's `Restart=on-failure` with `StartLimitBurst`/`StartLimitIntervalSec`:
an exited process is started again after a backoff that doubles with each exit in a row
(and resets once a run has lasted a while), and a process that fails at start-up
`start_limit_burst` times within `start_limit_interval_s` is given up on, so a broken
configuration does not spin for ever while the others keep serving.

A process can also hang without exiting (a deadlock, an event loop blocked, SIGSTOP): like
Kubernetes' livenessProbe, once it has answered, it is asked `/health/live` every
`period_s`, and `failure_threshold` misses in a row mark it for a SIGKILL, after which the
exit path above restarts it.

Every number is a setting: `ASN_SUPERVISOR_<FIELD>` (e.g. `ASN_SUPERVISOR_START_TIMEOUT_S`,
`ASN_SUPERVISOR_LIVENESS_PERIOD_S`), read by `from_env`.
"""

from __future__ import annotations

import dataclasses
import math
import signal
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar


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
        if self.start_timeout_s <= 0:
            raise ValueError("start_timeout_s must be more than 0")

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> RestartPolicy:
        return _from_env(cls, "ASN_SUPERVISOR_", environ)


@dataclass(frozen=True)
class LivenessPolicy:
    """Kubernetes' livenessProbe for the local suite. The defaults are the k8s manifests'
    timeout and failure threshold with half their period: a hung process is back in about
    15 s, and a healthy one on a loaded two-core machine still answers 3 s probes."""

    period_s: float = 5.0
    """How often a process that answered once is asked /health/live; 0 turns probing off
    (e.g. while a debugger holds a service at a breakpoint)."""
    timeout_s: float = 3.0
    failure_threshold: int = 3
    """Misses (timeout, refused, non-200) in a row before the process is killed."""

    def __post_init__(self) -> None:
        if self.period_s < 0:
            raise ValueError("liveness period_s must be 0 (off) or more")
        if self.timeout_s <= 0:
            raise ValueError("liveness timeout_s must be more than 0")
        if self.failure_threshold < 1:
            raise ValueError("liveness failure_threshold must be at least 1")

    @property
    def enabled(self) -> bool:
        return self.period_s > 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LivenessPolicy:
        return _from_env(cls, "ASN_SUPERVISOR_LIVENESS_", environ)


class LivenessCount:
    """One run's probe answers, counting the misses in a row."""

    def __init__(self, policy: LivenessPolicy) -> None:
        self.policy = policy
        self.misses = 0

    def answered(self, ok: bool) -> bool:
        """Record one probe; True when the misses in a row reached the threshold."""
        self.misses = 0 if ok else self.misses + 1
        return self.misses >= self.policy.failure_threshold

    def reset(self) -> None:
        self.misses = 0


P = TypeVar("P", RestartPolicy, LivenessPolicy)


def _from_env(cls: type[P], prefix: str, environ: Mapping[str, str]) -> P:
    """The policy with each field `name` overridden by `<prefix><NAME>` when that is set."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        variable = f"{prefix}{item.name.upper()}"
        raw = environ.get(variable, "").strip()
        if not raw:
            continue
        whole = isinstance(item.default, int)
        try:
            value = int(raw) if whole else float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            noun = "a whole number" if whole else "a number"
            raise ValueError(f"{variable}={raw!r} is not {noun}")
        values[item.name] = value
    try:
        return cls(**values)
    except ValueError as exc:
        raise ValueError(f"{prefix}*: {exc}") from None


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
