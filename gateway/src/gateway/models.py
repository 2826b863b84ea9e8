"""The read model's tables (SQLAlchemy Core), in their own PostgreSQL schema.

They live in schema `readmodel` so that a rebuild can fill `readmodel_new` with the same
tables and swap the two by renaming schemas in one transaction. Their metadata is kept
apart from SQLModel's shared metadata: test fixtures elsewhere `create_all` that one.
Only what events carry is here: no NIK, address, phone or health detail.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    Time,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.engine import Connection

SCHEMA = "readmodel"
metadata = MetaData(schema=SCHEMA)


def _now() -> Column[object]:
    return Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now())


unit = Table(
    "unit",
    metadata,
    Column("code", Text, primary_key=True),
    Column("unit_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("parent_code", Text),
    Column("active", Boolean, nullable=False),
    Column("sequence", Integer),
    _now(),
    Index("ix_unit_parent", "parent_code"),
)

employee = Table(
    "employee",
    metadata,
    Column("nip", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("sex", Text, nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("asn_type", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("golongan", Text, nullable=False),
    Column("pangkat", Text),
    Column("tmt_golongan", Date, nullable=False),
    Column("position", JSONB, nullable=False),
    Column("unit_id", UUID(as_uuid=True), nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("supervisor_nip", Text),
    Column("retirement_date", Date, comment="pegawai's BUP date (the actual one once retired)"),
    Column("sequence", Integer),
    _now(),
    Index("ix_employee_unit", "unit_code"),
    Index("ix_employee_supervisor", "supervisor_nip"),
    # Search: NIP prefix through a pattern-ops B-tree, names through a trigram GIN.
    Index("ix_employee_nip_prefix", "nip", postgresql_ops={"nip": "text_pattern_ops"}),
    Index(
        "ix_employee_name_trgm",
        text("lower(name) gin_trgm_ops"),
        postgresql_using="gin",
    ),
)

employee_history = Table(
    "employee_history",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("nip", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("value", JSONB),
    Column("tmt", Date),
    Column("event_type", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_history_nip", "nip", "field", "tmt"),
    # An event adds at most one row per field: a re-sent event adds none.
    Index("ux_history_event_field", "event_id", "field", unique=True),
)

attendance_day = Table(
    "attendance_day",
    metadata,
    Column("nip", Text, primary_key=True),
    Column("date", Date, primary_key=True),
    Column("unit_code", Text, nullable=False),
    Column("status", Text, comment="hadir/terlambat/… once the day closes; null while open"),
    Column("checked_in_at", DateTime(timezone=True)),
    Column("checked_out_at", DateTime(timezone=True)),
    Column("minutes_late", Integer, nullable=False, server_default=text("0")),
    Column("late_category", Text),
    Column("minutes_early", Integer, nullable=False, server_default=text("0")),
    Column("early_category", Text),
    Column("leave_type", Text),
    Column("deduction_percent", Float),
    _now(),
    Index("ix_attendance_unit_date", "unit_code", "date"),
)

leave_request = Table(
    "leave_request",
    metadata,
    Column("request_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("leave_type", Text, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("working_days", Integer, nullable=False),
    Column("approver_nip", Text),
    Column("needs_bkpsdm", Boolean, nullable=False, server_default=text("false")),
    Column("state", Text, nullable=False, comment="requested/forwarded/approved/…"),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    _now(),
    Index("ix_leave_nip", "nip"),
    Index("ix_leave_open_approver", "approver_nip", postgresql_where=text("state = 'requested'")),
    Index(
        "ix_leave_open_unit",
        "unit_code",
        postgresql_where=text("state IN ('requested', 'forwarded')"),
    ),
)

leave_balance = Table(
    "leave_balance",
    metadata,
    Column("nip", Text, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("leave_type", Text, primary_key=True),
    Column("remaining", Float, nullable=False),
    _now(),
)

# kinerja.events. An SKP appears when submitted for agreement (`skp.submitted`), goes to
# `returned` when sent back and to `approved` (with its RHK) once agreed; a draft never
# submitted is not published. An appraisal appears when submitted for rating.

skp = Table(
    "skp",
    metadata,
    Column("skp_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("status", Text, nullable=False, comment="submitted/returned/approved"),
    Column("approver_nip", Text, nullable=False, comment="Who must agree it, then who did"),
    Column("submitted_at", DateTime(timezone=True)),
    Column("returned_at", DateTime(timezone=True)),
    Column("approved_at", DateTime(timezone=True)),
    Column("rhk", JSONB, comment="[{rhk_id, kind, title, supervisor_rhk_id}] once agreed"),
    Column("supersedes_skp_id", UUID(as_uuid=True)),
    Column("superseded_by_skp_id", UUID(as_uuid=True), comment="A later SKP of the same year"),
    Column("sequence", Integer),
    _now(),
    Index("ix_skp_nip", "nip", "year", "start"),
    Index("ix_skp_to_agree", "approver_nip", postgresql_where=text("status = 'submitted'")),
)

appraisal = Table(
    "appraisal",
    metadata,
    Column("appraisal_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("skp_id", UUID(as_uuid=True)),
    Column("year", Integer, nullable=False),
    Column("period_kind", Text, nullable=False),
    Column("period_number", Integer),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("annual", Boolean, nullable=False),
    Column("state", Text, nullable=False, comment="submitted/finalized"),
    Column("rater_nip", Text, comment="Who is expected to rate it (when submitted)"),
    Column("submitted_at", DateTime(timezone=True)),
    Column("predikat", Text),
    Column("rating_hasil_kerja", Text),
    Column("rating_perilaku_kerja", Text),
    Column("appraiser_nip", Text),
    Column("revision", Integer),
    Column("finalized_at", DateTime(timezone=True)),
    Column("unit_code", Text, comment="The employee's unit when appraised"),
    _now(),
    Index("ix_appraisal_nip", "nip", "year"),
    Index("ix_appraisal_skp", "skp_id"),
    Index("ix_appraisal_to_rate", "rater_nip", postgresql_where=text("state = 'submitted'")),
    Index("ix_appraisal_annual_unit", "unit_code", "year", postgresql_where=text("annual")),
)

feedback = Table(
    "feedback",
    metadata,
    Column("feedback_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("giver_nip", Text, nullable=False),
    Column("skp_id", UUID(as_uuid=True)),
    Column("rhk_id", UUID(as_uuid=True)),
    Column("value", Text, comment="BerAKHLAK value; the text stays in kinerja"),
    Column("given_at", DateTime(timezone=True), nullable=False),
    Index("ix_feedback_nip", "nip", "given_at"),
)

# presensi's calendar: the days that are not working days although on a weekday. A removal
# is kept as `removed` rather than deleted, so a declaration seen after it cannot revive it.
holiday = Table(
    "holiday",
    metadata,
    Column("holiday_id", UUID(as_uuid=True), primary_key=True),
    Column("date", Date, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False, comment="libur_nasional/cuti_bersama/libur_daerah"),
    Column("removed", Boolean, nullable=False, server_default=text("false")),
    _now(),
    Index("ix_holiday_date", "date", postgresql_where=text("NOT removed")),
)

# The ids of the events applied to these tables: a re-sent event (same id, new offset)
# has no second effect, in the live consumer and in a rebuild alike. Kept with the tables
# (not in the consumer's inbox) so a rebuilt copy carries its own and is swapped with them.
applied_event = Table(
    "applied_event",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Purged by age like servicekit's inbox (gateway.projections.purge_applied_events).
    Index("ix_applied_event_applied_at", "applied_at", postgresql_using="brin"),
)

ticket = Table(
    "ticket",
    metadata,
    Column("code", Text, primary_key=True),
    Column("submission_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("privacy", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("unit_code", Text),
    Column("title", Text, comment="Null for a rahasia ticket: its words stay in aspirasi"),
    Column("escalated", Boolean, nullable=False),
    Column("reopen_count", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_on", Date, comment="The running step's deadline (verification or follow-up)"),
    Column("sequence", Integer, nullable=False),
    _now(),
    Index("ix_ticket_unit_status", "unit_code", "status"),
    Index("ix_ticket_status", "status"),
)

complaint_signal = Table(
    "complaint_signal",
    metadata,
    Column("unit_code", Text, primary_key=True),
    Column("month", Text, primary_key=True),
    Column("received", Integer, nullable=False),
    Column("resolved", Integer, nullable=False),
    Column("sla_compliance", Float),
    Column("reopen_rate", Float),
    Column("average_rating", Float),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

training_program = Table(
    "training_program",
    metadata,
    Column("program_id", UUID(as_uuid=True), primary_key=True),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("jp", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("institution_name", Text, nullable=False),
    Column("competencies", JSONB, nullable=False),
    Column("status", Text, nullable=False, comment="published/cancelled"),
    _now(),
)

training_enrollment = Table(
    "training_enrollment",
    metadata,
    Column("enrollment_id", UUID(as_uuid=True), primary_key=True),
    Column("program_id", UUID(as_uuid=True), nullable=False),
    Column("nip", Text, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("jp", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column(
        "status",
        Text,
        nullable=False,
        comment="requested/supervisor_approved/approved/rejected/withdrawn/completed/not_completed",
    ),
    Column("approver_nip", Text, comment="The supervisor who decides first, while requested"),
    Column("waitlisted", Boolean, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    _now(),
    Index("ix_training_enrollment_nip", "nip"),
    Index("ix_training_enrollment_waiting", "status", "approver_nip"),
)

training_credit = Table(
    "training_credit",
    metadata,
    Column("completion_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("unit_code", Text),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("klasikal", Boolean, nullable=False),
    Column("jp", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("institution", Text),
    Column("certificate_number", Text),
    Index("ix_training_credit_nip", "nip", "end"),
)

training_need = Table(
    "training_need",
    metadata,
    Column("need_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("competency", Text, nullable=False),
    Column("predikat", Text, nullable=False),
    Column("addressed", Boolean, nullable=False),
    Column("identified_at", DateTime(timezone=True), nullable=False),
    Index("ix_training_need_nip", "nip"),
)

learning_record = Table(
    "learning_record",
    metadata,
    Column("record_id", UUID(as_uuid=True), primary_key=True),
    Column("nip", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("jp", Integer, nullable=False),
    Column("verifier_nip", Text),
    Column("state", Text, nullable=False, comment="pending/verified/rejected"),
    _now(),
    Index("ix_learning_record_waiting", "verifier_nip", postgresql_where=text("state = 'pending'")),
)

training_budget = Table(
    "training_budget",
    metadata,
    Column("unit_code", Text, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("allocated", BigInteger, nullable=False),
    Column("committed", BigInteger, nullable=False),
    Column("spent", BigInteger, nullable=False),
    Column("version", Integer, comment="pelatihan's version of the line: the newest wins"),
    _now(),
)

PELATIHAN_TABLES = (
    training_program,
    training_enrollment,
    training_credit,
    training_need,
    learning_record,
    training_budget,
)

presensi_request = Table(
    "presensi_request",
    metadata,
    Column("request_id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False, comment="attendance_correction/flexible_work"),
    Column("correction_kind", Text, comment="missing_check_in/…; null for flexible work"),
    Column("nip", Text, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("approver_nip", Text, comment="The direct supervisor who decides"),
    Column("state", Text, nullable=False, comment="requested/approved/rejected"),
    Column("requested_at", DateTime(timezone=True), comment="Null when only its decision came"),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    _now(),
    Index(
        "ix_presensi_request_waiting", "approver_nip", postgresql_where=text("state = 'requested'")
    ),
)

roster_day = Table(
    "roster_day",
    metadata,
    Column("nip", Text, primary_key=True),
    Column("date", Date, primary_key=True),
    Column("unit_code", Text, nullable=False),
    Column("month", Text, nullable=False),
    Column("version", Integer, nullable=False, comment="The roster's version: the newest wins"),
    Column("shift_code", Text, comment="Null for a rostered day off"),
    Column("start", Time),
    Column("end", Time),
    _now(),
    Index("ix_roster_day_unit_month", "unit_code", "month"),
    Index("ix_roster_day_unit_date", "unit_code", "date"),
)

SHIFT_TABLES = (presensi_request, roster_day)

applied_offset = Table(
    "applied_offset",
    metadata,
    Column("topic", Text, primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, nullable=False, comment="Last offset applied to these tables"),
    Column("event_time", DateTime(timezone=True)),
    _now(),
)


def create_tables(
    connection: Connection, schema: str = SCHEMA, tables: Sequence[Table] | None = None
) -> None:
    """Create the schema and its tables (the migrations, and every rebuild: all of them)."""
    connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    translated = connection.execution_options(schema_translate_map={SCHEMA: schema})
    metadata.create_all(translated, tables=tables)
