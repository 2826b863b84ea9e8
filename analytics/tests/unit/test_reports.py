"""The standard reports over a small known set of events: the rows a reader of the files sees."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
from analytics_events import known_events
from asn_analytics.reports import REPORTS, run_reports
from asn_analytics.store import Landed, Store

EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "attendance_by_unit_month": [
        ("bkpsdm", "2025-04", 1, 0, 0.0, 0.0),
        ("dinkes", "2025-03", 2, 1, 11.0, 50.0),
    ],
    "leave_by_type": [(2025, "sakit", 1, 0, 1), (2025, "tahunan", 2, 1, 3)],
    "predikat_by_year_unit": [(2024, "bkpsdm", "sangat_baik", 1), (2024, "dinkes", "baik", 1)],
    "promotions_by_period": [(2025, 4, "reguler", 1)],
    "jp_compliance": [(2025, "bkpsdm", 1, 0, 0.0), (2025, "dinkes", 1, 1, 100.0)],
    "complaint_sla": [("dinkes", 2, 1, 50.0)],
}


def land_known_events(store: Store) -> None:
    rows = [
        Landed(str(e.id), e.type, e.source, e.subject, e.time, e.actor, "t.events", 0, n, e.data)
        for n, e in enumerate(known_events())
    ]
    store.write_batch(rows, [], [("t.events", 0, len(rows))])


def plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def test_each_report_has_the_expected_rows_in_csv_parquet_and_html(tmp_path: Path):
    with Store(tmp_path / "a.duckdb") as store:
        land_known_events(store)
    out = tmp_path / "out"
    with Store(tmp_path / "a.duckdb", read_only=True) as store:
        tables = run_reports(store, out)

    assert {t.report.name: [tuple(map(plain, r)) for r in t.rows] for t in tables} == EXPECTED
    for report in REPORTS:
        with (out / f"{report.name}.csv").open(newline="") as f:
            lines = list(csv.reader(f))
        assert len(lines) == 1 + len(EXPECTED[report.name])
        assert [str(plain(v)) for v in EXPECTED[report.name][0]] == lines[1]
        parquet = str(out / f"{report.name}.parquet")
        rows = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [parquet]).fetchall()
        assert [tuple(map(plain, r)) for r in rows] == EXPECTED[report.name]
    page = (out / "report.html").read_text()
    assert page.count("<svg") == len(REPORTS)
    assert "Complaints routed per unit" in page and "<td>dinkes</td>" in page


def test_an_empty_database_gives_empty_reports_not_errors(tmp_path: Path):
    with Store(tmp_path / "a.duckdb") as store:
        tables = run_reports(store, tmp_path / "out")
    assert [len(t.rows) for t in tables] == [0] * len(REPORTS)
    assert "No events of this kind yet." in (tmp_path / "out" / "report.html").read_text()
    header = (tmp_path / "out" / "complaint_sla.csv").read_text().splitlines()
    assert header == ["unit_code,routed,breached,sla_kept_percent"]
