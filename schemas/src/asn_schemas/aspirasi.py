"""Events published by the aspirasi service on `aspirasi.events` (DOMAIN 1.10).

Submission events are keyed by the ticket code (`SWL-2026-000123`); signals by the unit
code. No event carries the reporter's contact or name, and a `rahasia` ticket's events
carry no title and no text (`title`/`text` are null): consumers may be public.
Business dates (`…_on`, `due`) are in Asia/Jakarta (WIB); instants (`…_at`) are UTC.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from asn_schemas.base import ContractModel, EventPayload, UtcDatetime


class SubmissionKind(StrEnum):
    ASPIRASI = "aspirasi"
    PENGADUAN = "pengaduan"
    PERMINTAAN_INFORMASI = "permintaan_informasi"
    APRESIASI = "apresiasi"
    TINDAK_LANJUT_FORUM = "tindak_lanjut_forum"
    """A follow-up item promised in a forum masyarakat, tracked like a submission."""


class Privacy(StrEnum):
    """`rahasia`: not public (the default); `anonim`: public, reporter hidden; `publik`."""

    RAHASIA = "rahasia"
    ANONIM = "anonim"
    PUBLIK = "publik"


class SubmissionStatus(StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    HELD = "held"
    REFERRED = "referred"
    ARCHIVED = "archived"
    ROUTED = "routed"
    RETURNED = "returned"
    FOLLOWED_UP = "followed_up"
    ANSWERED = "answered"
    REOPENED = "reopened"
    CLOSED = "closed"


class SlaClock(StrEnum):
    VERIFICATION = "verification"
    """3 working days from receipt (or a misrouted return) to the coordinator's decision."""
    FOLLOW_UP = "follow_up"
    """5 working days from routing (or a reopen) to the unit's stated tindak lanjut."""
    RESOLUTION = "resolution"
    """60 days from verification to closure (Perpres 76/2013); a forum item's own due date."""


class CloseOutcome(StrEnum):
    RESOLVED = "resolved"
    TIMED_OUT = "timed_out"


class SubmissionSnapshot(ContractModel):
    """The ticket as consumers may know it: never contact data or the reporter's name."""

    submission_id: UUID
    code: str = Field(min_length=1, examples=["SWL-2026-000123"])
    kind: SubmissionKind
    privacy: Privacy
    status: SubmissionStatus
    unit_code: str | None = Field(description="The unit it is routed to; null before routing.")
    title: str | None = Field(description="Null for a `rahasia` ticket.")
    text: str | None = Field(description="Null for a `rahasia` ticket.")
    received_at: UtcDatetime
    reopen_count: int = Field(ge=0)
    escalated: bool = Field(description="A clock of this ticket has been breached.")
    forum_id: UUID | None = None


class SubmissionReceivedV1(EventPayload):
    """A citizen's submission (aspiration or pengaduan) arrived; verification is due by
    `verification_due`."""

    event_type = "aspirasi.submission.received.v1"

    submission: SubmissionSnapshot
    verification_due: dt.date


class SubmissionRoutedV1(EventPayload):
    """Disposisi to a unit; `follow_up_due` restarts the unit's clock."""

    event_type = "aspirasi.submission.routed.v1"

    submission: SubmissionSnapshot
    unit_code: str = Field(min_length=1)
    routed_at: UtcDatetime
    follow_up_due: dt.date
    resolution_due: dt.date


class SubmissionHeldV1(EventPayload):
    """The coordinator put a submission on hold, e.g. waiting for the citizen's details."""

    event_type = "aspirasi.submission.held.v1"

    submission: SubmissionSnapshot
    reason: str = Field(min_length=1)
    held_at: UtcDatetime


class SubmissionReferredV1(EventPayload):
    """Not the city's authority: the referral names where the citizen should go."""

    event_type = "aspirasi.submission.referred.v1"

    submission: SubmissionSnapshot
    referral: str = Field(min_length=1)
    referred_at: UtcDatetime


class SubmissionArchivedV1(EventPayload):
    """Not followed up (spam, duplicate, out of scope); the reason says which."""

    event_type = "aspirasi.submission.archived.v1"

    submission: SubmissionSnapshot
    reason: str = Field(min_length=1)
    archived_at: UtcDatetime


class SubmissionReturnedV1(EventPayload):
    """The unit sent it back to the coordinator as misrouted (once per unit)."""

    event_type = "aspirasi.submission.returned.v1"

    submission: SubmissionSnapshot
    from_unit_code: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    returned_at: UtcDatetime
    verification_due: dt.date


class SubmissionFollowedUpV1(EventPayload):
    """The unit recorded a follow-up step; the citizen sees progress."""

    event_type = "aspirasi.submission.followed_up.v1"

    submission: SubmissionSnapshot
    followed_up_at: UtcDatetime
    note: str | None = Field(description="Null for a `rahasia` ticket.")


class SubmissionAnsweredV1(EventPayload):
    """The unit answered; the citizen may confirm, reopen, or stay silent until `auto_close_on`."""

    event_type = "aspirasi.submission.answered.v1"

    submission: SubmissionSnapshot
    answered_at: UtcDatetime
    answer: str | None = Field(description="Null for a `rahasia` ticket.")
    auto_close_on: dt.date = Field(description="Closes by itself then if the citizen is silent.")


class SubmissionReopenedV1(EventPayload):
    """The citizen was not satisfied with the answer: the unit's clock starts again."""

    event_type = "aspirasi.submission.reopened.v1"

    submission: SubmissionSnapshot
    reopened_at: UtcDatetime
    reopen_count: int = Field(ge=1)
    follow_up_due: dt.date


class SubmissionClosedV1(EventPayload):
    """Confirmed by the citizen (`resolved`) or closed after 10 silent working days."""

    event_type = "aspirasi.submission.closed.v1"

    submission: SubmissionSnapshot
    outcome: CloseOutcome
    closed_at: UtcDatetime
    rating: int | None = Field(default=None, ge=1, le=5)


class SubmissionRatedV1(EventPayload):
    """The citizen rated the handling of a closed submission (1–5)."""

    event_type = "aspirasi.submission.rated.v1"

    submission: SubmissionSnapshot
    rating: int = Field(ge=1, le=5)
    rated_at: UtcDatetime


class SlaBreachedV1(EventPayload):
    """A clock ran out; published once per clock (a reopen starts new clocks)."""

    event_type = "aspirasi.sla.breached.v1"

    submission_id: UUID
    code: str = Field(min_length=1)
    clock: SlaClock
    unit_code: str | None = Field(description="Null for the coordinator's verification clock.")
    due: dt.date
    breached_at: UtcDatetime


class ForumOrganisation(ContractModel):
    name: str = Field(min_length=1)
    count: int = Field(ge=0)


class ForumHeldV1(EventPayload):
    """A forum masyarakat session: counts of organisations present, no personal data."""

    event_type = "aspirasi.forum.held.v1"

    forum_id: UUID
    unit_code: str | None = Field(description="Null for a city-wide session.")
    held_on: dt.date
    place: str = Field(min_length=1)
    organisations: tuple[ForumOrganisation, ...]
    participant_count: int = Field(ge=0)


class UnitSignalComputedV1(EventPayload):
    """A unit's month of citizens' voice: context for dashboards, never for an appraisal."""

    event_type = "aspirasi.unit.signal_computed.v1"

    unit_code: str = Field(min_length=1)
    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-11"])
    received: int = Field(ge=0)
    resolved: int = Field(ge=0)
    sla_compliance: float | None = Field(ge=0, le=1, description="Share of due clocks kept.")
    reopen_rate: float | None = Field(ge=0, description="Reopens per answered ticket.")
    average_rating: float | None = Field(ge=1, le=5)
    computed_at: UtcDatetime


ASPIRASI_EVENTS: tuple[type[EventPayload], ...] = (
    SubmissionReceivedV1,
    SubmissionRoutedV1,
    SubmissionHeldV1,
    SubmissionReferredV1,
    SubmissionArchivedV1,
    SubmissionReturnedV1,
    SubmissionFollowedUpV1,
    SubmissionAnsweredV1,
    SubmissionReopenedV1,
    SubmissionClosedV1,
    SubmissionRatedV1,
    SlaBreachedV1,
    ForumHeldV1,
    UnitSignalComputedV1,
)
