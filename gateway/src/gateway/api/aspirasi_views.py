"""aspirasi in the aggregated reads: tickets waiting in the inbox (the coordinator's to
verify, a unit's to follow up or answer, and escalations) and the unit's complaint figures.

Titles of `rahasia` tickets are null here: their events never carried them.
"""

from __future__ import annotations

from typing import Any

from servicekit.identity import Identity, Role

COORDINATOR = Role.ADMIN_ASPIRASI.value

_ADMIN_UNIT = """
SELECT coalesce(
    (SELECT code FROM readmodel.unit WHERE code = $1 OR unit_id::text = $1 LIMIT 1), $1
)
"""
_COORDINATOR_ITEMS = """
SELECT code, submission_id, kind AS ticket_kind, privacy, status, unit_code, title, escalated,
       due_on,
       received_at
FROM readmodel.ticket
WHERE status IN ('received', 'verified', 'returned', 'held')
   OR (escalated AND status NOT IN ('closed', 'referred', 'archived'))
ORDER BY escalated DESC, due_on NULLS LAST, code
LIMIT $1
"""
_UNIT_ITEMS = """
SELECT code, submission_id, kind AS ticket_kind, privacy, status, unit_code, title, escalated,
       due_on,
       received_at
FROM readmodel.ticket
WHERE unit_code = $1 AND status IN ('routed', 'reopened', 'followed_up')
ORDER BY escalated DESC, due_on NULLS LAST, code
LIMIT $2
"""
_OPEN_BY_STATUS = """
SELECT status, count(*) AS n, count(*) FILTER (WHERE escalated) AS escalated
FROM readmodel.ticket
WHERE unit_code = $1 AND status NOT IN ('closed', 'referred', 'archived')
GROUP BY status
"""
_SIGNALS = """
SELECT month, received, resolved, sla_compliance, reopen_rate, average_rating, computed_at
FROM readmodel.complaint_signal WHERE unit_code = $1 ORDER BY month DESC LIMIT 12
"""

_COORDINATOR_TO_DO = {
    "received": ("ticket_to_verify", "verify"),
    "verified": ("ticket_to_route", "route"),
    "returned": ("ticket_to_verify", "route"),
    "held": ("ticket_on_hold", "route"),
}
_UNIT_TO_DO = {
    "routed": ("ticket_to_follow_up", "follow-up"),
    "reopened": ("ticket_to_follow_up", "follow-up"),
    "followed_up": ("ticket_to_answer", "answer"),
}


def _item(row: Any, to_do: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """An inbox entry; a ticket the caller only watches (escalated elsewhere) links to it."""
    data = dict(row)
    kind, step = to_do.get(data["status"], ("ticket_escalated", ""))
    path = f"/api/submissions/{data['submission_id']}"
    return {"kind": kind, "action": f"{path}/{step}" if step else path, **data}


async def inbox_items(conn: Any, who: Identity, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if who.has_role(COORDINATOR):
        rows = await conn.fetch(_COORDINATOR_ITEMS, limit)
        items += [_item(r, _COORDINATOR_TO_DO) for r in rows]
    if who.has_role(Role.ADMIN_OPD) and who.unit_id:
        unit = await conn.fetchval(_ADMIN_UNIT, who.unit_id)
        items += [_item(r, _UNIT_TO_DO) for r in await conn.fetch(_UNIT_ITEMS, unit, limit)]
    return items


async def complaint_figures(conn: Any, unit_code: str) -> dict[str, Any]:
    """Open tickets of the unit by status (and how many escalated), with the monthly signals."""
    open_by_status: dict[str, int] = {}
    escalated = 0
    for status, n, late in await conn.fetch(_OPEN_BY_STATUS, unit_code):
        open_by_status[status] = n
        escalated += late
    return {
        "open": sum(open_by_status.values()),
        "open_by_status": open_by_status,
        "escalated": escalated,
        "monthly": [dict(r) for r in await conn.fetch(_SIGNALS, unit_code)],
    }
