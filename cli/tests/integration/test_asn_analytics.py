"""`asn analytics consume` and `asn report run` as an operator runs them, on the real broker."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from analytics_events import known_events, publish_events
from tests_cli_support import asn

pytestmark = pytest.mark.integration


async def test_consume_then_report_writes_every_report_and_a_second_consume_adds_nothing(
    kafka_bootstrap, new_topic, tmp_path
):
    topic = await new_topic("presensi")
    events = known_events()
    await publish_events(kafka_bootstrap, topic, events)
    db, out = tmp_path / "a.duckdb", tmp_path / "reports"
    where = ("--topic", topic, "--db", str(db), "--bootstrap", kafka_bootstrap)

    first = await asn("analytics", "consume", *where)
    assert first.returncode == 0, first.stderr
    assert f"{len(events)} event(s) landed, 0 duplicate(s)" in first.stdout
    second = await asn("analytics", "consume", *where)
    assert "0 event(s) landed, 0 duplicate(s) absorbed, 0 message(s) rejected" in second.stdout

    report = await asn("report", "run", "--out", str(out), "--db", str(db))
    assert report.returncode == 0, report.stderr
    assert "complaint_sla: 1 row(s)" in report.stdout
    assert "attendance_by_unit_month: 2 row(s)" in report.stdout
    assert (out / "report.html").stat().st_size > 0
    assert len(list(out.glob("*.parquet"))) == len(list(out.glob("*.csv"))) == 6

    # The same through the package's own entry point, for teams without the `asn` CLI.
    module = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "asn_analytics", "report", "--db", str(db), "--out", str(out / "m")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0, module.stderr
    assert (out / "m" / "promotions_by_period.csv").read_text().splitlines()[1:] == [
        "2025,4,reguler,1"
    ]


async def test_report_without_a_database_is_one_line_and_exit_1(tmp_path):
    result = await asn("report", "run", "--out", str(tmp_path / "o"), "--db", str(tmp_path / "no"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"asn: no analytics database at {tmp_path / 'no'}; run `asn analytics consume` first"
    ]
