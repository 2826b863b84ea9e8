"""A made-up SIASN export (never real people): headers as SIASN writes them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

EMPLOYEE_HEADERS = (
    "NIP_BARU", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "TGL_LAHIR", "JENIS_KELAMIN",
    "JENIS_PEGAWAI_NAMA", "GOL_AKHIR_NAMA", "TMT_GOLONGAN", "TMT_CPNS", "JENIS_JABATAN_NAMA",
    "ESELON_NAMA", "JABATAN_NAMA", "TMT_JABATAN", "TINGKAT_PENDIDIKAN_NAMA", "UNOR_ID",
    "UNOR_NAMA", "NIP_ATASAN", "NOMOR_HP", "ALAMAT",
)  # fmt: skip
UNIT_HEADERS = ("KODE_UNIT", "UNOR_ID", "NAMA_UNOR", "JENIS", "KODE_INDUK")

HEAD = "197505052000031002"
MID = "198001012005011003"
STAFF = "199002022015032004"

UNITS = [
    ("dinkes", "A8ACA7", "Dinas Kesehatan", "dinas", ""),
    ("dinkes-p2p", "A8ACA8", "Bidang P2P", "bidang", "dinkes"),
]


def employee(nip: str, boss: str = "", **extra: str) -> dict[str, str]:
    row = {
        "NIP_BARU": nip,
        "NAMA": f"Pegawai {nip[-4:]}",
        "GELAR_DEPAN": "",
        "GELAR_BELAKANG": "S.T.",
        "TGL_LAHIR": f"{nip[6:8]}-{nip[4:6]}-{nip[0:4]}",
        "JENIS_KELAMIN": "M" if nip[14] == "1" else "F",
        "JENIS_PEGAWAI_NAMA": "PNS Daerah",
        "GOL_AKHIR_NAMA": "III/b",
        "TMT_GOLONGAN": "01-04-2022",
        "TMT_CPNS": f"01-{nip[12:14]}-{nip[8:12]}",
        "JENIS_JABATAN_NAMA": "Pelaksana",
        "ESELON_NAMA": "",
        "JABATAN_NAMA": "Analis Kepegawaian",
        "TMT_JABATAN": "",
        "TINGKAT_PENDIDIKAN_NAMA": "S-1",
        "UNOR_ID": "A8ACA8",
        "UNOR_NAMA": "Bidang P2P",
        "NIP_ATASAN": boss,
    }
    row.update(extra)
    return row


def good_rows() -> list[dict[str, str]]:
    return [
        employee(STAFF, MID, GELAR_BELAKANG="A.Md.Kep.", TINGKAT_PENDIDIKAN_NAMA="D-III"),
        employee(MID, HEAD, JENIS_JABATAN_NAMA="Struktural", ESELON_NAMA="IV.a"),
        employee(
            HEAD,
            "",
            GELAR_DEPAN="dr.",
            GELAR_BELAKANG="M.Kes",
            GOL_AKHIR_NAMA="IV/b",
            JENIS_JABATAN_NAMA="Struktural",
            ESELON_NAMA="II.b",
            JABATAN_NAMA="Kepala Dinas",
            UNOR_ID="A8ACA7",
            UNOR_NAMA="Dinas Kesehatan",
            TINGKAT_PENDIDIKAN_NAMA="S-2",
        ),
    ]


def write_workbook(path: Path, rows: list[dict[str, str]], units=UNITS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "PNS"
    sheet.append(EMPLOYEE_HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in EMPLOYEE_HEADERS])
    unor = book.create_sheet("UNOR")
    unor.append(UNIT_HEADERS)
    for unit in units:
        unor.append(list(unit))
    book.save(path)
    return path
