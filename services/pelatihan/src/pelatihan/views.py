"""What the API returns: rows as JSON."""

from __future__ import annotations

from typing import Any

from pelatihan.models import (
    Credit,
    Enrollment,
    Institution,
    LearningRecord,
    Program,
    TrainingBudget,
    TrainingNeed,
)


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def institution_view(i: Institution) -> dict[str, Any]:
    return {
        "id": str(i.id),
        "name": i.name,
        "kind": i.kind,
        "agreement_number": i.agreement_number,
        "valid_from": i.valid_from.isoformat(),
        "valid_until": i.valid_until.isoformat(),
        "version": i.version,
    }


def program_view(p: Program, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "title": p.title,
        "kind": p.kind,
        "klasikal": p.klasikal,
        "institution_id": str(p.institution_id),
        "jp": p.jp,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "online": p.online,
        "place": p.place,
        "quota": p.quota,
        "cost_per_participant": p.cost_per_participant,
        "competencies": p.competencies,
        "eligibility": p.eligibility,
        "status": p.status,
        "cancel_reason": p.cancel_reason,
        "version": p.version,
        **extra,
    }


def enrollment_view(e: Enrollment, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "program_id": str(e.program_id),
        "nip": e.nip,
        "unit_code": e.unit_code,
        "origin": e.origin,
        "requested_by": e.requested_by,
        "requested_at": _iso(e.requested_at),
        "status": e.status,
        "approver_nip": e.approver_nip,
        "decisions": e.decisions,
        "cost": e.cost,
        "cost_state": e.cost_state,
        "budget": {"unit_code": e.budget_unit_code, "year": e.budget_year},
        "certificate_number": e.certificate_number,
        "outcome_reason": e.outcome_reason,
        "finished_at": _iso(e.finished_at),
        "version": e.version,
        **extra,
    }


def learning_record_view(r: LearningRecord) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "nip": r.nip,
        "kind": r.kind,
        "title": r.title,
        "provider": r.provider,
        "jp": r.jp,
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "certificate_number": r.certificate_number,
        "evidence_url": r.evidence_url,
        "competencies": r.competencies,
        "status": r.status,
        "verifier_nip": r.verifier_nip,
        "verified_by": r.verified_by,
        "verified_at": _iso(r.verified_at),
        "note": r.note,
        "version": r.version,
    }


def credit_view(c: Credit) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "source": c.source,
        "title": c.title,
        "kind": c.kind,
        "klasikal": c.klasikal,
        "jp": c.jp,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "institution": c.institution,
        "certificate_number": c.certificate_number,
    }


def budget_view(b: TrainingBudget) -> dict[str, Any]:
    return {
        "unit_code": b.unit_code,
        "year": b.year,
        "allocated": b.allocated,
        "committed": b.committed,
        "spent": b.spent,
        "remaining": b.allocated - b.committed - b.spent,
        "version": b.version,
    }


def need_view(n: TrainingNeed) -> dict[str, Any]:
    return {
        "id": str(n.id),
        "nip": n.nip,
        "unit_code": n.unit_code,
        "year": n.year,
        "predikat": n.predikat,
        "competency": n.competency,
        "appraisal_id": str(n.appraisal_id),
        "open": n.addressed_by is None,
        "identified_at": _iso(n.identified_at),
    }
