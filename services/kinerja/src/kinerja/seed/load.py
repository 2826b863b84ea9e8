"""The demo, through the commands: each employee drafts and submits an SKP, the supervisor
agrees it; the employee self-assesses, the supervisor rates — for the last two years, and
this year as far as the year has got.

What it shows (every choice is drawn from the NIP, so a rerun draws the same):
- the annual predikat of the last two full years for everyone appointed before them —
  mostly Baik, some Sangat Baik, a few Butuh Perbaikan, Kurang/Misconduct or Sangat
  Kurang — so pegawai's promotion candidates and the predikat histories are real;
- this year's SKP in every state: draft, sent back with a note, submitted (waiting in the
  supervisor's inbox), agreed; for agreed ones the last quarter's appraisal is either
  submitted (waiting to be rated) or final;
- continuous feedback from supervisors on an RHK or a BerAKHLAK value.

One unit of work per employee: their whole history commits (with its events) or none of
it does, so a rerun — which skips everyone who has an SKP — adds nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from asn_schemas.kinerja import CoreValue, PeriodKind, Rating, RhkKind
from servicekit.db import Database
from servicekit.errors import ProblemError
from servicekit.identity import Identity, Role
from servicekit.logging import get_logger
from servicekit.uow import UnitOfWork
from sqlalchemy import text

from kinerja import appraisals, feedback_notes, skps
from kinerja.api.schemas import (
    AppraisalCreate,
    FeedbackIn,
    Finalize,
    Indicator,
    PeriodIn,
    ResultIn,
    RhkIn,
    RhkRatingIn,
    SelfAssessment,
    SkpCreate,
    ValueRatingIn,
)
from kinerja.models import Appraisal, Skp
from kinerja.settings import KinerjaSettings

PARALLEL = 4  # employees loaded at once: each touches only its own rows
log = get_logger("kinerja.seed")

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

RHK_TITLES = {
    "jpt": ("Meningkatnya kinerja perangkat daerah", "Terlaksananya reformasi birokrasi"),
    "administrator": ("Terlaksananya program bidang", "Tersusunnya laporan kinerja bidang"),
    "pengawas": ("Terlaksananya kegiatan subbagian", "Tertibnya administrasi subbagian"),
    "fungsional": ("Terlaksananya layanan sesuai standar", "Tersusunnya dokumen fungsional"),
    "pelaksana": ("Tersusunnya dokumen administrasi", "Terlayaninya permohonan tepat waktu"),
}
VALUE_NOTES = {
    _ATAS: "Menjadi teladan bagi rekan kerja.",
    _SESUAI: "Konsisten sesuai harapan.",
    _BAWAH: "Perlu pembinaan; sudah dibicarakan.",
}


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


def appointed_year(nip: str) -> int:
    """Digits 9–12 of a NIP (and of an NI PPPK) are the year of first appointment."""
    return int(nip[8:12])


@dataclass(frozen=True)
class Person:
    nip: str
    supervisor: str
    position_kind: str


def _plan(kind: str, year: int) -> SkpCreate:
    main, extra = RHK_TITLES.get(kind, RHK_TITLES["pelaksana"])
    indicators = [
        Indicator(aspect="kuantitas", description="Jumlah keluaran", target="12 dokumen"),
        Indicator(aspect="kualitas", description="Tanpa revisi", target="100%"),
        Indicator(aspect="waktu", description="Tepat waktu", target="12 bulan"),
    ]
    return SkpCreate(
        year=year,
        rhk=[
            RhkIn(kind=RhkKind.UTAMA, title=main, indicators=indicators),
            RhkIn(kind=RhkKind.TAMBAHAN, title=extra, indicators=indicators[:1]),
        ],
    )


def employee(nip: str) -> Identity:
    return Identity(sub=nip, roles=frozenset({Role.PEGAWAI.value}))


def acting(uow: UnitOfWork, nip: str) -> Identity:
    """The identity a step runs as. One unit of work holds a person's whole history, so its
    events' `actor` follows whoever takes each step (employee or supervisor)."""
    uow.actor = employee(nip)
    return uow.actor


class Seeder:
    def __init__(self, db: Database, settings: KinerjaSettings, today: date) -> None:
        self.db, self.settings, self.today = db, settings, today
        self.counts: dict[str, int] = {}

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    async def person(self, p: Person) -> None:
        try:
            async with UnitOfWork(
                self.db, actor=employee(p.nip), source=self.settings.source,
                topic=self.settings.topic,
            ) as uow:  # fmt: skip
                for year in (self.today.year - 2, self.today.year - 1):
                    if appointed_year(p.nip) < year:
                        await self._past_year(uow, p, year)
                await self._this_year(uow, p)
        except ProblemError as exc:  # a replica row the rules refuse: leave that person out
            log.warning("demo kinerja skipped", nip=p.nip, code=exc.code)
            self._count("skipped")

    async def _agreed_skp(self, uow: UnitOfWork, p: Person, year: int) -> tuple[Skp, list[Any]]:
        skp, _ = await skps.create(uow, acting(uow, p.nip), _plan(p.position_kind, year))
        await skps.submit(uow, acting(uow, p.nip), skp)
        rhk = await skps.approve(uow, acting(uow, p.supervisor), skp)
        return skp, rhk

    async def _appraisal(
        self,
        uow: UnitOfWork,
        p: Person,
        skp: Skp,
        rhk: list[Any],
        period: PeriodIn,
        ratings: tuple[Rating, Rating] | None,
    ) -> Appraisal:
        """Opened and self-assessed by the employee, submitted; rated when `ratings` given."""
        who = acting(uow, p.nip)
        body = AppraisalCreate(skp_id=skp.id, period=period)
        appraisal = await appraisals.create(uow, who, body, self.settings)
        results = [
            ResultIn(rhk_id=r.id, realisasi="Tercapai sesuai target yang disepakati.") for r in rhk
        ]
        await appraisals.self_assess(uow, who, appraisal, SelfAssessment(results=results))
        await appraisals.submit(uow, who, appraisal)
        if ratings is not None:
            hasil, perilaku = ratings
            rating = Finalize(
                rating_hasil_kerja=hasil,
                rhk_ratings=[RhkRatingIn(rhk_id=r.id, rating=hasil) for r in rhk],
                perilaku=[
                    ValueRatingIn(value=v, rating=perilaku, note=VALUE_NOTES[perilaku])
                    for v in CoreValue
                ],
                rating_perilaku_kerja=perilaku,
            )
            await appraisals.finalize(uow, acting(uow, p.supervisor), appraisal, rating)
        return appraisal

    async def _past_year(self, uow: UnitOfWork, p: Person, year: int) -> None:
        skp, rhk = await self._agreed_skp(uow, p, year)
        annual = PeriodIn(kind=PeriodKind.ANNUAL)
        await self._appraisal(uow, p, skp, rhk, annual, predikat_ratings(p.nip, year))
        self._count(f"predikat_{year}")

    async def _this_year(self, uow: UnitOfWork, p: Person) -> None:
        state = this_year_state(p.nip)
        self._count(f"skp_{state}")
        year = self.today.year
        if state != "approved":
            skp, _ = await skps.create(uow, acting(uow, p.nip), _plan(p.position_kind, year))
            if state in ("submitted", "returned"):
                await skps.submit(uow, acting(uow, p.nip), skp)
            if state == "returned":
                note = "Indikator kuantitas RHK utama belum terukur; mohon diperbaiki."
                await skps.send_back(uow, acting(uow, p.supervisor), skp, note)
            return
        skp, rhk = await self._agreed_skp(uow, p, year)
        period = self._last_period()
        r = draw(p.nip, "periodic")
        if period is not None and r < PERIODIC_FINAL:
            ratings = predikat_ratings(p.nip, year) if r >= PERIODIC_SUBMITTED else None
            await self._appraisal(uow, p, skp, rhk, period, ratings)
            self._count("periodic_final" if ratings else "periodic_waiting")
        if draw(p.nip, "feedback") < FEEDBACK_SHARE:
            utama = rhk[0]
            on_value = draw(p.nip, "feedback-kind") < 0.5
            body = FeedbackIn(
                nip=p.nip,
                rhk_id=None if on_value else utama.id,
                value=CoreValue.BERORIENTASI_PELAYANAN if on_value else None,
                text="Capaian bulan ini baik; lampirkan bukti dukung layanan agar terukur."
                if not on_value
                else "Respons kepada warga di loket sudah cepat dan ramah, pertahankan.",
            )
            await feedback_notes.give(uow, acting(uow, p.supervisor), body)
            self._count("feedback")

    def _last_period(self) -> PeriodIn | None:
        """The last periodic appraisal period that has ended this year (None in the first)."""
        kind = PeriodKind(self.settings.appraisal_cadence)
        month = self.today.month
        number = (month - 1) // 3 if kind is PeriodKind.QUARTERLY else month - 1
        return PeriodIn(kind=kind, number=number) if number >= 1 else None


_PEOPLE = text(
    "SELECT e.nip, e.supervisor_nip, e.position_kind FROM employee e "
    "WHERE e.status = 'aktif' AND e.supervisor_nip IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM skp s WHERE s.nip = e.nip) ORDER BY e.nip"
)


async def load(db: Database, settings: KinerjaSettings, today: date) -> dict[str, Any]:
    """Load everyone who has no SKP yet; returns what was made."""
    async with db.read_session() as session:
        people = [Person(r[0], r[1], r[2]) for r in await session.execute(_PEOPLE)]
    seeder = Seeder(db, settings, today)
    gate = asyncio.Semaphore(PARALLEL)

    async def one(p: Person) -> None:
        async with gate:
            await seeder.person(p)

    await asyncio.gather(*(one(p) for p in people))
    return {"people": len(people), **dict(sorted(seeder.counts.items()))}
