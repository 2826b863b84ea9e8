"""The drill's verdict, apart from any process: every request and its answer against what
the topics and the read model finally hold (Jepsen's check, per fault)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Effect = tuple[str, str]
"""(kind, subject): e.g. ("registration", "<nip>"), ("check-in", "<nip>")."""


@dataclass
class Op:
    """One command of the workload, retried with one Idempotency-Key until it settles."""

    kind: str
    subject: str
    key: str
    attempts: int = 0
    status: int | None = None
    """The last answer's HTTP status; None when the last try got no answer."""
    errors: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Found:
    """What the system holds after the fault: event ids on the topics (a re-sent event
    repeats its id) and the effects applied in the read model, per (kind, subject)."""

    events: Mapping[Effect, Sequence[str]]
    read_model: Mapping[Effect, int]


@dataclass(frozen=True)
class Row:
    fault: str
    sent: int
    acknowledged: int
    failed: int
    lost: int
    """Acknowledged, yet no event on the topic or no effect in the read model."""
    duplicated: int
    """Two effects of one command: two distinct events, or two applications downstream."""
    resent: int
    """Repeats of one event id on a topic: allowed, and absorbed by the consumers."""
    failed_with_effect: int
    """Not acknowledged but applied once: allowed (the retry settles it), never twice."""
    retries: int
    recover_s: float | None
    """From the fault's end until the read model held every acknowledged effect."""

    @property
    def passed(self) -> bool:
        return self.lost == 0 and self.duplicated == 0


def tally(fault: str, ops: Iterable[Op], found: Found, recover_s: float | None) -> Row:
    ops = list(ops)
    lost = duplicated = resent = failed_with_effect = 0
    for op in ops:
        ids = found.events.get((op.kind, op.subject), ())
        distinct = len(set(ids))
        applied = found.read_model.get((op.kind, op.subject), 0)
        resent += len(ids) - distinct
        if distinct > 1 or applied > 1:
            duplicated += 1
        if op.acknowledged and (distinct == 0 or applied == 0):
            lost += 1
        if not op.acknowledged and (distinct or applied):
            failed_with_effect += 1
    acknowledged = sum(op.acknowledged for op in ops)
    return Row(
        fault=fault,
        sent=len(ops),
        acknowledged=acknowledged,
        failed=len(ops) - acknowledged,
        lost=lost,
        duplicated=duplicated,
        resent=resent,
        failed_with_effect=failed_with_effect,
        retries=sum(max(op.attempts - 1, 0) for op in ops),
        recover_s=recover_s,
    )


COLUMNS = (
    ("fault", 34),
    ("sent", 5),
    ("acked", 6),
    ("failed", 6),
    ("lost", 5),
    ("dup", 4),
    ("resent", 6),
    ("retries", 7),
    ("recover", 8),
    ("verdict", 7),
)


def table(rows: Sequence[Row]) -> str:
    """The per-fault table the drill prints (lost and dup must be 0)."""

    def line(cells: Sequence[str]) -> str:
        return (
            "| " + " | ".join(c.ljust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)) + " |"
        )

    out = [line([name for name, _ in COLUMNS]), line(["-" * w for _, w in COLUMNS])]
    for r in rows:
        recover = "-" if r.recover_s is None else f"{r.recover_s:.1f} s"
        out.append(
            line(
                [
                    r.fault,
                    str(r.sent),
                    str(r.acknowledged),
                    str(r.failed),
                    str(r.lost),
                    str(r.duplicated),
                    str(r.resent),
                    str(r.retries),
                    recover,
                    "ok" if r.passed else "FAILED",
                ]
            )
        )
    return "\n".join(out)
