"""Reading SIASN's employee export (XLSX or CSV) into rows the import can check.

BKN's SIASN exports "Data Utama PNS" with one column per field, named in capitals with
underscores (NIP_BARU, NAMA, GELAR_DEPAN, TGL_LAHIR, GOL_AKHIR_NAMA, ...). Headers are
matched without regard to case, spaces or dashes, so a sheet re-saved by hand still reads.
Dates come as Excel dates, `dd-mm-yyyy`, `dd/mm/yyyy` or ISO. The supported columns and
their meaning are in cli/README.md.
"""

from __future__ import annotations

import contextlib
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from asn_cli.failures import CliError

Record = dict[str, str]

EMPLOYEE_SHEETS = ("PNS", "PEGAWAI", "DATA_UTAMA")
UNIT_SHEETS = ("UNOR", "UNIT")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")

# SIASN's words for a sex, position kind and education level → the suite's values.
SEX = {"m": "male", "l": "male", "pria": "male", "laki-laki": "male", "1": "male"}
SEX |= {"f": "female", "p": "female", "wanita": "female", "perempuan": "female", "2": "female"}
POSITION_KIND = {
    "jabatan pimpinan tinggi": "jpt",
    "jpt": "jpt",
    "administrator": "administrator",
    "pengawas": "pengawas",
    "fungsional": "fungsional",
    "fungsional tertentu": "fungsional",
    "jabatan fungsional": "fungsional",
    "pelaksana": "pelaksana",
    "fungsional umum": "pelaksana",
}
ESELON_KIND = {"ii": "jpt", "iii": "administrator", "iv": "pengawas"}
EDUCATION = {
    "sd": "sd",
    "sltp": "sltp",
    "smp": "sltp",
    "sltp kejuruan": "sltp_kejuruan",
    "slta": "slta",
    "sma": "slta",
    "smk": "slta",
    "d-i": "d1",
    "d-ii": "d2",
    "d-iii": "d3",
    "sarjana muda": "sarjana_muda",
    "s-1": "s1",
    "d-iv": "d4",
    "s-2": "s2",
    "dokter": "dokter",
    "apoteker": "apoteker",
    "s-3": "s3",
}


def header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip()).upper()


def education_key(value: str) -> str:
    """`S1`, `S-1`, `Strata 1`, `D III`, `D-3` → one spelling."""
    text = re.sub(r"\s+", " ", value.strip().lower())
    text = re.sub(r"^strata ?", "s-", text)
    text = re.sub(r"^([sd])[ \-]?(\d|i{1,3}v?|iv)$", r"\1-\2", text)
    roman = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}
    if text.startswith("d-") and text[2:] in roman:
        text = "d-" + roman[text[2:]]
    if text.startswith("s-") and text[2:] in ("i", "ii", "iii"):
        text = "s-" + str(len(text[2:]))
    return text


@dataclass(frozen=True, slots=True)
class Sheet:
    """The rows of one table, each with the line a person sees in the file (header = 1)."""

    name: str
    rows: list[tuple[int, Record]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(name: str, lines: list[list[object]]) -> Sheet:
    if not lines:
        return Sheet(name, [])
    headers = [header_key(_cell(h)) for h in lines[0]]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        record = {h: _cell(v) for h, v in zip(headers, line, strict=False) if h}
        if any(record.values()):
            rows.append((number, record))
    return Sheet(name, rows)


def read_csv(path: Path) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    # One column, or a plain comma file, defeats the sniffer: the default reads those.
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    lines: list[list[object]] = [list(r) for r in csv.reader(text.splitlines(), dialect)]
    return _table(path.name, lines)


def read_workbook(path: Path) -> tuple[Sheet, Sheet | None]:
    """The employee sheet (PNS/PEGAWAI/DATA_UTAMA, else the first) and the UNOR sheet."""
    from openpyxl import load_workbook  # only imports that need it pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise CliError(f"{path}: not an Excel workbook ({type(exc).__name__})") from None
    try:
        by_key = {header_key(name): name for name in book.sheetnames}
        employees = next((by_key[k] for k in EMPLOYEE_SHEETS if k in by_key), book.sheetnames[0])
        units = next((by_key[k] for k in UNIT_SHEETS if k in by_key), None)

        def sheet(name: str) -> Sheet:
            return _table(name, [list(r) for r in book[name].iter_rows(values_only=True)])

        return sheet(employees), (sheet(units) if units else None)
    finally:
        book.close()


def read_export(path: Path, units: Path | None = None) -> tuple[Sheet, Sheet | None]:
    if not path.exists():
        raise CliError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        employees, unit_sheet = read_workbook(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        employees, unit_sheet = read_csv(path), None
    else:
        raise CliError(f"{path}: give an .xlsx or .csv export")
    if units is not None:
        if not units.exists():
            raise CliError(f"{units}: no such file")
        unit_sheet = read_csv(units) if units.suffix.lower() != ".xlsx" else read_workbook(units)[0]
    return employees, unit_sheet


def parse_date(value: str) -> date | None:
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    return None
