"""Who works where in the demo: a head per unit, managers under them, staff under those."""

from __future__ import annotations

from datetime import date

from pegawai.domain.golongan import Education
from pegawai.seed.people import (
    ADMIN,
    JPT,
    MADYA,
    MUDA,
    PELAKSANA,
    PENGAWAS,
    PERTAMA,
    STAFF_MIX,
    TERAMPIL,
    Person,
    Role,
    Workforce,
)
from pegawai.seed.units import DemoUnit, demo_units

# Staff headcount per unit besides its head and managers: sized so the city has ~2,500.
STAFF = {"setda": 120, "setwan": 44, "inspektorat": 40, "satpolpp": 90, "rsud": 340,
         "disdikbud": 60, "dinkes": 60}  # fmt: skip
STAFF_BY_KIND = {"badan": 55, "dinas": 43, "kecamatan": 24, "kelurahan": 8, "puskesmas": 50}
FUNGSIONAL_TITLES = {
    "rsud": ("Dokter", "Perawat", "Bidan", "Apoteker", "Pranata Laboratorium Kesehatan"),
    "puskesmas": ("Dokter", "Perawat", "Bidan", "Nutrisionis", "Sanitarian"),
    "sekolah": ("Guru",),
}
PROFESSION_MIX = ((PERTAMA, 40), (MUDA, 30), (MADYA, 12), (TERAMPIL, 18))
"""Schools and health units are mostly jabatan fungsional (guru, dokter, perawat, bidan)."""
DEFAULT_TITLES = ("Analis Kebijakan", "Perencana", "Pranata Komputer", "Arsiparis", "Auditor")


def _pick(wf: Workforce, mix: tuple[tuple[Role, int], ...]) -> Role:
    roles = [role for role, _ in mix]
    chosen: Role = wf.rng.choices(roles, [weight for _, weight in mix])[0]
    return chosen


def _staff(wf: Workforce, unit: DemoUnit, bosses: list[str], count: int, family: str) -> None:
    titles = FUNGSIONAL_TITLES.get(family, DEFAULT_TITLES)
    mix = STAFF_MIX if family not in FUNGSIONAL_TITLES else PROFESSION_MIX
    for _ in range(count):
        role = _pick(wf, mix)
        title = wf.rng.choice(titles)
        education = None
        if title == "Dokter":
            role, education = wf.rng.choice((PERTAMA, MUDA, MADYA)), Education.DOKTER
        name = f"{title} {role.title}" if role.kind == "fungsional" else "Pengadministrasi Umum"
        wf.add(unit, role, name, wf.rng.choice(bosses), pppk_allowed=True, education=education)


def build(today: date) -> tuple[list[DemoUnit], list[Person]]:
    units = demo_units()
    by_code = {u.code: u for u in units}
    wf = Workforce(today)
    heads: dict[str, str] = {}
    sekda = wf.add(by_code["setda"], JPT, "Sekretaris Daerah", None)
    heads["setda"] = sekda
    for unit in units:
        if unit.code == "setda":
            managers = [wf.add(unit, JPT, f"Asisten {n}", sekda) for n in ("I", "II", "III")]
            _staff(wf, unit, managers, STAFF["setda"], "opd")
            continue
        family = unit.kind
        boss = heads.get(unit.parent) if unit.parent else sekda
        if unit.kind in ("kecamatan",):
            head = wf.add(unit, ADMIN, f"Camat {unit.name.removeprefix('Kecamatan ')}", sekda)
            managers = [wf.add(unit, PENGAWAS, f"Kepala Seksi {n}", head) for n in (1, 2, 3)]
        elif unit.kind == "kelurahan":
            head = wf.add(unit, PENGAWAS, f"Lurah {unit.name.removeprefix('Kelurahan ')}", boss)
            managers = [head]
        elif unit.kind == "puskesmas":
            head = wf.add(unit, PENGAWAS, f"Kepala {unit.name}", boss)
            managers = [head]
        elif unit.kind == "sekolah":
            head = wf.add(unit, MADYA, "Guru Ahli Madya (Kepala Sekolah)", boss)
            count = 17 if unit.code.startswith("sdn") else 36
            _staff(wf, unit, [head], count, "sekolah")
            wf.add(unit, PELAKSANA, "Pengelola Tata Usaha", head)
            heads[unit.code] = head
            continue
        else:
            head = wf.add(unit, JPT if unit.kind != "rsud" else ADMIN, f"Kepala {unit.name}", sekda)
            secretary = wf.add(unit, ADMIN, "Sekretaris", head)
            managers = [secretary] + [
                wf.add(unit, ADMIN, f"Kepala Bidang {n}", head) for n in (1, 2, 3)
            ]
            managers += [wf.add(unit, PENGAWAS, "Kepala Subbagian Umum", secretary)]
            family = "rsud" if unit.kind == "rsud" else "opd"
        heads[unit.code] = head
        count = STAFF.get(unit.code, STAFF_BY_KIND.get(unit.kind, 30))
        _staff(wf, unit, managers, count, family)
    return units, wf.people
