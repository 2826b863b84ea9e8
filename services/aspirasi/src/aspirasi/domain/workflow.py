"""The states of a ticket, who moves it, and which clocks each step stops and starts.

received ─verify→ verified ─route→ routed ─follow_up→ followed_up ─answer→ answered
   │  (route, hold, refer, archive from received, verified, held or returned)     │
   │                 routed/reopened/followed_up ─return→ returned (to the coordinator)
   │                                answered ─confirm/auto_close→ closed
   │                                answered ─reopen→ reopened (same unit, follow-up again)
referred and archived are final, like closed.
"""

from __future__ import annotations

from enum import StrEnum

from asn_schemas.aspirasi import SlaClock
from asn_schemas.aspirasi import SubmissionStatus as S


class Action(StrEnum):
    VERIFY = "verify"
    ROUTE = "route"
    HOLD = "hold"
    REFER = "refer"
    ARCHIVE = "archive"
    RETURN = "return"
    FOLLOW_UP = "follow_up"
    ANSWER = "answer"
    CONFIRM = "confirm"
    REOPEN = "reopen"
    AUTO_CLOSE = "auto_close"


class TransitionRefused(Exception):
    def __init__(self, status: S, action: Action) -> None:
        super().__init__(f"{action} is not possible in status {status}")
        self.status = status
        self.action = action


_UNDECIDED = (S.RECEIVED, S.VERIFIED, S.HELD, S.RETURNED)
_WITH_UNIT = (S.ROUTED, S.REOPENED)

TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.RECEIVED, Action.VERIFY): S.VERIFIED,
    (S.RETURNED, Action.VERIFY): S.VERIFIED,
    **{(s, Action.ROUTE): S.ROUTED for s in _UNDECIDED},
    **{(s, Action.HOLD): S.HELD for s in (S.RECEIVED, S.VERIFIED, S.RETURNED)},
    **{(s, Action.REFER): S.REFERRED for s in _UNDECIDED},
    **{(s, Action.ARCHIVE): S.ARCHIVED for s in _UNDECIDED},
    **{(s, Action.RETURN): S.RETURNED for s in (*_WITH_UNIT, S.FOLLOWED_UP)},
    **{(s, Action.FOLLOW_UP): S.FOLLOWED_UP for s in _WITH_UNIT},
    (S.FOLLOWED_UP, Action.ANSWER): S.ANSWERED,
    (S.ANSWERED, Action.CONFIRM): S.CLOSED,
    (S.ANSWERED, Action.AUTO_CLOSE): S.CLOSED,
    (S.ANSWERED, Action.REOPEN): S.REOPENED,
}

FINAL = frozenset({S.REFERRED, S.ARCHIVED, S.CLOSED})
COORDINATOR_ACTIONS = frozenset(
    {Action.VERIFY, Action.ROUTE, Action.HOLD, Action.REFER, Action.ARCHIVE}
)
UNIT_ACTIONS = frozenset({Action.RETURN, Action.FOLLOW_UP, Action.ANSWER})


def next_status(status: S, action: Action) -> S:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionRefused(status, action) from None


def accepts_messages(status: S) -> bool:
    """The citizen may add information until the ticket is final."""
    return status not in FINAL


def may_rate(status: S, already_rated: bool) -> bool:
    """An answer is rated once, once it exists (answered, or closed after one)."""
    return not already_rated and status in (S.ANSWERED, S.CLOSED)


_ALL = frozenset(SlaClock)

# (clocks stopped, clocks started) by a step. The resolution clock starts once, at the
# first verification; a reopen restarts the unit's follow-up clock but not the 60 days,
# which Perpres 76/2013 counts from the complete file.
CLOCKS: dict[Action, tuple[frozenset[SlaClock], frozenset[SlaClock]]] = {
    Action.VERIFY: (frozenset({SlaClock.VERIFICATION}), frozenset({SlaClock.RESOLUTION})),
    Action.ROUTE: (
        frozenset({SlaClock.VERIFICATION}),
        frozenset({SlaClock.RESOLUTION, SlaClock.FOLLOW_UP}),
    ),
    Action.HOLD: (frozenset({SlaClock.VERIFICATION}), frozenset()),
    Action.REFER: (_ALL, frozenset()),
    Action.ARCHIVE: (_ALL, frozenset()),
    Action.RETURN: (frozenset({SlaClock.FOLLOW_UP}), frozenset({SlaClock.VERIFICATION})),
    Action.FOLLOW_UP: (frozenset({SlaClock.FOLLOW_UP}), frozenset()),
    Action.ANSWER: (frozenset(), frozenset()),
    Action.CONFIRM: (_ALL, frozenset()),
    Action.AUTO_CLOSE: (_ALL, frozenset()),
    Action.REOPEN: (frozenset(), frozenset({SlaClock.FOLLOW_UP})),
}


def may_return(units_returned: frozenset[str], unit_code: str) -> bool:
    """A unit sends a ticket back as misrouted at most once."""
    return unit_code not in units_returned
