"""What an import would do: every row checked, the commands to send, in an order that works.

Pure: it is given the export's rows and what pegawai already holds, and decides. Errors
leave a row out (and the people who report to it); warnings are reported and the row is
imported, as pegawai itself accepts a NIP whose encoded birth date disagrees with the
record (BKN corrects those through MyASN, DOMAIN 1.1).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from asn_schemas.golongan import GolonganPns, GolonganPppk
from asn_schemas.pegawai import AsnType, Sex, UnitKind
from pegawai.domain.nip import InvalidNip, nip_warnings, parse_nip

from asn_cli.siasn import (
    EDUCATION,
    ESELON_KIND,
    POSITION_KIND,
    SEX,
    Record,
    Sheet,
    education_key,
    parse_date,
)

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str
    line: int
    key: str
    code: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class Command:
    """One POST to pegawai: `key` is the unit code or the NIP."""

    line: int
    key: str
    body: dict[str, Any]


@dataclass
class Plan:
    units: list[Command] = field(default_factory=list)
    employees: list[Command] = field(default_factory=list)
    units_present: int = 0
    employees_present: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _first(record: Record, *names: str) -> str:
    return next((record[n] for n in names if record.get(n)), "")


# -- units --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Units:
    """Ways an employee row names its unit: our code, SIASN's UNOR id, or the unit's name."""

    codes: set[str]
    by_unor_id: dict[str, str]
    by_name: dict[str, str]

    def resolve(self, record: Record) -> str | None:
        code = _first(record, "KODE_UNIT", "UNIT_KODE")
        if code:
            return code if code in self.codes else None
        unor_id = record.get("UNOR_ID", "")
        if unor_id:
            return self.by_unor_id.get(unor_id)
        name = _first(record, "UNOR_NAMA", "NAMA_UNOR", "UNIT_KERJA")
        return self.by_name.get(name.casefold()) if name else None


def _plan_units(sheet: Sheet | None, known: Mapping[str, str], plan: Plan) -> _Units:
    units = _Units(set(known), {}, {name.casefold(): code for code, name in known.items()})
    if sheet is None:
        return units
    pending: dict[str, Command] = {}
    parents: dict[str, str] = {}
    kinds = {k.value for k in UnitKind}
    for line, record in sheet.rows:
        code = _first(record, "KODE_UNIT", "KODE", "UNIT_KODE")
        name = _first(record, "NAMA_UNOR", "UNOR_NAMA", "NAMA")
        kind = (record.get("JENIS") or record.get("JENIS_UNIT") or "dinas").strip().lower()
        where = code or f"baris {line}"
        if not code or not name:
            plan.problems.append(
                Problem(sheet.name, line, where, "missing_field", "KODE_UNIT dan NAMA_UNOR wajib.")
            )
            continue
        if record.get("UNOR_ID"):
            units.by_unor_id[record["UNOR_ID"]] = code
        units.by_name.setdefault(name.casefold(), code)
        if code in known or code in pending:
            if code in pending:
                plan.problems.append(
                    Problem(sheet.name, line, code, "duplicate", f"Unit {code} tertulis dua kali.")
                )
            else:
                plan.units_present += 1
            continue
        if kind not in kinds:
            plan.problems.append(
                Problem(
                    sheet.name,
                    line,
                    code,
                    "unknown_unit_kind",
                    f"Jenis unit {kind!r} tidak dikenal; pilih: {', '.join(sorted(kinds))}.",
                )
            )
            continue
        parent = record.get("KODE_INDUK") or None
        body = {"code": code, "name": name, "kind": kind, "parent_code": parent}
        pending[code] = Command(line, code, body)
        if parent:
            parents[code] = parent
    # Parents first; a unit whose parent is neither in pegawai nor in the file is left out.
    placed: set[str] = set(known)
    while pending:
        ready = [c for c in pending if parents.get(c) is None or parents[c] in placed]
        if not ready:
            for code, command in pending.items():
                plan.problems.append(
                    Problem(
                        sheet.name,
                        command.line,
                        code,
                        "unknown_parent_unit",
                        f"Unit induk {parents[code]} tidak ada di pegawai maupun di berkas.",
                    )
                )
            break
        for code in ready:
            plan.units.append(pending.pop(code))
            placed.add(code)
    units.codes.update(placed)
    return units


# -- employees ----------------------------------------------------------------------


def _name(record: Record) -> str:
    name = record.get("NAMA", "")
    front, back = record.get("GELAR_DEPAN", ""), record.get("GELAR_BELAKANG", "")
    return f"{front + ' ' if front else ''}{name}{', ' + back if back else ''}"


def _position_kind(record: Record) -> str | None:
    jenis = _first(record, "JENIS_JABATAN_NAMA", "JENIS_JABATAN").strip().lower()
    if jenis == "struktural":
        return ESELON_KIND.get(_eselon(record).rstrip("ab"))
    return POSITION_KIND.get(jenis or "pelaksana")


def _eselon(record: Record) -> str:
    """`II.b`, `Eselon II/b`, `iib` → `iib`."""
    text = _first(record, "ESELON_NAMA", "ESELON").strip().lower().removeprefix("eselon")
    return "".join(ch for ch in text if ch in "iv" or ch in "ab")


# A JPT's level follows its eselon; a fungsional's is the last words of its name
# ("Perawat Ahli Muda", "Pranata Komputer Terampil").
JPT_LEVEL = {"ia": "utama", "ib": "madya", "iia": "pratama", "iib": "pratama"}
FUNGSIONAL_LEVELS = (
    "ahli utama", "ahli madya", "ahli muda", "ahli pertama", "penyelia", "mahir", "terampil",
    "pemula",
)  # fmt: skip


def _position_level(kind: str, record: Record, name: str) -> str | None:
    if kind == "jpt":
        return JPT_LEVEL.get(_eselon(record))
    lowered = name.lower()
    return next((lv.replace(" ", "_") for lv in FUNGSIONAL_LEVELS if lowered.endswith(lv)), None)


def _employee(
    sheet: str, line: int, record: Record, units: _Units
) -> tuple[str, dict[str, Any] | None, list[Problem]]:
    """The row's NIP, its POST body (None when it has an error) and its problems."""
    nip = _first(record, "NIP_BARU", "NIP")
    problems: list[Problem] = []

    def problem(code: str, message: str, severity: Severity = "error") -> None:
        problems.append(Problem(sheet, line, nip or f"baris {line}", code, message, severity))

    is_pppk = "PPPK" in _first(record, "JENIS_PEGAWAI_NAMA", "JENIS_PEGAWAI").upper()
    asn_type = AsnType.PPPK if is_pppk else AsnType.PNS
    try:
        info = parse_nip(nip, asn_type)
    except InvalidNip as exc:
        problem(f"nip_malformed:{exc.code}", exc.message)
        return nip, None, problems
    dates: dict[str, date | None] = {}
    for column, label, required in (
        ("TGL_LAHIR", "tanggal lahir", True),
        ("TMT_GOLONGAN", "TMT golongan", True),
        ("TMT_CPNS", "TMT CPNS", False),
        ("TMT_JABATAN", "TMT jabatan", False),
    ):
        raw = record.get(column, "")
        dates[column] = parse_date(raw)
        if (raw or required) and dates[column] is None:
            problem("bad_date", f"{column} ({label}) {raw or 'kosong'} bukan tanggal dd-mm-yyyy.")
    golongan = _first(record, "GOL_AKHIR_NAMA", "GOLONGAN").strip()
    allowed = {g.value for g in (GolonganPppk if is_pppk else GolonganPns)}
    if golongan not in allowed:
        problem(
            "unknown_golongan",
            f"Golongan {golongan or 'kosong'} tidak dikenal untuk {asn_type.value.upper()}.",
        )
    sex_raw = record.get("JENIS_KELAMIN", "").strip().lower()
    sex = Sex(SEX[sex_raw]) if sex_raw in SEX else info.sex if not sex_raw else None
    if sex is None:
        problem("bad_sex", f"JENIS_KELAMIN {sex_raw!r}: tulis M/F, L/P, Pria atau Wanita.")
    kind = _position_kind(record)
    if kind is None:
        problem("unknown_position_kind", "JENIS_JABATAN_NAMA/ESELON_NAMA tidak dikenal.")
    position = record.get("JABATAN_NAMA", "")
    if not record.get("NAMA") or not position:
        problem("missing_field", "NAMA dan JABATAN_NAMA wajib.")
    level = _position_level(kind, record, position) if kind in ("jpt", "fungsional") else None
    if kind in ("jpt", "fungsional") and level is None:
        problem(
            "unknown_position_level",
            "Jenjang jabatan tidak terbaca: JPT dari ESELON_NAMA (I.a, I.b, II.a, II.b), "
            "fungsional dari akhir JABATAN_NAMA (… Ahli Muda, … Terampil).",
        )
    education = EDUCATION.get(education_key(_first(record, "TINGKAT_PENDIDIKAN_NAMA")))
    if education is None:
        problem("unknown_education", "TINGKAT_PENDIDIKAN_NAMA tidak dikenal (SD … S-3).")
    unit = units.resolve(record)
    if unit is None:
        problem(
            "unknown_unit",
            "Unit kerja (KODE_UNIT, UNOR_ID atau UNOR_NAMA) tidak ada di pegawai maupun di "
            "lembar UNOR.",
        )
    birth = dates["TGL_LAHIR"]
    tmt_cpns = dates["TMT_CPNS"] or (info.appointed if asn_type is AsnType.PNS else None)
    if birth is not None and sex is not None:
        for warning in nip_warnings(
            info, asn_type=asn_type, birth_date=birth, sex=sex, tmt_cpns=tmt_cpns
        ):
            problem(warning.code, warning.message, "warning")
    if any(p.severity == "error" for p in problems):
        return nip, None, problems
    body: dict[str, Any] = {
        "nip": nip,
        "name": _name(record),
        "sex": str(sex),
        "birth_date": str(birth),
        "asn_type": asn_type.value,
        "golongan": golongan,
        "tmt_golongan": str(dates["TMT_GOLONGAN"]),
        "tmt_cpns": str(tmt_cpns or info.appointed),
        "position": {"name": position, "kind": kind, "level": level},
        "unit_code": unit,
        "supervisor_nip": record.get("NIP_ATASAN") or None,
        "education": education,
    }
    if dates["TMT_JABATAN"]:
        body["tmt_position"] = str(dates["TMT_JABATAN"])
    for column, key in (("NOMOR_HP", "phone"), ("ALAMAT", "address")):
        if record.get(column):
            body[key] = record[column]
    return nip, body, problems


def _cycles(supervisor_of: Mapping[str, str]) -> set[str]:
    """NIPs that reach themselves by following their supervisors."""
    in_cycle: set[str] = set()
    for start in supervisor_of:
        seen: list[str] = []
        nip: str | None = start
        while nip is not None and nip in supervisor_of and nip not in seen:
            seen.append(nip)
            nip = supervisor_of[nip]
        if nip is not None and nip in seen:
            in_cycle.update(seen[seen.index(nip) :])
    return in_cycle


def make_plan(
    employees: Sheet, unit_sheet: Sheet | None, known_units: Mapping[str, str], known: Set[str]
) -> Plan:
    """`known_units`: code → name of pegawai's units; `known`: NIPs pegawai already holds."""
    plan = Plan()
    units = _plan_units(unit_sheet, known_units, plan)
    rows: dict[str, Command] = {}
    first_line: dict[str, int] = {}
    for line, record in employees.rows:
        nip, body, problems = _employee(employees.name, line, record, units)
        plan.problems += problems
        if nip in first_line:
            plan.problems.append(
                Problem(
                    employees.name,
                    line,
                    nip,
                    "duplicate",
                    f"NIP {nip} sudah tertulis di baris {first_line[nip]}.",
                )
            )
            if rows.pop(nip, None) is not None:
                plan.problems.append(
                    Problem(
                        employees.name,
                        first_line[nip],
                        nip,
                        "duplicate",
                        f"NIP {nip} tertulis lagi di baris {line}; tidak satu pun diimpor.",
                    )
                )
            continue
        first_line[nip] = line
        if nip in known:
            plan.employees_present += 1
        elif body is not None:
            rows[nip] = Command(line, nip, body)
    supervisor_of = {
        n: c.body["supervisor_nip"] for n, c in rows.items() if c.body["supervisor_nip"]
    }
    for nip in sorted(_cycles(supervisor_of)):
        plan.problems.append(
            Problem(
                employees.name,
                rows[nip].line,
                nip,
                "supervisor_cycle",
                f"Rantai atasan kembali ke {nip} sendiri (NIP_ATASAN {supervisor_of[nip]}).",
            )
        )
        rows.pop(nip)
    # Supervisors first; someone whose supervisor is nowhere (or left out) is left out too.
    placed: set[str] = set(known)
    while rows:
        ready = [
            n
            for n, c in rows.items()
            if not c.body["supervisor_nip"] or c.body["supervisor_nip"] in placed
        ]
        if not ready:
            for nip, command in rows.items():
                boss = command.body["supervisor_nip"]
                code, why = (
                    (
                        "supervisor_not_imported",
                        f"Atasan {boss} punya masalah sendiri dan tidak diimpor.",
                    )
                    if boss in first_line
                    else (
                        "unknown_supervisor",
                        f"NIP_ATASAN {boss} tidak ada di pegawai maupun di berkas.",
                    )
                )
                plan.problems.append(Problem(employees.name, command.line, nip, code, why))
            break
        for nip in ready:
            plan.employees.append(rows.pop(nip))
            placed.add(nip)
    plan.problems.sort(key=lambda p: (p.sheet != (unit_sheet.name if unit_sheet else ""), p.line))
    return plan
