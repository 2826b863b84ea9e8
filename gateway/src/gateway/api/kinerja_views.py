"""kinerja's part of the views: the profile's SKP and predikat, the unit's predikat
distribution, and the supervisor's SKPs to agree and appraisals to rate, all from the read
model (kinerja publishes an SKP's submission, return and agreement).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asn_schemas.kinerja import Predikat

from gateway.api import queries

PREDIKAT_CODES = [p.value for p in Predikat]
LABELS = {p.value: p.label for p in Predikat}
DISTRIBUTION_YEARS = 3


def _with_label(item: dict[str, Any]) -> dict[str, Any]:
    code = item.get("predikat")
    return {**item, "predikat_label": LABELS.get(code, code) if code else None}


def _appraisal_status(appraisals: Sequence[dict[str, Any]]) -> str:
    if any(a["annual"] and a["state"] == "finalized" for a in appraisals):
        return "annual_finalized"
    if any(a["state"] == "submitted" for a in appraisals):
        return "awaiting_rating"
    if appraisals:
        return "periodic_finalized"
    return "not_started"


def _skp(item: dict[str, Any]) -> dict[str, Any]:
    appraisals = [_with_label(a) for a in item.pop("appraisals")]
    return {
        **item,
        "status": "superseded" if item.get("superseded_by_skp_id") else item["status"],
        "appraisal_status": _appraisal_status(appraisals),
        "appraisals": appraisals,
    }


def profile_section(
    skps: list[dict[str, Any]], finalized: list[dict[str, Any]], feedback: dict[str, Any]
) -> dict[str, Any]:
    """The current (latest: submitted, returned or agreed) SKP with its appraisals, the SKPs
    before it, the predikat history (every finalized appraisal) and each year's annual
    predikat (latest revision)."""
    history = [_with_label(a) for a in finalized]
    annual: dict[int, dict[str, Any]] = {}
    for item in history:
        if item["annual"]:
            annual[item["year"]] = {
                k: item[k]
                for k in ("year", "predikat", "predikat_label", "revision", "finalized_at")
            }
    views = [_skp(s) for s in skps]
    return {
        "current_skp": views[0] if views else None,
        "skp_history": views[1:],
        "predikat_history": history,
        "annual_predikat": [annual[y] for y in sorted(annual, reverse=True)],
        "feedback": feedback,
    }


async def predikat_distribution(conn: Any, unit_code: str) -> list[dict[str, Any]]:
    """Annual predikat counts of the unit and the units below it, most recent years first
    (each employee's latest annual predikat of the year, in the unit they were appraised in)."""
    years: dict[int, dict[str, int]] = {}
    for year, predikat, n in await conn.fetch(
        queries.PREDIKAT_DISTRIBUTION, unit_code, DISTRIBUTION_YEARS
    ):
        years.setdefault(year, dict.fromkeys(PREDIKAT_CODES, 0))[predikat] = n
    return [
        {"year": y, "counts": years[y], "labels": LABELS, "total": sum(years[y].values())}
        for y in sorted(years, reverse=True)
    ]


async def appraisals_to_rate(conn: Any, nip: str, limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(queries.APPRAISALS_TO_RATE, nip, limit)
    return [
        {"kind": "appraisal", "action": f"/api/appraisals/{r['appraisal_id']}/finalize", **dict(r)}
        for r in rows
    ]


async def skps_to_agree(conn: Any, nip: str, limit: int) -> list[dict[str, Any]]:
    """SKPs submitted for the caller's agreement (read model, from `skp.submitted`)."""
    rows = await conn.fetch(queries.SKPS_TO_AGREE, nip, limit)
    return [{"kind": "skp", "action": f"/api/skp/{r['skp_id']}/approve", **dict(r)} for r in rows]
