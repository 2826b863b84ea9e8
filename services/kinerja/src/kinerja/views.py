"""What the API returns: rows as JSON, with labels for people next to codes for machines."""

from __future__ import annotations

from typing import Any

from asn_schemas.kinerja import Predikat

from kinerja.models import Appraisal, Feedback, Rhk, Skp


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def rhk_view(rhk: Rhk) -> dict[str, Any]:
    return {
        "id": str(rhk.id),
        "kind": rhk.kind,
        "title": rhk.title,
        "indicators": rhk.indicators,
        "supervisor_rhk_id": str(rhk.supervisor_rhk_id) if rhk.supervisor_rhk_id else None,
    }


def skp_view(skp: Skp, rhk: list[Rhk]) -> dict[str, Any]:
    return {
        "id": str(skp.id),
        "nip": skp.nip,
        "year": skp.year,
        "start": skp.start.isoformat(),
        "end": skp.end.isoformat(),
        "status": skp.status,
        "unit_id": str(skp.unit_id),
        "unit_code": skp.unit_code,
        "rater_nip": skp.rater_nip,
        "approver_nip": skp.approver_nip,
        "approved_at": _iso(skp.approved_at),
        "return_note": skp.return_note,
        "supersedes_id": str(skp.supersedes_id) if skp.supersedes_id else None,
        "closed_on": _iso(skp.closed_on),
        "closed_reason": skp.closed_reason,
        "version": skp.version,
        "rhk": [rhk_view(r) for r in rhk],
    }


def appraisal_view(a: Appraisal, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "skp_id": str(a.skp_id),
        "nip": a.nip,
        "period": {
            "kind": a.period_kind,
            "year": a.year,
            "number": a.period_number,
            "start": a.start.isoformat(),
            "end": a.end.isoformat(),
        },
        "status": a.status,
        "unit_code": a.unit_code,
        "self_assessment": a.self_assessment,
        "submitted_at": _iso(a.submitted_at),
        "rater_nip": a.rater_nip,
        "rating": a.rating,
        "rating_hasil_kerja": a.rating_hasil_kerja,
        "rating_perilaku_kerja": a.rating_perilaku_kerja,
        "predikat": a.predikat,
        "predikat_label": Predikat(a.predikat).label if a.predikat else None,
        "finalized_at": _iso(a.finalized_at),
        "revision": a.revision,
        "objection": a.objection,
        "version": a.version,
        **extra,
    }


def feedback_view(f: Feedback) -> dict[str, Any]:
    return {
        "id": str(f.id),
        "nip": f.nip,
        "giver_nip": f.giver_nip,
        "skp_id": str(f.skp_id) if f.skp_id else None,
        "rhk_id": str(f.rhk_id) if f.rhk_id else None,
        "value": f.value,
        "text": f.text,
        "reply": f.reply,
        "replied_at": _iso(f.replied_at),
        "created_at": _iso(f.created_at),
        "version": f.version,
    }
