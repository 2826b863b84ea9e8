"""The SKP's life: drafted by the employee, agreed by the supervisor or sent back; a
mutasi or a new supervisor mid-year closes it and opens a new one for the rest of the year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class SkpStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class SkpAction(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


TRANSITIONS: dict[tuple[SkpStatus, SkpAction], SkpStatus] = {
    (SkpStatus.DRAFT, SkpAction.EDIT): SkpStatus.DRAFT,
    (SkpStatus.RETURNED, SkpAction.EDIT): SkpStatus.RETURNED,
    (SkpStatus.DRAFT, SkpAction.SUBMIT): SkpStatus.SUBMITTED,
    (SkpStatus.RETURNED, SkpAction.SUBMIT): SkpStatus.SUBMITTED,
    (SkpStatus.SUBMITTED, SkpAction.APPROVE): SkpStatus.APPROVED,
    (SkpStatus.SUBMITTED, SkpAction.RETURN): SkpStatus.RETURNED,
}


class TransitionRefused(Exception):
    def __init__(self, status: SkpStatus, action: SkpAction) -> None:
        super().__init__(f"cannot {action.value} an SKP that is {status.value}")
        self.status = status
        self.action = action


def next_status(status: SkpStatus, action: SkpAction) -> SkpStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionRefused(status, action) from None


@dataclass(frozen=True)
class Split:
    """How a change from `tmt` cuts an SKP: the earlier one ends the day before, and the
    new one runs from `tmt` to the old end."""

    earlier_end: date
    new_start: date
    new_end: date


def split_at(start: date, end: date, tmt: date) -> Split | None:
    """None when the change does not fall strictly inside the SKP (nothing to keep apart)."""
    if not start < tmt <= end:
        return None
    return Split(earlier_end=tmt - timedelta(days=1), new_start=tmt, new_end=end)
