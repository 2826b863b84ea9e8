"""kinerja's part of the views: the profile's SKP and predikat, the unit's predikat
distribution, and the supervisor's SKPs to agree and appraisals to rate.

kinerja publishes an SKP only once agreed, so "SKPs to agree" cannot come from the read
model: the inbox asks kinerja (`GET /skp?to_agree=true`, with the caller's token) and, when
kinerja does not answer, serves the rest marked stale with kinerja named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from asn_schemas.kinerja import Predikat
from fastapi import Request
from servicekit.context import current_request_id, current_traceparent
from servicekit.logging import get_logger

from gateway.api import queries
from gateway.state import GatewayState

log = get_logger(__name__)
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
        "status": "superseded" if item.get("superseded_by_skp_id") else "approved",
        "appraisal_status": _appraisal_status(appraisals),
        "appraisals": appraisals,
    }


def profile_section(
    skps: list[dict[str, Any]], finalized: list[dict[str, Any]], feedback: dict[str, Any]
) -> dict[str, Any]:
    """The current (latest agreed) SKP with its appraisals, the SKPs before it, the predikat
    history (every finalized appraisal) and each year's annual predikat (latest revision)."""
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


async def skps_to_agree(
    state: GatewayState, request: Request, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """SKPs submitted to the caller, from kinerja; False when kinerja did not answer."""
    upstreams, settings = state.upstreams, state.settings
    if upstreams.state["kinerja"].up is False:
        return [], False  # the health poll says down: don't make every inbox wait
    headers = {"authorization": request.headers.get("authorization", "")}
    request_id = current_request_id()
    if request_id:
        headers["x-request-id"] = request_id
    headers["traceparent"] = str(current_traceparent().child())
    try:
        response = await upstreams.client.get(
            f"{upstreams.urls['kinerja']}/skp",
            params={"to_agree": "true", "limit": limit},
            headers=headers,
            timeout=httpx.Timeout(
                settings.inbox_upstream_timeout_s, connect=settings.upstream_connect_timeout_s
            ),
        )
    except httpx.HTTPError as exc:
        upstreams.mark("kinerja", False, type(exc).__name__)
        return [], False
    if response.status_code >= 500:
        return [], False
    upstreams.mark("kinerja", True)
    if response.status_code != 200:
        log.warning("kinerja refused the inbox's SKP query", status=response.status_code)
        return [], True
    return [
        {
            "kind": "skp",
            "action": f"/api/skp/{s['id']}/approve",
            "skp_id": s["id"],
            "nip": s["nip"],
            "year": s["year"],
            "start": s["start"],
            "end": s["end"],
            "unit_code": s["unit_code"],
            "supersedes_skp_id": s.get("supersedes_id"),
            "version": s.get("version"),
        }
        for s in response.json().get("items", [])
    ], True


async def add_names(conn: Any, items: list[dict[str, Any]]) -> None:
    """The employees' names from the read model (kinerja's SKP answer has none)."""
    if not items:
        return
    rows = await conn.fetch(queries.NAMES, [i["nip"] for i in items])
    names = {r["nip"]: r["name"] for r in rows}
    for item in items:
        item["name"] = names.get(item["nip"])
