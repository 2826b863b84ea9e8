"""The whole-suite fuzz's bookkeeping: which process answers a path, the real ids it mixes
in, and the table it prints."""

from hypothesis import given
from run_fuzz import GATEWAY_PATHS, PEOPLE, UNIT, Cell, Tally, service_of, sometimes_real, table


def test_each_path_is_counted_for_the_process_that_answers_it():
    GATEWAY_PATHS.add("/api/units/{code}/dashboard")
    try:
        assert service_of("/api/units/{code}/dashboard") == "gateway"  # its own view
        assert service_of("/api/units/{code}") == "pegawai"
        assert service_of("/api/units/{code}/organisation-predikat/{year}") == "kinerja"
        assert service_of("/api/leave-requests") == "presensi"
        assert service_of("/api/public/board") == "aspirasi"
        assert service_of("/api/nothing-forwards-this") == "gateway"
    finally:
        GATEWAY_PATHS.discard("/api/units/{code}/dashboard")


@given(sometimes_real({"nip": "000000000000000000", "code": "x", "limit": 5}))
def test_real_ids_replace_only_the_parameters_that_name_one(values):
    assert values["limit"] == 5
    assert values["nip"] in (*PEOPLE, "000000000000000000")
    assert values["code"] in (UNIT, "x")


def test_the_table_counts_per_service_and_role_and_in_all():
    tally = Tally()
    tally.cells[("pegawai", "bkpsdm")] = Cell({"GET /api/units"}, requests=10, real=4)
    tally.cells[("presensi", "pegawai")] = Cell(
        {"GET /api/holidays", "POST /api/attendance/check-in"},
        requests=7,
        server_errors=1,
        violations=2,
    )
    lines = table(tally).splitlines()
    assert [c.strip() for c in lines[0].split("|")][:2] == ["service", "role"]
    assert [c.strip() for c in lines[2].split("|")] == [
        "pegawai",
        "bkpsdm",
        "1",
        "10",
        "4",
        "0",
        "0",
    ]
    assert [c.strip() for c in lines[3].split("|")] == [
        "presensi",
        "pegawai",
        "2",
        "7",
        "0",
        "1",
        "2",
    ]
    assert [c.strip() for c in lines[-1].split("|")] == ["total", "", "3", "17", "4", "1", "2"]
