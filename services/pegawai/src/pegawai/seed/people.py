"""Fictional people for the demo units: valid NIPs, careers consistent with the rules.

A career is simulated rather than drawn at random: CPNS at the golongan of the
education, a regular promotion about every four years up to the education ceiling
(positions may go beyond it, as pilihan promotions do), TMTs on the period dates in
force at the time. That yields a realistic golongan spread, and a DUK that makes sense.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from asn_schemas.golongan import GolonganPns

from pegawai.domain.dates import add_years
from pegawai.domain.golongan import EDUCATION_TABLE, PNS_LADDER, Education
from pegawai.domain.periods import next_period
from pegawai.seed.units import DemoUnit

MALE = ("Ahmad", "Budi", "Rahmat", "Fajri", "Hendra", "Yusuf", "Irwan", "Zulkifli", "Afrizal",
        "Syahrial", "Rizki", "Andi", "Fauzan", "Dedi", "Efendi", "Masrul", "Novri", "Taufik",
        "Wahyu", "Yulianto", "Doni", "Rudi", "Ilham", "Arif")  # fmt: skip
FEMALE = ("Siti", "Rina", "Yuliani", "Nofrita", "Dewi", "Rahmawati", "Fitri", "Silvia",
          "Mardiana", "Nurhayati", "Elvi", "Desi", "Wirda", "Yenni", "Susi", "Rosmaini",
          "Lidya", "Novia", "Eka", "Aisyah", "Mira", "Sri", "Lusi", "Vera")  # fmt: skip
FAMILY = ("Putra", "Putri", "Syafril", "Hidayat", "Saputra", "Yanti", "Rahman", "Chaniago",
          "Piliang", "Tanjung", "Koto", "Sikumbang", "Jambak", "Guci", "Melayu", "Harahap",
          "Sari", "Wati", "Fitria", "Amri", "Zainal", "Marlis")  # fmt: skip
GELAR = {
    Education.SLTA: "",
    Education.D3: ", A.Md.",
    Education.S1: ", S.E.",
    Education.S2: ", M.Si.",
    Education.DOKTER: "",
}


@dataclass(frozen=True)
class Role:
    title: str
    kind: str
    level: str | None
    lowest: GolonganPns | None  # the position needs at least this golongan
    highest: GolonganPns | None  # and reaches at most this one (None: education ceiling)
    education: tuple[Education, ...]
    ages: tuple[int, int]


G, E = GolonganPns, Education
JPT = Role("Kepala", "jpt", "pratama", G.IV_C, G.IV_D, (E.S2,), (48, 57))
ADMIN = Role("Kepala Bidang", "administrator", None, G.IV_A, G.IV_B, (E.S1, E.S2), (42, 56))
PENGAWAS = Role("Kepala Subbagian", "pengawas", None, G.III_C, G.IV_A, (E.S1, E.S2), (35, 55))
MADYA = Role("Ahli Madya", "fungsional", "ahli_madya", G.IV_A, G.IV_C, (E.S1, E.S2), (45, 57))
MUDA = Role("Ahli Muda", "fungsional", "ahli_muda", G.III_C, G.III_D, (E.S1, E.S2), (35, 55))
PERTAMA = Role("Ahli Pertama", "fungsional", "ahli_pertama", G.III_A, G.III_B, (E.S1,), (25, 45))
TERAMPIL = Role("Terampil", "fungsional", "terampil", G.II_C, G.III_B, (E.D3,), (25, 55))
PELAKSANA = Role("Pelaksana", "pelaksana", None, None, None, (E.SLTA, E.D3, E.S1), (23, 57))
STAFF_MIX = ((PELAKSANA, 45), (PERTAMA, 18), (MUDA, 12), (TERAMPIL, 15), (MADYA, 4))
PPPK_SHARE = 0.22
PPPK_GOLONGAN = {E.SLTA: "V", E.D3: "VII", E.S1: "IX", E.S2: "X", E.DOKTER: "X"}


@dataclass
class Person:
    nip: str
    unit: str
    role: Role
    position_name: str
    supervisor: str | None
    asn_type: str
    education: Education
    birth_date: date
    sex: str
    name: str
    golongan: str
    tmt_golongan: date
    tmt_cpns: date
    tmt_position: date
    ujian_dinas: int
    leadership_training: date | None
    extra: dict[str, object] = field(default_factory=dict)


class Workforce:
    """Deterministic (fixed seed), so every run produces the same people and NIPs."""

    def __init__(self, today: date, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.people: list[Person] = []
        self._prefixes: dict[str, int] = {}

    def _nip(self, prefix15: str) -> str:
        sequence = self._prefixes.get(prefix15, 0) + 1
        self._prefixes[prefix15] = sequence
        return f"{prefix15}{sequence:03d}"

    def _career(
        self, role: Role, education: Education, tmt_cpns: date
    ) -> tuple[GolonganPns, date, int]:
        start, ceiling = EDUCATION_TABLE[education]
        top = role.highest or ceiling
        index, tmt = PNS_LADDER.index(start), tmt_cpns
        while PNS_LADDER[index] != G.IV_E and PNS_LADDER[index].rank < top.rank:
            due = next_period(add_years(tmt, 4 + self.rng.choice((0, 0, 0, 1, 2))))
            if due > self.today:
                break
            index, tmt = index + 1, due
        if role.lowest is not None and PNS_LADDER[index].rank < role.lowest.rank:
            index = PNS_LADDER.index(role.lowest)
            tmt = next_period(add_years(self.today, -self.rng.randint(1, 3)))
        golongan = PNS_LADDER[index]
        passed = (1 if golongan.rank >= G.III_A.rank > start.rank else 0) + (
            1 if golongan.rank >= G.IV_A.rank > start.rank else 0
        )
        return golongan, max(tmt, tmt_cpns), min(2, passed + (1 if start.rank >= 9 else 0))

    def add(
        self,
        unit: DemoUnit,
        role: Role,
        position_name: str,
        supervisor: str | None,
        *,
        pppk_allowed: bool = False,
        education: Education | None = None,
    ) -> str:
        rng = self.rng
        pppk = (
            pppk_allowed and role.kind in ("pelaksana", "fungsional") and rng.random() < PPPK_SHARE
        )
        education = education or rng.choice(role.education)
        age = rng.randint(*role.ages) if not pppk else rng.randint(24, 45)
        birth = date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice(("1", "2"))
        first = rng.choice(MALE if sex == "1" else FEMALE)
        name = f"{first} {rng.choice(FAMILY)}"
        gelar = ", S.Pd." if position_name.startswith("Guru") and education is E.S1 else None
        name = ("dr. " + name) if education is E.DOKTER else name + (gelar or GELAR[education])
        if pppk:
            year = rng.randint(max(2019, birth.year + 22), self.today.year - 1)
            tmt_cpns = date(year, rng.choice((1, 3, 4)), 1)
            nip = self._nip(f"{birth:%Y%m%d}{year}21{sex}")  # NI PPPK: year + contract count
            golongan, tmt_golongan, ujian = PPPK_GOLONGAN[education], tmt_cpns, 0
        else:
            earliest = max(birth.year + 22, 1990)
            year = rng.randint(earliest, max(earliest, min(self.today.year - 2, birth.year + 32)))
            tmt_cpns = date(year, rng.choice((1, 3, 4, 12)), 1)
            nip = self._nip(f"{birth:%Y%m%d}{tmt_cpns:%Y%m}{sex}")
            gol, tmt_golongan, ujian = self._career(role, education, tmt_cpns)
            golongan = gol.value
        since = max(tmt_cpns, add_years(self.today, -rng.randint(1, 6)).replace(day=1))
        structural = role.kind in ("jpt", "administrator", "pengawas")
        self.people.append(
            Person(
                nip=nip, unit=unit.code, role=role, position_name=position_name,
                supervisor=supervisor, asn_type="pppk" if pppk else "pns", education=education,
                birth_date=birth, sex="male" if sex == "1" else "female", name=name,
                golongan=golongan, tmt_golongan=tmt_golongan, tmt_cpns=tmt_cpns,
                tmt_position=since, ujian_dinas=ujian,
                leadership_training=add_years(since, -1) if structural else None,
            )
        )  # fmt: skip
        return nip
