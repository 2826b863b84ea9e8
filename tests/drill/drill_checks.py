"""The drill's verdict, apart from any process: every request and its answer against what
the topics, the services' tables, the read model and the replicas finally hold (Jepsen's
check, per fault)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Effect = tuple[str, str]
"""(kind, subject): e.g. ("registration", "<nip>"), ("check-in", "<nip>")."""

RECOVER_LIMIT_S = 60.0
"""The stated time: after a fault ends (or the workload's last answer, if later), every
consumer must hold every acknowledged effect within this, or the drill fails."""

TOPIC = "topic"
"""The place of a command's event: counted by distinct event id on its topic."""


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
    """What the system holds after the fault, per (kind, subject): the event ids on the
    topics (a re-sent event repeats its id) and the effects counted in every other place
    (the service's tables, the read model, each replica); `expected` names, per kind, the
    places its effect must show in (TOPIC among them when the kind publishes)."""

    events: Mapping[Effect, Sequence[str]]
    applied: Mapping[str, Mapping[Effect, int]]
    expected: Mapping[str, Sequence[str]]

    def counts(self, op: Op) -> dict[str, int]:
        """How many times `op` took effect in each place it must show in."""
        effect = (op.kind, op.subject)
        out: dict[str, int] = {}
        for place in self.expected[op.kind]:
            if place == TOPIC:
                out[place] = len(set(self.events.get(effect, ())))
            else:
                out[place] = self.applied.get(place, {}).get(effect, 0)
        return out

    def missing(self, op: Op) -> list[str]:
        """The places that do not (yet) show `op`."""
        return [place for place, n in self.counts(op).items() if n == 0]


@dataclass(frozen=True)
class Row:
    fault: str
    sent: int
    acknowledged: int
    failed: int
    lost: int
    """Acknowledged, yet missing in one of its places: no event on the topic, or no effect
    in the service's tables, the read model or a replica."""
    duplicated: int
    """Two effects of one command in one place: two distinct events, two rows, two
    applications downstream."""
    resent: int
    """Repeats of one event id on a topic: allowed, and absorbed by the consumers."""
    failed_with_effect: int
    """Not acknowledged but applied once: allowed (the retry settles it), never twice."""
    retries: int
    recover_s: float | None
    """From the fault's end, or the workload's last answer if later, until every place held
    every acknowledged effect."""

    @property
    def recovered(self) -> bool:
        # None: never caught up within the settle timeout, which shows as lost effects.
        return self.recover_s is None or self.recover_s <= RECOVER_LIMIT_S

    @property
    def passed(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.recovered


def tally(fault: str, ops: Iterable[Op], found: Found, recover_s: float | None) -> Row:
    ops = list(ops)
    lost = duplicated = resent = failed_with_effect = 0
    for op in ops:
        counts = found.counts(op)
        ids = found.events.get((op.kind, op.subject), ())
        resent += len(ids) - len(set(ids))
        if any(n > 1 for n in counts.values()):
            duplicated += 1
        if op.acknowledged and any(n == 0 for n in counts.values()):
            lost += 1
        if not op.acknowledged and any(counts.values()):
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
