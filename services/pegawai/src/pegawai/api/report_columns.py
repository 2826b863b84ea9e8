"""The columns of the DUK and retirement files: Indonesian headers, as BKPSDM's forms name them."""

from __future__ import annotations

from typing import Any

from pegawai.exports import Column, date_of, text_of


def _position(row: dict[str, Any]) -> Any:
    return (row.get("position") or {}).get("name")


def _education(row: dict[str, Any]) -> str:
    return str(row["education"]).replace("_", " ").upper()


DUK_COLUMNS = (
    Column("No. Urut", text_of("rank"), 9),
    Column("NIP", text_of("nip"), 22),
    Column("Nama", text_of("name"), 32),
    Column("Golongan", text_of("golongan"), 10),
    Column("Pangkat", text_of("pangkat"), 22),
    Column("TMT Golongan", date_of("tmt_golongan")),
    Column("Jabatan", _position, 32),
    Column("Unit Kerja", text_of("unit_code"), 18),
    Column("TMT CPNS", date_of("tmt_cpns")),
    Column("Diklat Kepemimpinan", date_of("leadership_training"), 20),
    Column("Pendidikan", _education, 12),
    Column("Tanggal Lahir", date_of("birth_date")),
)

RETIREMENT_COLUMNS = (
    Column("NIP", text_of("nip"), 22),
    Column("Nama", text_of("name"), 32),
    Column("Unit Kerja", text_of("unit_code"), 18),
    Column("Jabatan", _position, 32),
    Column("Tanggal Lahir", date_of("birth_date")),
    Column("TMT Pensiun (BUP)", date_of("retirement_date"), 18),
    Column("Lewat Waktu", lambda row: "Ya" if row["overdue"] else "Tidak", 12),
)
