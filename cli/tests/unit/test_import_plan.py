"""The import's checks on a made-up SIASN export: every kind of row problem, and the order
in which the commands would go (parents and supervisors first)."""

from __future__ import annotations

from pathlib import Path

from asn_cli.import_plan import make_plan
from asn_cli.siasn import Sheet, read_export
from siasn_fixtures import HEAD, MID, STAFF, UNITS, employee, good_rows, write_workbook

UNIT_SHEET = Sheet(
    "UNOR",
    [
        (n, {"KODE_UNIT": c, "UNOR_ID": i, "NAMA_UNOR": name, "JENIS": k, "KODE_INDUK": p})
        for n, (c, i, name, k, p) in enumerate(reversed(UNITS), start=2)
    ],
)


def sheet(rows: list[dict[str, str]]) -> Sheet:
    return Sheet("PNS", list(enumerate(rows, start=2)))


def codes(plan) -> list[tuple[int, str, str]]:
    return [(p.line, p.key, p.code) for p in plan.problems]


def test_a_clean_export_plans_parents_and_supervisors_first_with_siasn_values_mapped():
    plan = make_plan(sheet(good_rows()), UNIT_SHEET, {}, set())

    assert plan.problems == []
    assert [c.key for c in plan.units] == ["dinkes", "dinkes-p2p"]
    assert [c.key for c in plan.employees] == [HEAD, MID, STAFF]
    head, mid, staff = (c.body for c in plan.employees)
    assert head["name"] == "dr. Pegawai 1002, M.Kes"
    assert (head["unit_code"], head["golongan"], head["education"]) == ("dinkes", "IV/b", "s2")
    assert head["position"] == {"name": "Kepala Dinas", "kind": "jpt", "level": "pratama"}
    assert mid["position"]["kind"] == "pengawas" and mid["supervisor_nip"] == HEAD
    assert (staff["education"], staff["sex"], staff["unit_code"]) == ("d3", "female", "dinkes-p2p")
    assert (staff["birth_date"], staff["tmt_cpns"]) == ("1990-02-02", "2015-03-01")


def test_what_pegawai_already_holds_is_counted_and_not_sent_again():
    plan = make_plan(sheet(good_rows()), UNIT_SHEET, {"dinkes": "Dinas Kesehatan"}, {HEAD, MID})

    assert [c.key for c in plan.units] == ["dinkes-p2p"]
    assert [c.key for c in plan.employees] == [STAFF]
    assert (plan.units_present, plan.employees_present) == (1, 2)


def test_each_row_problem_is_named_with_its_line_and_the_row_left_out():
    rows = [
        *good_rows(),
        employee("19900202201503200", MID),  # line 5: 17 digits
        employee("199101012016011001", MID, GOL_AKHIR_NAMA="III/z"),  # line 6
        employee("199201012017011001", MID, UNOR_ID="", UNOR_NAMA="Dinas Pariwisata"),  # 7
        employee("199301012018011001", "199999999999999999"),  # line 8: no such supervisor
        employee("199401012019011001", MID),  # line 9, and again at 10
        employee("199401012019011001", MID),
        employee("199501012020011001", "199601012020011001"),  # 11 ↔ 12: a cycle
        employee("199601012020011001", "199501012020011001"),
        employee("199701012021011001", "199101012016011001"),  # 13: supervisor is line 6
        employee("199801012022011001", MID, TGL_LAHIR="31-02-1998"),  # 14: no such date
        employee("199901012023011001", MID, JENIS_JABATAN_NAMA="Fungsional"),  # 15: no jenjang
        employee(
            "199902012023011001",
            MID,
            JENIS_JABATAN_NAMA="Fungsional",
            JABATAN_NAMA="Perawat Ahli Muda",
        ),
    ]
    plan = make_plan(sheet(rows), UNIT_SHEET, {}, set())

    assert codes(plan) == [
        (5, "19900202201503200", "nip_malformed:nip_length"),
        (6, "199101012016011001", "unknown_golongan"),
        (7, "199201012017011001", "unknown_unit"),
        (8, "199301012018011001", "unknown_supervisor"),
        (9, "199401012019011001", "duplicate"),
        (10, "199401012019011001", "duplicate"),
        (11, "199501012020011001", "supervisor_cycle"),
        (12, "199601012020011001", "supervisor_cycle"),
        (13, "199701012021011001", "supervisor_not_imported"),
        (14, "199801012022011001", "bad_date"),
        (15, "199901012023011001", "unknown_position_level"),
    ]
    assert [c.key for c in plan.employees] == [HEAD, MID, STAFF, "199902012023011001"]
    assert plan.employees[-1].body["position"]["level"] == "ahli_muda"
    assert "Bidang" not in plan.problems[2].message and "UNOR" in plan.problems[2].message


def test_a_nip_disagreeing_with_the_birth_date_is_a_warning_and_the_row_is_imported():
    rows = [*good_rows(), employee("199103032016011001", MID, TGL_LAHIR="04-03-1991")]
    plan = make_plan(sheet(rows), UNIT_SHEET, {}, set())

    assert [(p.code, p.severity) for p in plan.problems] == [("nip_birth_date_mismatch", "warning")]
    assert plan.errors == []
    assert "199103032016011001" in [c.key for c in plan.employees]


def test_a_unit_whose_parent_is_nowhere_is_left_out_with_its_people():
    units = Sheet("UNOR", [(2, {"KODE_UNIT": "x-bidang", "NAMA_UNOR": "X", "JENIS": "bidang",
                                "KODE_INDUK": "x"})])  # fmt: skip
    rows = [employee(HEAD, "", KODE_UNIT="x-bidang", UNOR_ID="")]
    plan = make_plan(sheet(rows), units, {}, set())

    assert codes(plan) == [(2, "x-bidang", "unknown_parent_unit"), (2, HEAD, "unknown_unit")]
    assert plan.units == [] and plan.employees == []


def test_the_export_reads_from_xlsx_with_its_unor_sheet_and_from_a_semicolon_csv(tmp_path: Path):
    book = write_workbook(tmp_path / "siasn.xlsx", good_rows())
    employees, units = read_export(book)
    assert (employees.name, [r["NIP_BARU"] for _, r in employees.rows]) == (
        "PNS",
        [STAFF, MID, HEAD],
    )
    assert units is not None and [r["KODE_UNIT"] for _, r in units.rows] == ["dinkes", "dinkes-p2p"]

    csv_file = tmp_path / "siasn.csv"
    csv_file.write_text(
        "nip baru;Nama;TGL LAHIR\n" + f"{STAFF};Siti;02-02-1990\n", encoding="utf-8"
    )
    unit_csv = tmp_path / "unor.csv"
    unit_csv.write_text("KODE_UNIT,NAMA_UNOR\ndinkes,Dinas Kesehatan\n", encoding="utf-8")
    employees, units = read_export(csv_file, unit_csv)
    assert employees.rows == [(2, {"NIP_BARU": STAFF, "NAMA": "Siti", "TGL_LAHIR": "02-02-1990"})]
    assert units is not None and units.rows[0][1]["NAMA_UNOR"] == "Dinas Kesehatan"
