"""`make soak`'s figures and verdict from made-up samples: percentiles, 10 s windows, rows
per route and process, lag recovery per burst, the goals, the CSV and the chart."""

import csv
import math

import pytest
from soak_report import (
    Behind,
    Burst,
    Lag,
    Memory,
    Plan,
    Report,
    Request,
    burst_schedule,
    percentile,
    process_rows,
    rate_at,
    recoveries,
    route_rows,
    table,
    windows,
    write_csv,
)


def _plan(**kw) -> Plan:
    base = {
        "duration_s": 120.0,
        "rate": 10.0,
        "warmup_s": 30.0,
        "bursts": (Burst(60.0, 75.0),),
        "burst_factor": 3.0,
        "checked_processes": frozenset({"pegawai", "gateway"}),
    }
    return Plan(**{**base, **kw})


def _ok(t: float, route: str = "POST /api/employees", latency: float = 0.05) -> Request:
    return Request(t, route, 201, latency, "ok")


def test_percentile_is_the_nearest_rank_of_what_was_seen():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([0.3, 0.1, 0.2], 50) == 0.2
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_windows_cut_by_send_time_and_leave_out_empty_ones_and_timeouts():
    requests = [
        _ok(1.0, latency=0.010),
        _ok(9.9, latency=0.030),
        _ok(25.0, latency=0.500),
        Request(26.0, "POST /api/skp", None, 15.0, "error"),
    ]
    got = windows(requests, width_s=10.0)
    assert [(w.start, w.count) for w in got] == [(0.0, 2), (20.0, 1)]
    assert (got[0].p50, got[0].p99) == (0.010, 0.030)
    assert got[1].p99 == 0.500  # the timeout has no latency to draw


def test_route_rows_count_not_yet_and_errors_apart():
    requests = [
        _ok(1, "POST /api/skp", 0.1),
        _ok(2, "POST /api/skp", 0.3),
        Request(3, "POST /api/skp", 409, 0.02, "not-yet"),
        Request(4, "POST /api/skp", None, 15.0, "error"),
        _ok(5, "POST /api/employees", 0.2),
    ]
    employees, skp = route_rows(requests)
    assert (employees.route, employees.count, employees.errors) == ("POST /api/employees", 1, 0)
    assert (skp.count, skp.not_yet, skp.errors) == (4, 1, 1)
    assert (skp.p50_s, skp.p99_s) == (0.1, 0.3)


def test_memory_growth_is_measured_from_the_warm_up_and_only_suite_processes_are_judged():
    mib = 2**20
    samples = [
        Memory(0, "pegawai", 60 * mib, pid=1),
        Memory(30, "pegawai", 100 * mib, pid=1),
        Memory(120, "pegawai", 120 * mib, pid=1),
        Memory(0, "gateway", 100 * mib, pid=2),
        Memory(30, "gateway", 100 * mib, pid=2),
        Memory(120, "gateway", 130 * mib, pid=2),
        Memory(0, "postgresql", 50 * mib, pid=3),
        Memory(30, "postgresql", 100 * mib, pid=3),
        Memory(120, "postgresql", 400 * mib, pid=3),
    ]
    gateway, pegawai, postgres = process_rows(samples, _plan())
    assert pegawai.growth == pytest.approx(0.20) and pegawai.passed
    assert gateway.growth == pytest.approx(0.30) and not gateway.passed
    assert not postgres.checked and postgres.passed
    report = Report(_plan(), requests=[_ok(t / 10) for t in range(1500)], memory=samples)
    report.lag = [Lag(0, "gateway", 0), Lag(80, "gateway", 0)]
    assert report.failures() == ["gateway grew 30% after the warm-up (limit 25%)"]


def test_a_new_pid_is_a_restart_and_fails_the_soak():
    samples = [Memory(0, "presensi", 2**26, pid=10), Memory(30, "presensi", 2**26, pid=11)]
    [row] = process_rows(samples, _plan(checked_processes=frozenset({"presensi"})))
    assert row.restarts == 1 and not row.passed


def test_lag_back_to_zero_is_timed_from_the_burst_end_over_all_groups():
    bursts = (Burst(60, 75), Burst(180, 195))
    lag = [
        Lag(55, "gateway", 0),
        Lag(70, "gateway", 40),
        Lag(70, "presensi", 12),
        Lag(80, "gateway", 5),
        Lag(80, "presensi", 0),
        Lag(87, "gateway", 0),
        Lag(87, "presensi", 0),
        # The second burst's backlog never drains before the sampling ends.
        Lag(190, "gateway", 300),
        Lag(260, "gateway", 3),
    ]
    first, second = recoveries(lag, bursts)
    assert (first.max_behind, first.zero_after_s, first.passed) == (52, 12.0, True)
    assert (second.max_behind, second.zero_after_s, second.passed) == (300, None, False)
    late = recoveries([Lag(70, "gateway", 9), Lag(140, "gateway", 0)], bursts[:1])
    assert late[0].zero_after_s == 65.0 and not late[0].passed


def test_a_burst_is_drained_once_its_backlog_is_consumed_though_new_events_keep_coming():
    burst = Burst(60, 75)
    lag = [Lag(t, "gateway", n) for t, n in ((76, 40), (80, 12), (85, 2), (90, 2), (140, 2))]
    behind = [
        Behind(76, "gateway", "pegawai.events", 0, 100, 130),
        Behind(76, "gateway", "presensi.events", 1, 50, 60),
        # The first partition is past 130, yet behind again by events sent after the burst.
        Behind(80, "gateway", "pegawai.events", 0, 128, 140),
        Behind(85, "gateway", "pegawai.events", 0, 131, 132),
        Behind(85, "gateway", "presensi.events", 2, 70, 71),
        Behind(90, "gateway", "presensi.events", 1, 61, 62),
        Behind(140, "gateway", "presensi.events", 1, 90, 92),
    ]
    [rec] = recoveries(lag, [burst], behind)
    assert rec.zero_after_s is None  # never a reading at 0: the load goes on
    assert rec.drained_after_s == 10.0  # at 85 s: pegawai[0] at 131 >= 130, presensi[1] gone
    assert rec.max_behind == 40 and rec.passed
    stuck = [Behind(t, "gateway", "kinerja.events", 3, 7, 9) for t in (76, 80, 85, 90, 140)]
    [rec] = recoveries(lag, [burst], stuck)
    assert rec.drained_after_s is None and not rec.passed


def test_bursts_come_every_period_and_leave_room_to_be_seen():
    assert [b.start for b in burst_schedule(600)] == [60, 180, 300, 420, 540]
    assert burst_schedule(120) == (Burst(60, 75),)
    assert burst_schedule(60) == ()
    plan = _plan()
    assert (rate_at(59.9, plan), rate_at(60, plan), rate_at(75, plan)) == (10, 30, 10)
    assert plan.scheduled() == 10 * 120 + 15 * 10 * 2


def test_errors_timeouts_lag_and_a_missed_rate_are_named_in_the_verdict():
    requests = [_ok(t / 10) for t in range(100)] + [
        Request(50, "POST /api/skp", 500, 0.1, "error"),
        Request(51, "POST /api/skp", None, 15.0, "error"),
        Request(52, "POST /api/skp", 500, 0.1, "error"),
    ]
    report = Report(_plan(), requests=requests, lag=[Lag(70, "gateway", 9)])
    report.dead_letters = {"gateway.dlq": 2, "presensi.dlq": 0}
    failures = report.failures()
    assert "2 dead letter(s) in gateway.dlq" in failures
    assert failures[0] == "3 error(s): POST /api/skp -> 500 ×2, POST /api/skp -> no answer ×1"
    assert "the lag of the burst at 60 s neither drained nor back to 0 within 60 s" in failures
    assert any("sent 7% of the scheduled commands" in f for f in failures)


def test_a_clean_run_passes_and_its_table_shows_every_part():
    requests = [_ok(t / 10) for t in range(1500)]
    memory = [Memory(t, "pegawai", 2**26, pid=1) for t in (0, 30, 60, 90, 120)]
    lag = [Lag(70, "gateway", 25), Lag(78, "gateway", 0)]
    report = Report(_plan(), requests=requests, memory=memory, lag=lag)
    assert report.failures() == []
    text = table(report)
    assert "| POST /api/employees | 1500  | 0       | 0      | 50 ms | 50 ms |" in text
    assert "| pegawai | 64 MiB | 64 MiB  | 64 MiB | +0%    | 0        | ok   |" in text
    assert "| 60–75 s | 25         | 3.0 s         | 3.0 s      | ok   |" in text
    assert "dead letters: 0" in text


def test_a_run_too_short_for_a_burst_still_prints_its_table():
    report = Report(_plan(duration_s=60.0, bursts=()), requests=[_ok(t / 10) for t in range(600)])
    text = table(report)
    assert "| POST /api/employees | 600   |" in text
    assert "| burst | max behind | drained after | at 0 after | goal |" in text


def test_the_csv_holds_every_raw_sample(tmp_path):
    report = Report(
        _plan(),
        requests=[_ok(1.5), Request(2, "POST /api/skp", None, 15.0, "error")],
        memory=[Memory(0, "kafka", 1024, pid=7)],
        lag=[Lag(5, "presensi", 3)],
        partitions_behind=[Behind(5, "presensi", "pegawai.events", 2, 7, 10)],
    )
    path = tmp_path / "soak.csv"
    write_csv(report, path)
    rows = list(csv.DictReader(path.open()))
    assert [(r["kind"], r["name"], r["status"], r["outcome"], r["pid"]) for r in rows] == [
        ("request", "POST /api/employees", "201", "ok", ""),
        ("request", "POST /api/skp", "", "error", ""),
        ("memory", "kafka", "", "", "7"),
        ("lag", "presensi", "", "", ""),
        ("partition", "presensi pegawai.events[2]: 7/10", "", "", ""),
    ]
    assert rows[0]["value"] == "0.0500" and rows[3]["value"] == "3"


def test_the_chart_is_a_png(tmp_path):
    from soak_chart import draw

    report = Report(
        _plan(),
        requests=[_ok(t / 10, latency=0.01 * (t % 7)) for t in range(1200)],
        memory=[Memory(t, "gateway", 2**26 + t, pid=1) for t in (0, 30, 60, 90, 120)],
        lag=[Lag(t, "gateway", t % 3) for t in range(0, 130, 5)],
    )
    path = tmp_path / "soak.png"
    draw(report, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000
