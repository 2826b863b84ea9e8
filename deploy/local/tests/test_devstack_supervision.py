"""The supervisor's policy: backoff, its reset, when a process is given up on, when a
process that does not answer counts as hung, and the settings that change them."""

import signal

import pytest
from devstack.supervision import (
    GiveUp,
    LivenessCount,
    LivenessPolicy,
    Restart,
    RestartHistory,
    RestartPolicy,
    describe_exit,
)

POLICY = RestartPolicy(
    backoff_initial_s=0.5,
    backoff_factor=2.0,
    backoff_max_s=4.0,
    stable_after_s=30.0,
    start_limit_burst=3,
    start_limit_interval_s=60.0,
)


def test_a_crash_after_serving_is_restarted_soon_and_repeated_crashes_back_off_to_the_cap():
    history = RestartHistory(POLICY)
    delays = []
    now = 100.0
    for _ in range(6):
        # Each run answered, then died after 5 s: restarted every time, never given up on.
        decision = history.exited(at=now + 5, started_at=now, became_ready=True)
        assert isinstance(decision, Restart)
        delays.append(decision.delay_s)
        now += 10
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_run_that_lasted_resets_the_backoff():
    history = RestartHistory(POLICY)
    for at in (10.0, 12.0, 15.0):
        history.exited(at=at, started_at=at - 1, became_ready=True)
    decision = history.exited(at=200.0, started_at=100.0, became_ready=True)
    assert decision == Restart(0.5, 1)


def test_start_up_failures_within_the_window_give_up_on_the_burst():
    history = RestartHistory(POLICY)
    first = history.exited(at=1.0, started_at=0.0, became_ready=False)
    second = history.exited(at=3.0, started_at=2.0, became_ready=False)
    third = history.exited(at=6.0, started_at=5.0, became_ready=False)
    assert first == Restart(0.5, 1)
    assert second == Restart(1.0, 2)
    assert third == GiveUp(3, 60.0)


def test_start_up_failures_spread_wider_than_the_window_are_retried():
    history = RestartHistory(POLICY)
    decisions = [
        history.exited(at=at, started_at=at - 1, became_ready=False) for at in (0.0, 50.0, 100.0)
    ]
    # Only two of them lie within any 60 s: each is retried.
    assert all(isinstance(d, Restart) for d in decisions)


def test_a_start_that_succeeded_forgets_earlier_start_up_failures():
    history = RestartHistory(POLICY)
    history.exited(at=1.0, started_at=0.0, became_ready=False)
    history.exited(at=3.0, started_at=2.0, became_ready=False)
    history.exited(at=8.0, started_at=4.0, became_ready=True)
    assert isinstance(history.exited(at=10.0, started_at=9.0, became_ready=False), Restart)
    assert isinstance(history.exited(at=12.0, started_at=11.0, became_ready=False), Restart)
    assert isinstance(history.exited(at=14.0, started_at=13.0, became_ready=False), GiveUp)


def test_a_burst_of_one_gives_up_on_the_first_start_up_failure():
    history = RestartHistory(RestartPolicy(start_limit_burst=1))
    assert history.exited(at=1.0, started_at=0.0, became_ready=False) == GiveUp(1, 120.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"backoff_initial_s": -1.0},
        {"backoff_initial_s": 5.0, "backoff_max_s": 1.0},
        {"backoff_factor": 0.5},
        {"start_limit_burst": 0},
    ],
)
def test_a_policy_that_makes_no_sense_is_refused(kwargs):
    with pytest.raises(ValueError, match=r"backoff|burst"):
        RestartPolicy(**kwargs)


def test_exit_descriptions():
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(0) == "exited with code 0"
    assert describe_exit(None).startswith("exited (status unknown")


def test_only_misses_in_a_row_reach_the_liveness_threshold():
    count = LivenessCount(LivenessPolicy(failure_threshold=3))
    # A slow answer now and then (a loaded machine) never adds up to a kill.
    assert [count.answered(ok) for ok in (False, False, True, False, False, True)] == [False] * 6
    assert [count.answered(ok) for ok in (False, False, False)] == [False, False, True]
    count.reset()  # a new run starts from zero
    assert count.answered(False) is False


def test_the_liveness_defaults_and_zero_period_turning_it_off():
    assert LivenessPolicy() == LivenessPolicy(period_s=5.0, timeout_s=3.0, failure_threshold=3)
    assert LivenessPolicy().enabled
    assert not LivenessPolicy(period_s=0).enabled


@pytest.mark.parametrize(
    "kwargs",
    [{"period_s": -1.0}, {"timeout_s": 0.0}, {"failure_threshold": 0}],
)
def test_a_liveness_policy_that_makes_no_sense_is_refused(kwargs):
    with pytest.raises(ValueError, match="liveness"):
        LivenessPolicy(**kwargs)


def test_the_policies_read_their_settings_from_the_environment():
    environ = {
        "ASN_SUPERVISOR_START_TIMEOUT_S": "300",
        "ASN_SUPERVISOR_START_LIMIT_BURST": " 2 ",
        "ASN_SUPERVISOR_LIVENESS_PERIOD_S": "10",
        "ASN_SUPERVISOR_LIVENESS_TIMEOUT_S": "0.5",
        "ASN_SUPERVISOR_LIVENESS_FAILURE_THRESHOLD": "4",
        "ASN_SUPERVISOR_BACKOFF_MAX_S": "",  # empty: the default
    }
    assert RestartPolicy.from_env(environ) == RestartPolicy(
        start_timeout_s=300.0, start_limit_burst=2
    )
    assert LivenessPolicy.from_env(environ) == LivenessPolicy(10.0, 0.5, 4)
    assert LivenessPolicy.from_env({}) == LivenessPolicy()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ASN_SUPERVISOR_LIVENESS_FAILURE_THRESHOLD", "2.5", "'2.5' is not a whole number"),
        ("ASN_SUPERVISOR_LIVENESS_PERIOD_S", "soon", "'soon' is not a number"),
        ("ASN_SUPERVISOR_LIVENESS_PERIOD_S", "nan", "'nan' is not a number"),
        ("ASN_SUPERVISOR_LIVENESS_TIMEOUT_S", "0", "timeout_s must be more than 0"),
    ],
)
def test_a_bad_liveness_setting_is_refused_naming_it(variable, value, message):
    with pytest.raises(ValueError, match=r"ASN_SUPERVISOR_LIVENESS_") as refused:
        LivenessPolicy.from_env({variable: value})
    assert message in str(refused.value)
