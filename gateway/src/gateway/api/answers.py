"""Answer models of the gateway's own views (profile, unit dashboard, inbox, search, dev
token): what the OpenAPI declares and the portal's generated types read.

The views still build their answers as dicts and send them as before (`JSONResponse` of
`jsonable_encoder`), so declaring the models changes no JSON the portal reads; the fuzz
tests and the integration tests' `answers_as_declared` hold the answers to these models.
Sections assembled by another context's view helpers (kinerja, pelatihan, complaints, the
roster's days) stay free-form objects here: their helpers own their shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field
from servicekit.answers import Answer, Timestamp


class Freshness(Answer):
    """The staleness indicator every read carries (`GatewayState.freshness`)."""

    stale: bool
    reasons: list[str]
    services_down: list[str]
    lag: dict[str, dict[str, float]] | None
    checked_at: str | None


class NonWorkingDay(Answer):
    kind: str
    name: str


class PersonRef(Answer):
    nip: str
    name: str | None


class ProfileUnit(Answer):
    code: str | None
    name: str | None
    unit_id: str | None


class HistoryItem(Answer):
    """One change of a field (golongan, position, unit, ...) with its TMT."""

    value: Any
    tmt: dt.date | None
    event_type: str
    recorded_at: str


class AttendanceRecord(Answer):
    date: dt.date
    status: str | None
    checked_in_at: str | None
    checked_out_at: str | None
    minutes_late: int | None
    late_category: str | None
    minutes_early: int | None
    early_category: str | None
    leave_type: str | None


class ProfileToday(Answer):
    date: dt.date
    status: str
    leave_type: str | None
    non_working_day: NonWorkingDay | None
    record: AttendanceRecord | None


class ProfileMonth(Answer):
    month: str
    by_status: dict[str, int]
    minutes_late: int
    minutes_early: int


class BalanceRow(Answer):
    year: int
    leave_type: str
    remaining: int
    updated_at: str | None


class LeaveSummary(Answer):
    request_id: str
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    working_days: int | None
    state: str
    approver_nip: str | None
    requested_at: str | None


class RosterWeek(Answer):
    """Monday to Sunday of the current week; `days` as presensi_views' queries select them."""

    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    days: list[dict[str, Any]]


class ProfileView(Answer):
    nip: str
    name: str
    sex: str | None
    birth_date: dt.date | None
    asn_type: str | None
    status: str
    golongan: str | None
    pangkat: str | None
    tmt_golongan: dt.date | None
    position: dict[str, Any] | None
    unit: ProfileUnit
    supervisor: PersonRef | None
    retirement_date: dt.date | None
    history: dict[str, list[HistoryItem]]
    attendance_today: ProfileToday
    attendance_month: ProfileMonth
    leave_balances: list[BalanceRow]
    open_requests: list[LeaveSummary]
    roster_week: RosterWeek
    kinerja: dict[str, Any]
    pelatihan: dict[str, Any]
    updated_at: Timestamp | None
    freshness: Freshness


class UnitRow(Answer):
    code: str
    unit_id: str | None
    name: str
    kind: str | None
    parent_code: str | None
    active: bool


class Headcount(Answer):
    """People of the unit and the units below it: per status (all), per golongan and ASN
    type (aktif and cltn)."""

    total: int
    status: dict[str, int]
    golongan: dict[str, int]
    asn_type: dict[str, int]


class UnitToday(Answer):
    """Today's attendance in the unit; the counts are absent when nobody is counted."""

    date: dt.date
    non_working_day: NonWorkingDay | None
    on_leave: int | None = None
    late: int | None = None
    present: int | None = None
    no_record: int | None = None
    day_off: int | None = None


class PendingLeave(Answer):
    request_id: str
    nip: str
    name: str | None
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    working_days: int | None
    state: str
    approver_nip: str | None
    requested_at: Timestamp | None


class Retirement(Answer):
    nip: str
    name: str
    golongan: str | None
    retirement_date: dt.date


class UnitDashboard(Answer):
    unit: UnitRow
    headcount: Headcount
    attendance_today: UnitToday
    pending_leave_decisions: list[PendingLeave]
    roster_week: RosterWeek
    retirements_next_12_months: list[Retirement]
    predikat_distribution: list[dict[str, Any]]
    pelatihan: dict[str, Any]
    complaints: dict[str, Any]
    freshness: Freshness


class InboxItem(Answer):
    """One thing waiting for the caller: `kind` says what (leave_request, skp, appraisal,
    enrollment, learning_record, attendance_correction, flexible_work, ticket_*), `action`
    where to decide it. Each kind carries its own row's columns besides the ones declared
    here, so this model alone lets further keys through."""

    # Each of the five contexts' inbox helpers adds its own row; a model per kind is the
    # rest of issue 13.
    model_config = ConfigDict(extra="allow")

    kind: str
    action: str
    request_id: str | None = None
    nip: str | None = None
    name: str | None = None
    code: str | None = None
    title: str | None = None
    leave_type: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    working_days: int | None = None
    skp_id: str | None = None
    appraisal_id: str | None = None
    year: int | None = None
    period_kind: str | None = None
    period_number: int | None = None


class Inbox(Answer):
    items: list[InboxItem]
    freshness: Freshness


class SearchHit(Answer):
    nip: str
    name: str
    unit_code: str | None
    unit_name: str | None
    golongan: str | None
    position: str | None
    status: str


class SearchPage(Answer):
    items: list[SearchHit]
    freshness: Freshness


class DevToken(Answer):
    access_token: str
    token_type: str
    expires_in: int
