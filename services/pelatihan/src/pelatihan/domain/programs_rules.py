"""A program's life: draft → published → closed (enrolment closed) → running → completed,
or cancelled from any state before completed."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Action(StrEnum):
    PUBLISH = "publish"
    CLOSE = "close"
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"


_S = ProgramStatus
TRANSITIONS: dict[Action, tuple[frozenset[ProgramStatus], ProgramStatus]] = {
    Action.PUBLISH: (frozenset({_S.DRAFT}), _S.PUBLISHED),
    Action.CLOSE: (frozenset({_S.PUBLISHED}), _S.CLOSED),
    # A program may start straight from published: closing enrolment is then implied.
    Action.START: (frozenset({_S.PUBLISHED, _S.CLOSED}), _S.RUNNING),
    Action.COMPLETE: (frozenset({_S.RUNNING}), _S.COMPLETED),
    Action.CANCEL: (frozenset({_S.DRAFT, _S.PUBLISHED, _S.CLOSED, _S.RUNNING}), _S.CANCELLED),
}


def next_status(current: ProgramStatus, action: Action) -> ProgramStatus | None:
    """The status after `action`, or None when it is not allowed from `current`."""
    allowed, target = TRANSITIONS[action]
    return target if current in allowed else None


def agreement_covers(valid_from: date, valid_until: date, start: date, end: date) -> bool:
    """A program needs its institution's cooperation agreement valid on all its dates."""
    return valid_from <= start and end <= valid_until


def open_for_enrolment(status: ProgramStatus, start: date, today: date) -> bool:
    return status is ProgramStatus.PUBLISHED and today < start
