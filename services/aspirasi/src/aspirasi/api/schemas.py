"""Request bodies: what a client may send, with its limits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal, Self

from asn_schemas.aspirasi import Privacy, SubmissionKind
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from servicekit.answers import Answer, Timestamp

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=150)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]
# base64 of 2 MB is ~2.8 M characters; a bit more is let through so that the photo
# check answers with its own clear "too large" code.
Photo = Annotated[str, StringConstraints(max_length=3_000_000)]
# A month of the working calendar (`servicekit.dates.BusinessDate`'s years, 2000–2100): any
# four digits let year 0 and December 9999 overflow the month's bounds (a 500).
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE = r"^\+?[0-9][0-9 -]{6,18}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Body):
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    kelurahan: str | None = Field(default=None, min_length=2, max_length=100)

    @model_validator(mode="after")
    def _point_or_kelurahan(self) -> Self:
        point = (self.latitude, self.longitude)
        if None in point and point != (None, None):
            raise ValueError("latitude and longitude go together")
        if point == (None, None) and self.kelurahan is None:
            raise ValueError("give a point or a kelurahan")
        return self


class Contact(_Body):
    """Only to tell the citizen of progress: never in events, logs or on the board."""

    email: str | None = Field(default=None, max_length=200, pattern=_EMAIL)
    phone: str | None = Field(default=None, max_length=20, pattern=_PHONE)


CITIZEN_KINDS = (
    SubmissionKind.ASPIRASI,
    SubmissionKind.PENGADUAN,
    SubmissionKind.PERMINTAAN_INFORMASI,
    SubmissionKind.APRESIASI,
)


class SubmissionIn(_Body):
    kind: SubmissionKind
    unit_code: str | None = Field(
        default=None, max_length=50, description="The unit concerned; null for 'tidak tahu'."
    )
    title: Title
    text: Text
    privacy: Privacy = Privacy.RAHASIA
    reporter_name: str | None = Field(
        default=None, max_length=100, description="Shown to staff only when `publik`."
    )
    location: Location | None = None
    contact: Contact | None = None
    photos: list[Photo] = Field(default_factory=list, max_length=3)
    website: str | None = Field(
        default=None, max_length=200, description="Leave empty (a trap for bots)."
    )

    @model_validator(mode="after")
    def _citizen_kind(self) -> Self:
        if self.kind not in CITIZEN_KINDS:
            raise ValueError("kind must be aspirasi, pengaduan, permintaan_informasi or apresiasi")
        return self


class MessageIn(_Body):
    text: Text


class ReopenIn(_Body):
    reason: Note


class RatingIn(_Body):
    rating: int = Field(ge=1, le=5)


class ConfirmIn(_Body):
    rating: int | None = Field(default=None, ge=1, le=5)


class VerifyIn(_Body):
    privacy: Privacy | None = Field(default=None, description="Stricter only.")


class RouteIn(_Body):
    unit_code: str = Field(min_length=1, max_length=50)
    privacy: Privacy | None = Field(default=None, description="Stricter only.")


class ReasonIn(_Body):
    reason: Note


class ReferIn(_Body):
    referral: Note


class WordsIn(_Body):
    text: Words


class OrganisationIn(_Body):
    name: str = Field(min_length=2, max_length=200)
    count: int = Field(ge=0, le=10_000)


class ForumIn(_Body):
    unit_code: str | None = Field(default=None, max_length=50, description="Null: city-wide.")
    held_on: dt.date
    place: str = Field(min_length=3, max_length=200)
    organisations: list[OrganisationIn] = Field(default_factory=list, max_length=100)
    participant_count: int = Field(ge=0, le=100_000)


class MinutesIn(_Body):
    minutes: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=50_000)
    ]


class ForumFollowUpIn(_Body):
    unit_code: str = Field(min_length=1, max_length=50)
    title: Title
    text: Text
    due_on: dt.date


# Answers: what each route returns, declared for the OpenAPI (the portal's types are
# generated from it). Routes that answer a Response (ETag, Location) only declare them;
# routes that answer a dict are validated through them. The fuzz tests and every
# integration test (`servicekit.testing.answers_as_declared`) hold the answers to them, and
# an undeclared key fails (`servicekit.answers.Answer`).


class StepView(Answer):
    at: Timestamp | None
    actor: str
    action: str
    unit_code: str | None
    note: str | None


class ClockView(Answer):
    clock: str
    unit_code: str | None
    started_on: dt.date
    due_on: dt.date
    stopped_at: Timestamp | None
    breached_at: Timestamp | None


class SubmissionView(Answer):
    """A ticket as staff see it; the words (title, text, notes) are null when `redacted`."""

    id: uuid.UUID
    code: str
    kind: SubmissionKind
    privacy: Privacy
    status: str
    unit_code: str | None
    suggested_unit_code: str | None
    title: str | None
    text: str | None
    redacted: bool
    location: dict[str, Any] | None
    reporter_name: str | None
    has_contact: bool
    forum_id: uuid.UUID | None
    follow_up_note: str | None
    answer: str | None
    decision_note: str | None
    returned_by: list[str]
    reopen_count: int
    rating: int | None
    escalated: bool
    received_at: Timestamp | None
    verified_at: Timestamp | None
    routed_at: Timestamp | None
    first_follow_up_at: Timestamp | None
    answered_at: Timestamp | None
    closed_at: Timestamp | None
    close_outcome: str | None
    version: int
    history: list[StepView] | None = None
    clocks: list[ClockView] | None = None


class ForumFollowUpView(Answer):
    code: str
    unit_code: str | None
    title: str | None
    status: str
    escalated: bool
    answer: str | None


class ForumView(Answer):
    id: uuid.UUID
    unit_code: str | None
    held_on: dt.date
    place: str
    organisations: list[dict[str, Any]]
    participant_count: int
    minutes: str | None
    follow_ups: list[ForumFollowUpView]
    version: int


class SubmissionPage(Answer):
    items: list[SubmissionView]
    next_cursor: str | None


class ForumList(Answer):
    items: list[ForumView]


class UnitFiguresView(Answer):
    """A unit's month in figures (`aspirasi.domain.figures.UnitFigures`); ratios are 0–1."""

    received: int
    resolved: int
    median_days_to_follow_up: float | None = None
    median_days_to_resolution: float | None = None
    sla_compliance: float | None = None
    reopen_rate: float | None = None
    average_rating: float | None = None


class SignalView(UnitFiguresView):
    unit_code: str
    month: str
    computed_at: Timestamp


class SignalList(Answer):
    items: list[SignalView]


class Receipt(Answer):
    """A received submission: its code and the secret to follow it, shown this once."""

    code: str
    secret: str
    status: str
    privacy: Privacy
    received_at: Timestamp
    note: str


class CitizenStep(Answer):
    at: Timestamp | None
    action: str
    by: Literal["warga", "petugas"]
    note: str | None


class CitizenTicket(Answer):
    """The ticket as its reporter follows it: no staff names, no internal notes."""

    code: str
    kind: SubmissionKind
    privacy: Privacy
    status: str
    title: str | None
    text: str | None
    unit_code: str | None
    unit_name: str | None
    answer: str | None
    rating: int | None
    reopen_count: int
    received_at: Timestamp | None
    answered_at: Timestamp | None
    closed_at: Timestamp | None
    close_outcome: str | None
    history: list[CitizenStep]


class BoardUnit(UnitFiguresView):
    unit_code: str
    unit_name: str | None


class BoardItem(Answer):
    """A publik or anonim ticket on the board: no reporter, no contact, no location."""

    code: str
    kind: SubmissionKind
    title: str | None
    text: str | None
    unit_code: str | None
    unit_name: str | None
    status: str
    received_at: Timestamp | None
    answered_at: Timestamp | None
    closed_at: Timestamp | None
    answer: str | None


class BoardPeriod(Answer):
    start: dt.date
    end_exclusive: dt.date


class Board(Answer):
    month: str
    units: list[BoardUnit]
    items: list[BoardItem]
    next_cursor: str | None
    period: BoardPeriod
