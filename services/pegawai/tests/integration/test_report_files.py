"""DUK and retirements as files: the XLSX and CSV a BKPSDM officer downloads."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pegawai.domain.dates import add_months, add_years, first_of_next_month, today_wib
from pegawai_testkit import HEAD, MID, OTHER, STAFF, employee_body

pytestmark = pytest.mark.integration
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_duk_as_xlsx_holds_the_whole_list_in_duk_order(city):
    # `limit=1` pages the JSON; the file is the whole list, whatever the page.
    response = await city.call("GET", "/reports/duk?as_of=2026-06-30&format=xlsx&limit=1")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == (
        'attachment; filename="DUK-kota-2026-06-30.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("No. Urut", "NIP", "Nama", "Golongan", "Pangkat", "TMT Golongan")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (1, HEAD, "IV/b"),
        (2, MID, "III/b"),
        (3, OTHER, "III/b"),
        (4, STAFF, "III/b"),
    ]
    # The NIP stays text (a number would lose its last digits); dates are real dates.
    assert isinstance(rows[1][1], str)
    assert rows[1][5] == datetime(2022, 4, 1)  # openpyxl reads dates naive


async def test_duk_of_one_unit_as_csv(city):
    response = await city.call("GET", "/reports/duk?unit=dinkes-p2p&as_of=2025-12-31&format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="DUK-dinkes-p2p-2025-12-31.csv"' in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 as UTF-8 only with a BOM
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["No. Urut", "NIP", "Nama"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("1", MID), ("2", STAFF)]
    assert rows[1][5] == "2022-04-01"


async def test_retirements_as_xlsx_and_csv(city):
    born = add_months(add_years(today_wib(), -58), 3).replace(day=10)
    near = f"{born:%Y%m%d}2000031013"
    body = employee_body(near, "dinkes", tmt_golongan="2016-04-01", golongan="III/d")
    assert (await city.call("POST", "/employees", body)).status_code == 201
    due = first_of_next_month(add_years(born, 58))

    xlsx = await city.call("GET", "/reports/retirements?months=12&format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-disposition"].startswith('attachment; filename="Pensiun-kota-')
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "NIP",
        "Nama",
        "Unit Kerja",
        "Jabatan",
        "Tanggal Lahir",
        "TMT Pensiun (BUP)",
        "Lewat Waktu",
    )
    assert [(r[0], r[2], r[5].date(), r[6]) for r in rows[1:]] == [(near, "dinkes", due, "Tidak")]

    csv_file = await city.call("GET", "/reports/retirements?months=12&format=csv")
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        [near, rows[1][1], "dinkes", rows[1][3], born.isoformat(), due.isoformat(), "Tidak"]
    ]


async def test_an_unknown_format_is_a_422_not_a_file(city):
    response = await city.call("GET", "/reports/duk?format=pdf")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
