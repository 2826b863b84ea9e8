"""The drill's verdict: lost and duplicated effects counted from requests and findings, in
every place a command must show (its topic, its service, the read model, the replicas);
and the workload's plan."""

import drill_workload as workload
from drill_checks import RECOVER_LIMIT_S, TOPIC, Found, Op, table, tally

PLACES = {
    "registration": (TOPIC, "pegawai", "read model", "presensi replica"),
    "skp-draft": ("kinerja",),
}


def _op(subject: str, status: int | None, attempts: int = 1, kind: str = "registration") -> Op:
    return Op(kind, subject, key=f"k-{subject}", attempts=attempts, status=status)


def _everywhere(*subjects: str, n: int = 1) -> dict[str, dict[tuple[str, str], int]]:
    places = ("pegawai", "read model", "presensi replica")
    return {p: {("registration", s): n for s in subjects} for p in places}


def test_every_acknowledged_command_with_one_event_and_one_effect_everywhere_passes():
    ops = [_op("a", 201), _op("b", 201, attempts=3)]
    found = Found(
        events={("registration", "a"): ["e1"], ("registration", "b"): ["e2", "e2"]},
        applied=_everywhere("a", "b"),
        expected=PLACES,
    )
    row = tally("broker killed", ops, found, recover_s=4.2)
    assert (row.sent, row.acknowledged, row.failed) == (2, 2, 0)
    assert (row.lost, row.duplicated) == (0, 0)
    assert row.resent == 1  # the same event id twice on the topic: absorbed, not a duplicate
    assert row.retries == 2
    assert row.passed


def test_an_acknowledged_command_missing_in_any_one_place_is_lost():
    ops = [_op("topic", 201), _op("service", 201), _op("replica", 201)]
    applied = _everywhere("topic", "service", "replica")
    del applied["pegawai"][("registration", "service")]
    applied["presensi replica"][("registration", "replica")] = 0
    events = {("registration", s): [f"e-{s}"] for s in ("service", "replica")}
    found = Found(events=events, applied=applied, expected=PLACES)
    row = tally("service killed", ops, found, recover_s=None)
    assert row.lost == 3
    assert found.missing(ops[0]) == [TOPIC]
    assert found.missing(ops[1]) == ["pegawai"]
    assert found.missing(ops[2]) == ["presensi replica"]
    assert not row.passed


def test_two_distinct_events_or_two_effects_in_one_place_are_duplicates():
    ops = [_op("a", 201), _op("b", 503), _op("c", 201)]
    applied = _everywhere("a", "b", "c")
    applied["pegawai"][("registration", "b")] = 2
    applied["read model"][("registration", "c")] = 2
    found = Found(
        events={
            ("registration", "a"): ["e1", "e2"],
            ("registration", "b"): ["e3"],
            ("registration", "c"): ["e4"],
        },
        applied=applied,
        expected=PLACES,
    )
    row = tally("service killed", ops, found, recover_s=1.0)
    assert row.duplicated == 3
    assert row.failed == 1 and row.failed_with_effect == 1
    assert "FAILED" in table([row])


def test_a_failed_command_with_one_effect_or_none_is_neither_lost_nor_duplicated():
    ops = [_op("a", None, attempts=9), _op("b", 503, attempts=4)]
    found = Found(events={("registration", "b"): ["e1"]}, applied=_everywhere("b"), expected=PLACES)
    row = tally("x", ops, found, None)
    assert (row.failed, row.lost, row.duplicated, row.failed_with_effect) == (2, 0, 0, 1)
    assert row.passed
    assert table([row]).splitlines()[2].startswith("| x ")


def test_a_kind_without_an_event_is_judged_by_its_service_alone():
    ops = [_op("a", 201, kind="skp-draft"), _op("b", 201, kind="skp-draft")]
    found = Found(
        events={},
        applied={"kinerja": {("skp-draft", "a"): 1, ("skp-draft", "b"): 2}},
        expected=PLACES,
    )
    row = tally("x", ops, found, None)
    assert found.counts(ops[0]) == {"kinerja": 1}
    assert (row.lost, row.duplicated) == (0, 1)


def test_every_kind_publishing_an_event_is_counted_on_its_topic_and_downstream():
    places = workload.expected_places()
    for name, kind in workload.KINDS.items():
        assert places[name][0] == TOPIC if kind.event_type else TOPIC not in places[name]
        assert kind.probes, name
    assert set(places["registration"]) == {
        TOPIC,
        "pegawai",
        "read model",
        "presensi replica",
        "kinerja replica",
    }
    assert "pegawai replica" in places["appraisal-finalize"]
    assert {k for s in workload.SCENARIOS for k in s} == set(workload.KINDS)


def test_the_plan_sends_the_asked_count_in_chains_one_person_each():
    chains = workload.plan(40)
    assert sum(len(c) for c in chains) == 40
    for chain in chains:
        assert len({op.subject for op in chain}) == 1
        assert len({op.key for op in chain}) == len(chain)
        assert tuple(op.kind for op in chain) in {s[: len(chain)] for s in workload.SCENARIOS}
    kinds = {op.kind for c in chains for op in c}
    assert {"registration", "promotion", "check-out", "leave-decision"} <= kinds
    registered = {c[0].subject for c in chains if c[0].kind == "registration"}
    assert registered.isdisjoint(workload.people(chains))
    assert len(workload.people(chains)) == len(chains) - len(registered)


def test_a_fault_the_consumers_took_longer_than_the_stated_time_to_absorb_fails():
    ops = [_op("a", 201)]
    found = Found(events={("registration", "a"): ["e1"]}, applied=_everywhere("a"), expected=PLACES)
    assert tally("broker killed", ops, found, recover_s=RECOVER_LIMIT_S).passed
    late = tally("broker killed", ops, found, recover_s=RECOVER_LIMIT_S + 0.1)
    assert (late.lost, late.duplicated) == (0, 0)
    assert not late.passed and "FAILED" in table([late])
