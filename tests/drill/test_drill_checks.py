"""The drill's verdict: lost and duplicated effects counted from requests and findings."""

from drill_checks import Found, Op, table, tally


def _op(subject: str, status: int | None, attempts: int = 1) -> Op:
    return Op("registration", subject, key=f"k-{subject}", attempts=attempts, status=status)


def test_every_acknowledged_command_with_one_event_and_one_effect_passes():
    ops = [_op("a", 201), _op("b", 201, attempts=3)]
    found = Found(
        events={("registration", "a"): ["e1"], ("registration", "b"): ["e2", "e2"]},
        read_model={("registration", "a"): 1, ("registration", "b"): 1},
    )
    row = tally("broker killed", ops, found, recover_s=4.2)
    assert (row.sent, row.acknowledged, row.failed) == (2, 2, 0)
    assert (row.lost, row.duplicated) == (0, 0)
    assert row.resent == 1  # the same event id twice on the topic: absorbed, not a duplicate
    assert row.retries == 2
    assert row.passed


def test_an_acknowledged_command_missing_on_the_topic_or_in_the_read_model_is_lost():
    ops = [_op("a", 201), _op("b", 201)]
    found = Found(
        events={("registration", "a"): ["e1"]},
        read_model={("registration", "a"): 0, ("registration", "b"): 1},
    )
    row = tally("service killed", ops, found, recover_s=None)
    assert row.lost == 2
    assert not row.passed


def test_two_distinct_events_or_two_applications_are_duplicates():
    ops = [_op("a", 201), _op("b", 503)]
    found = Found(
        events={("registration", "a"): ["e1", "e2"], ("registration", "b"): ["e3"]},
        read_model={("registration", "a"): 1, ("registration", "b"): 2},
    )
    row = tally("service killed", ops, found, recover_s=1.0)
    assert row.duplicated == 2
    assert row.failed == 1 and row.failed_with_effect == 1
    assert "FAILED" in table([row])


def test_a_failed_command_without_effect_is_neither_lost_nor_duplicated():
    row = tally("x", [_op("a", None, attempts=9)], Found(events={}, read_model={}), None)
    assert (row.failed, row.lost, row.duplicated, row.failed_with_effect) == (1, 0, 0, 0)
    assert row.passed
    assert table([row]).splitlines()[2].startswith("| x ")
