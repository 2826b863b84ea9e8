"""The drill's mixed workload, one entry per kind of command: how it is sent through the
gateway, which event proves it on which topic, and how its effect is counted in the
service's own tables, in the gateway's read model and in every replica that consumes it.

Adding a kind is one `Kind` in KINDS (and its name in a scenario of SCENARIOS). Every
probe answers, per NIP, how many times the command took effect there: 1 is right, 0 is
lost (when acknowledged), 2 or more is a duplicate. A replica that keeps a snapshot
(presensi's and kinerja's copy of pegawai's employee) counts the command applied once its
`sequence` reached the event's; a snapshot applied twice cannot differ from once.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg
from drill_checks import TOPIC, Effect, Op
from suite_commands import BKPSDM, employee_body

# Last year: already over, so its annual appraisal may be opened and finalized (a year
# written here would be over-old for kinerja one day).
SKP_YEAR = date.today().year - 1
VALUES = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
_serials = itertools.count(1)


def new_nip() -> str:
    """A fresh, well-formed NIP (birth date, CPNS TMT 2010, sex, serial)."""
    birth = date(1975 + random.randrange(20), 1 + random.randrange(12), 1 + random.randrange(28))
    return f"{birth:%Y%m%d}2010011{next(_serials) % 1000:03d}"


@dataclass
class Context:
    """One drill's data: its unit, the supervisor everyone reports to, today (WIB), and the
    answers of the acknowledged commands (a later step needs the SKP's or the request's id)."""

    unit: str
    boss: str
    today: date
    answers: dict[Effect, Any] = field(default_factory=dict)

    def answer(self, kind: str, nip: str) -> Any:
        return self.answers[(kind, nip)]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any
    actor: str
    roles: tuple[str, ...] = ("pegawai",)


@dataclass(frozen=True)
class Probe:
    """Where one effect of a kind is counted: a place's name, its database, and a query
    taking the NIPs ($1) and answering (nip, count)."""

    place: str
    database: str
    sql: str


@dataclass(frozen=True)
class Kind:
    name: str
    request: Callable[[Context, str], Request]
    probes: tuple[Probe, ...]
    topic: str | None = None
    event_type: str | None = None
    """None for a command that publishes nothing (a draft): its effect is in the service only."""

    @property
    def places(self) -> tuple[str, ...]:
        own = (TOPIC,) if self.event_type else ()
        return own + tuple(p.place for p in self.probes)


def _count(table: str, where: str = "true") -> str:
    # Names and conditions are this module's constants; the NIPs go in as the parameter $1.
    select = f"SELECT nip, count(*) FROM {table} "  # noqa: S608 - constants only
    return select + f"WHERE nip = ANY($1) AND {where} GROUP BY nip"


def _history(schema_table: str, event_type: str, distinct_event: bool = False) -> str:
    counted = "count(DISTINCT event_id)" if distinct_event else "count(*)"
    select = f"SELECT nip, {counted} FROM {schema_table} "  # noqa: S608 - constants only
    return select + (
        f"WHERE nip = ANY($1) AND field = 'golongan' AND event_type = '{event_type}' GROUP BY nip"
    )


REGISTERED = "pegawai.employee.registered.v1"
PROMOTED = "pegawai.employee.promoted.v1"


def _replicas(sequence: int) -> tuple[Probe, ...]:
    """presensi's and kinerja's copy of the employee, at least at pegawai's `sequence`."""
    return (
        Probe("presensi replica", "presensi", _count("employee", f"sequence >= {sequence}")),
        Probe("kinerja replica", "kinerja", _count("employee", f"source_sequence >= {sequence}")),
    )


def _rating() -> dict[str, Any]:
    return {
        "rating_hasil_kerja": "sesuai_ekspektasi",
        "perilaku": [
            {"value": v, "rating": "sesuai_ekspektasi", "note": "Konsisten."} for v in VALUES
        ],
    }


def _skp_body() -> dict[str, Any]:
    return {
        "year": SKP_YEAR,
        "rhk": [
            {
                "kind": "utama",
                "title": "Layanan administrasi kepegawaian",
                "indicators": [
                    {"aspect": "kuantitas", "description": "Berkas", "target": "200 berkas"},
                    {"aspect": "waktu", "description": "Selesai", "target": "12 bulan"},
                ],
            }
        ],
    }


def _self_assessment(ctx: Context, nip: str) -> Request:
    skp = ctx.answer("skp-draft", nip)
    appraisal = ctx.answer("appraisal-open", nip)
    results = [
        {"rhk_id": r["id"], "realisasi": "214 berkas", "evidence_links": []} for r in skp["rhk"]
    ]
    return Request(
        "PUT", f"/api/appraisals/{appraisal['id']}/self-assessment", {"results": results}, nip
    )


def _yesterday(ctx: Context) -> str:
    return (ctx.today - timedelta(days=1)).isoformat()


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "registration",
            lambda ctx, nip: Request(
                "POST",
                "/api/employees",
                employee_body(nip, ctx.unit, ctx.boss),
                BKPSDM,
                ("bkpsdm",),
            ),
            (
                Probe("pegawai", "pegawai", _history("employee_history", REGISTERED)),
                Probe(
                    "read model",
                    "gateway",
                    _history("readmodel.employee_history", REGISTERED, distinct_event=True),
                ),
                *_replicas(1),
            ),
            "pegawai.events",
            REGISTERED,
        ),
        Kind(
            "promotion",
            lambda ctx, nip: Request(
                "POST",
                f"/api/employees/{nip}/promotions",
                {"tmt": "2026-04-01", "override_justification": "Drill: tanpa penilaian."},
                BKPSDM,
                ("bkpsdm",),
            ),
            (
                Probe("pegawai", "pegawai", _history("employee_history", PROMOTED)),
                Probe(
                    "read model",
                    "gateway",
                    _history("readmodel.employee_history", PROMOTED, distinct_event=True),
                ),
                *_replicas(2),
            ),
            "pegawai.events",
            PROMOTED,
        ),
        Kind(
            "check-in",
            lambda ctx, nip: Request("POST", "/api/attendance/check-in", {}, nip),
            (
                Probe("presensi", "presensi", _count("attendance")),
                Probe(
                    "read model",
                    "gateway",
                    _count("readmodel.attendance_day", "checked_in_at IS NOT NULL"),
                ),
            ),
            "presensi.events",
            "presensi.attendance.checked_in.v1",
        ),
        Kind(
            "check-out",
            lambda ctx, nip: Request("POST", "/api/attendance/check-out", {}, nip),
            (
                Probe("presensi", "presensi", _count("attendance", "checked_out_at IS NOT NULL")),
                Probe(
                    "read model",
                    "gateway",
                    _count("readmodel.attendance_day", "checked_out_at IS NOT NULL"),
                ),
            ),
            "presensi.events",
            "presensi.attendance.checked_out.v1",
        ),
        Kind(
            "leave-request",
            lambda ctx, nip: Request(
                "POST",
                "/api/leave-requests",
                {
                    "leave_type": "tahunan",
                    "start_date": _yesterday(ctx),
                    "end_date": _yesterday(ctx),
                },
                nip,
            ),
            (
                Probe("presensi", "presensi", _count("leave_request")),
                Probe("read model", "gateway", _count("readmodel.leave_request")),
            ),
            "presensi.events",
            "presensi.leave.requested.v1",
        ),
        Kind(
            "leave-decision",
            lambda ctx, nip: Request(
                "POST",
                f"/api/leave-requests/{ctx.answer('leave-request', nip)['id']}/decision",
                {"decision": "approve"},
                ctx.boss,
            ),
            (
                # The days taken from the balance: a decision applied twice takes them twice.
                Probe("presensi", "presensi", _count("leave_ledger", "kind = 'taken'")),
                Probe(
                    "read model", "gateway", _count("readmodel.leave_request", "state = 'approved'")
                ),
            ),
            "presensi.events",
            "presensi.leave.approved.v1",
        ),
        Kind(
            "skp-draft",
            lambda ctx, nip: Request("POST", "/api/skp", _skp_body(), nip),
            (Probe("kinerja", "kinerja", _count("skp")),),
        ),
        Kind(
            "skp-submit",
            lambda ctx, nip: Request(
                "POST", f"/api/skp/{ctx.answer('skp-draft', nip)['id']}/submit", None, nip
            ),
            (
                Probe("kinerja", "kinerja", _count("skp", "status IN ('submitted', 'approved')")),
                Probe("read model", "gateway", _count("readmodel.skp")),
            ),
            "kinerja.events",
            "kinerja.skp.submitted.v1",
        ),
        Kind(
            "skp-approve",
            lambda ctx, nip: Request(
                "POST", f"/api/skp/{ctx.answer('skp-draft', nip)['id']}/approve", None, ctx.boss
            ),
            (
                Probe("kinerja", "kinerja", _count("skp", "status = 'approved'")),
                Probe("read model", "gateway", _count("readmodel.skp", "status = 'approved'")),
            ),
            "kinerja.events",
            "kinerja.skp.approved.v1",
        ),
        Kind(
            "appraisal-open",
            lambda ctx, nip: Request(
                "POST",
                "/api/appraisals",
                {
                    "skp_id": ctx.answer("skp-draft", nip)["id"],
                    "period": {"kind": "annual", "number": None},
                },
                nip,
            ),
            (Probe("kinerja", "kinerja", _count("appraisal")),),
        ),
        Kind(
            "self-assessment",
            _self_assessment,
            (Probe("kinerja", "kinerja", _count("appraisal", "self_assessment IS NOT NULL")),),
        ),
        Kind(
            "appraisal-submit",
            lambda ctx, nip: Request(
                "POST",
                f"/api/appraisals/{ctx.answer('appraisal-open', nip)['id']}/submit",
                None,
                nip,
            ),
            (
                Probe("kinerja", "kinerja", _count("appraisal", "submitted_at IS NOT NULL")),
                Probe("read model", "gateway", _count("readmodel.appraisal")),
            ),
            "kinerja.events",
            "kinerja.appraisal.submitted.v1",
        ),
        Kind(
            "appraisal-finalize",
            lambda ctx, nip: Request(
                "POST",
                f"/api/appraisals/{ctx.answer('appraisal-open', nip)['id']}/finalize",
                _rating(),
                ctx.boss,
            ),
            (
                Probe("kinerja", "kinerja", _count("appraisal", "finalized_at IS NOT NULL")),
                Probe(
                    "read model", "gateway", _count("readmodel.appraisal", "state = 'finalized'")
                ),
                # pegawai keeps the finalized predikat for promotion eligibility.
                Probe("pegawai replica", "pegawai", _count("appraisal")),
            ),
            "kinerja.events",
            "kinerja.appraisal.finalized.v1",
        ),
    )
}

SCENARIOS: tuple[tuple[str, ...], ...] = (
    ("registration",),
    ("check-in", "check-out"),
    ("promotion",),
    ("leave-request", "leave-decision"),
    ("registration",),
    (
        "skp-draft",
        "skp-submit",
        "skp-approve",
        "appraisal-open",
        "self-assessment",
        "appraisal-submit",
        "appraisal-finalize",
    ),
)
"""One person's commands, in order, each step sent once the one before was acknowledged;
the scenarios repeat round-robin over fresh people until the drill's count is reached."""


def plan(count: int) -> list[list[Op]]:
    """`count` commands as chains, one per person; a registration's person is new, every
    other chain is for someone `prepare` registered (with `Op.subject` their NIP)."""
    chains: list[list[Op]] = []
    total = 0
    for scenario in itertools.cycle(SCENARIOS):
        if total >= count:
            return chains
        steps = scenario[: count - total]
        nip = new_nip()
        chains.append([Op(kind, nip, str(uuid.uuid4())) for kind in steps])
        total += len(steps)
    raise AssertionError("unreachable")


def people(chains: Sequence[Sequence[Op]]) -> list[str]:
    """Who must be registered before the workload: everyone but the registrations' people."""
    return [chain[0].subject for chain in chains if chain[0].kind != "registration"]


def request(ctx: Context, op: Op) -> Request:
    return KINDS[op.kind].request(ctx, op.subject)


def expected_places() -> dict[str, tuple[str, ...]]:
    return {name: kind.places for name, kind in KINDS.items()}


def topics() -> Iterator[tuple[str, str, str]]:
    """(topic, kind, event type) of every kind that publishes."""
    for kind in KINDS.values():
        if kind.topic and kind.event_type:
            yield kind.topic, kind.name, kind.event_type


async def effects(dsn: Callable[[str], str], ops: Sequence[Op]) -> dict[str, dict[Effect, int]]:
    """Every probe of the ops' kinds, run once per kind: place -> (kind, nip) -> count."""
    subjects: dict[str, list[str]] = {}
    for op in ops:
        subjects.setdefault(op.kind, []).append(op.subject)
    by_db: dict[str, list[tuple[str, Probe]]] = {}
    for name in subjects:
        for probe in KINDS[name].probes:
            by_db.setdefault(probe.database, []).append((name, probe))
    found: dict[str, dict[Effect, int]] = {}
    for database, probes in by_db.items():
        conn = await asyncpg.connect(dsn(database))
        try:
            for name, probe in probes:
                place = found.setdefault(probe.place, {})
                for nip, n in await conn.fetch(probe.sql, subjects[name]):
                    place[(name, nip)] = n
        finally:
            await conn.close()
    return found


async def replicas_know(dsn: Callable[[str], str], nips: Sequence[str]) -> bool:
    """Whether presensi and kinerja both hold every one of `nips` (the set-up waits for it,
    so no command of the workload is refused for a replica still behind)."""
    for database in ("presensi", "kinerja"):
        conn = await asyncpg.connect(dsn(database))
        try:
            n = await conn.fetchval("SELECT count(*) FROM employee WHERE nip = ANY($1)", nips)
        finally:
            await conn.close()
        if n < len(nips):
            return False
    return True
