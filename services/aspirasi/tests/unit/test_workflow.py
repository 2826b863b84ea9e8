"""Every transition of a ticket, the refused ones, and the clocks each step moves."""

import pytest
from asn_schemas.aspirasi import SlaClock
from asn_schemas.aspirasi import SubmissionStatus as S
from aspirasi.domain.workflow import (
    CLOCKS,
    TRANSITIONS,
    Action,
    TransitionRefused,
    accepts_messages,
    may_rate,
    may_return,
    next_status,
)

ALLOWED = [
    (S.RECEIVED, Action.VERIFY, S.VERIFIED),
    (S.RETURNED, Action.VERIFY, S.VERIFIED),
    (S.RECEIVED, Action.ROUTE, S.ROUTED),
    (S.VERIFIED, Action.ROUTE, S.ROUTED),
    (S.HELD, Action.ROUTE, S.ROUTED),
    (S.RETURNED, Action.ROUTE, S.ROUTED),
    (S.RECEIVED, Action.HOLD, S.HELD),
    (S.VERIFIED, Action.HOLD, S.HELD),
    (S.RETURNED, Action.HOLD, S.HELD),
    (S.RECEIVED, Action.REFER, S.REFERRED),
    (S.HELD, Action.REFER, S.REFERRED),
    (S.VERIFIED, Action.REFER, S.REFERRED),
    (S.RETURNED, Action.REFER, S.REFERRED),
    (S.RECEIVED, Action.ARCHIVE, S.ARCHIVED),
    (S.HELD, Action.ARCHIVE, S.ARCHIVED),
    (S.VERIFIED, Action.ARCHIVE, S.ARCHIVED),
    (S.RETURNED, Action.ARCHIVE, S.ARCHIVED),
    (S.ROUTED, Action.RETURN, S.RETURNED),
    (S.REOPENED, Action.RETURN, S.RETURNED),
    (S.FOLLOWED_UP, Action.RETURN, S.RETURNED),
    (S.ROUTED, Action.FOLLOW_UP, S.FOLLOWED_UP),
    (S.REOPENED, Action.FOLLOW_UP, S.FOLLOWED_UP),
    (S.FOLLOWED_UP, Action.ANSWER, S.ANSWERED),
    (S.ANSWERED, Action.CONFIRM, S.CLOSED),
    (S.ANSWERED, Action.AUTO_CLOSE, S.CLOSED),
    (S.ANSWERED, Action.REOPEN, S.REOPENED),
]


@pytest.mark.parametrize(("status", "action", "after"), ALLOWED)
def test_allowed_transitions(status, action, after):
    assert next_status(status, action) is after


def test_the_table_holds_exactly_the_allowed_transitions():
    assert {(s, a): t for s, a, t in ALLOWED} == TRANSITIONS


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.ROUTED, Action.ANSWER),  # an answer before a follow-up
        (S.REOPENED, Action.ANSWER),  # a reopen needs a new follow-up first
        (S.FOLLOWED_UP, Action.REOPEN),  # a reopen of a ticket not answered
        (S.ROUTED, Action.CONFIRM),
        (S.CLOSED, Action.REOPEN),
        (S.CLOSED, Action.CONFIRM),
        (S.ARCHIVED, Action.ROUTE),
        (S.REFERRED, Action.ROUTE),
        (S.ROUTED, Action.ROUTE),
        (S.HELD, Action.HOLD),
        (S.ANSWERED, Action.RETURN),
        (S.RECEIVED, Action.FOLLOW_UP),
    ],
)
def test_refused_transitions(status, action):
    with pytest.raises(TransitionRefused):
        next_status(status, action)


def test_every_status_but_the_final_ones_has_a_way_out():
    final = {S.CLOSED, S.REFERRED, S.ARCHIVED}
    sources = {s for s, _ in TRANSITIONS}
    assert sources == set(S) - final


def test_messages_until_final():
    assert accepts_messages(S.ANSWERED)
    assert accepts_messages(S.HELD)
    assert not accepts_messages(S.CLOSED)
    assert not accepts_messages(S.ARCHIVED)


def test_rating_once_and_only_after_an_answer():
    assert may_rate(S.ANSWERED, already_rated=False)
    assert may_rate(S.CLOSED, already_rated=False)
    assert not may_rate(S.CLOSED, already_rated=True)
    assert not may_rate(S.FOLLOWED_UP, already_rated=False)


def test_a_unit_returns_a_ticket_once():
    assert may_return(frozenset(), "dinkes")
    assert may_return(frozenset({"disdik"}), "dinkes")
    assert not may_return(frozenset({"dinkes"}), "dinkes")


def test_clock_moves():
    stop, start = CLOCKS[Action.ROUTE]
    assert stop == {SlaClock.VERIFICATION}
    assert start == {SlaClock.FOLLOW_UP, SlaClock.RESOLUTION}
    assert CLOCKS[Action.REOPEN] == (frozenset(), frozenset({SlaClock.FOLLOW_UP}))
    assert CLOCKS[Action.RETURN] == (
        frozenset({SlaClock.FOLLOW_UP}),
        frozenset({SlaClock.VERIFICATION}),
    )
    assert CLOCKS[Action.CONFIRM][0] == set(SlaClock)
    assert CLOCKS[Action.HOLD] == (frozenset({SlaClock.VERIFICATION}), frozenset())
    assert set(CLOCKS) == set(Action)
