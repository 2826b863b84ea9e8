"""The demo: each employee's SKP drafted, submitted and agreed by the supervisor, the
appraisal self-assessed and rated — for the last two years, and this year as far as the
year has got.

What it shows (every choice is drawn from the NIP, so a rerun draws the same):
- the annual predikat of the last two full years for everyone appointed before them —
  mostly Baik, some Sangat Baik, a few Butuh Perbaikan, Kurang/Misconduct or Sangat
  Kurang — so pegawai's promotion candidates and the predikat histories are real;
- this year's SKP in every state: draft, sent back with a note, submitted (waiting in the
  supervisor's inbox), agreed; for agreed ones the last quarter's appraisal is either
  submitted (waiting to be rated) or final;
- continuous feedback from supervisors on an RHK or a BerAKHLAK value.

A bulk path (`kinerja.seed.history`): the whole city through the commands one by one took
~75 ms of CPU per employee (15 commands, ~60 queries), minutes for 2,500 people, so the
rows are inserted many at a time and the very events the commands publish are built from
the same payload models, with the actor who would have taken each step. Each chunk of
employees commits with its events; everyone who has an SKP is skipped, so a rerun adds
nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from asn_schemas.kinerja import PeriodKind, Rating
from servicekit.db import Database
from servicekit.identity import Identity
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from kinerja.seed.history import Person, build_person, write
from kinerja.settings import KinerjaSettings

CHUNK = 250  # employees per unit of work
SYSTEM = Identity.system("demo-seed")

_ATAS, _SESUAI, _BAWAH = (
    Rating.DI_ATAS_EKSPEKTASI,
    Rating.SESUAI_EKSPEKTASI,
    Rating.DI_BAWAH_EKSPEKTASI,
)
# (share up to, hasil kerja, perilaku kerja): Sangat Baik, Baik, Butuh Perbaikan,
# Kurang/Misconduct, Sangat Kurang through the matrix (DOMAIN 1.8).
PREDIKAT_MIX = (
    (0.18, _ATAS, _ATAS),
    (0.90, _SESUAI, _SESUAI),
    (0.96, _BAWAH, _SESUAI),
    (0.99, _SESUAI, _BAWAH),
    (1.00, _BAWAH, _BAWAH),
)
# This year's SKP: (share up to, state).
THIS_YEAR = ((0.08, "draft"), (0.12, "returned"), (0.30, "submitted"), (1.00, "approved"))
PERIODIC_SUBMITTED, PERIODIC_FINAL = 0.35, 0.75  # of agreed SKPs: waiting, or rated
FEEDBACK_SHARE = 0.15


def draw(nip: str, salt: str) -> float:
    """A fixed number in [0, 1) for a person and a purpose (the same on every run)."""
    digest = hashlib.sha256(f"{nip}:{salt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def predikat_ratings(nip: str, year: int) -> tuple[Rating, Rating]:
    r = draw(nip, f"predikat-{year}")
    return next((h, p) for share, h, p in PREDIKAT_MIX if r < share)


def this_year_state(nip: str) -> str:
    r = draw(nip, "skp-state")
    return next(state for share, state in THIS_YEAR if r < share)


def periodic_state(nip: str) -> str | None:
    """For an agreed SKP this year: the last period's appraisal waiting, final, or none."""
    r = draw(nip, "periodic")
    return "waiting" if r < PERIODIC_SUBMITTED else "final" if r < PERIODIC_FINAL else None


def gets_feedback(nip: str) -> bool:
    return draw(nip, "feedback") < FEEDBACK_SHARE


def appointed_year(nip: str) -> int:
    """Digits 9–12 of a NIP (and of an NI PPPK) are the year of first appointment."""
    return int(nip[8:12])


# Whoever rates must be in service (the commands' effective rater is the direct supervisor
# then); someone whose supervisor is not is left to a real run of the commands.
_PEOPLE = text(
    "SELECT e.nip, e.supervisor_nip, e.position_kind, e.unit_id, e.unit_code, "
    "e.event_sequence FROM employee e JOIN employee s ON s.nip = e.supervisor_nip "
    "WHERE e.status = 'aktif' AND s.status = 'aktif' "
    "AND NOT EXISTS (SELECT 1 FROM skp k WHERE k.nip = e.nip) ORDER BY e.nip"
)


async def load(
    db: Database, settings: KinerjaSettings, today: date, now: datetime | None = None
) -> dict[str, Any]:
    """Load everyone who has no SKP yet; returns what was made."""
    async with db.read_session() as session:
        people = [Person(*r) for r in await session.execute(_PEOPLE)]
    cadence = PeriodKind(settings.appraisal_cadence)
    counts: dict[str, int] = {}
    for first in range(0, len(people), CHUNK):
        async with UnitOfWork(
            db, actor=SYSTEM, source=settings.source, topic=settings.topic
        ) as uow:
            built = [
                build_person(p, today, cadence, now, plan=_plan_of(p.nip, today))
                for p in people[first : first + CHUNK]
            ]
            await write(uow, built)
        for person in built:
            for what in person.made:
                counts[what] = counts.get(what, 0) + 1
    return {"people": len(people), **dict(sorted(counts.items()))}


def _plan_of(nip: str, today: date) -> dict[str, Any]:
    """Everything drawn for one person: which years, what predikat, this year's state."""
    years = [y for y in (today.year - 2, today.year - 1) if appointed_year(nip) < y]
    return {
        "history": {y: predikat_ratings(nip, y) for y in years},
        "state": this_year_state(nip),
        "periodic": periodic_state(nip),
        "periodic_ratings": predikat_ratings(nip, today.year),
        "feedback": gets_feedback(nip),
        "feedback_on_value": draw(nip, "feedback-kind") < 0.5,
    }
