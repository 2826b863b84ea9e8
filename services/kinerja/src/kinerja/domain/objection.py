"""Keberatan against an annual predikat: filed within a configured number of days after
the appraisal became final (DOMAIN 1.8, Pasal 29), once, and decided by the atasan
pejabat penilai."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class ObjectionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def objection_deadline(finalized_on: date, days: int) -> date:
    """The last day a keberatan may be filed."""
    return finalized_on + timedelta(days=days)


def within_deadline(finalized_on: date, today: date, days: int) -> bool:
    return finalized_on <= today <= objection_deadline(finalized_on, days)
