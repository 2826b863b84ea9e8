"""What the API returns: staff views (words only for those who may read them), the
citizen's view of their own ticket, and the public board's items (never a reporter)."""

from __future__ import annotations

from typing import Any

from asn_schemas.aspirasi import Privacy

from aspirasi.domain.privacy import reporter_shown
from aspirasi.models import Clock, Forum, Step, Submission

# Steps whose note is the citizen's or is meant for the citizen.
_CITIZEN_STEPS = {
    "received",
    "message",
    "follow_up",
    "answer",
    "reopen",
    "confirm",
    "auto_close",
    "refer",
    "hold",
    "rated",
}


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def clock_view(c: Clock) -> dict[str, Any]:
    return {
        "clock": c.clock,
        "unit_code": c.unit_code,
        "started_on": c.started_on.isoformat(),
        "due_on": c.due_on.isoformat(),
        "stopped_at": _iso(c.stopped_at),
        "breached_at": _iso(c.breached_at),
    }


def staff_view(
    sub: Submission,
    *,
    words: bool,
    history: list[Step] | None = None,
    clocks: list[Clock] | None = None,
) -> dict[str, Any]:
    """`words`: whether the reader may see a rahasia ticket's title, text and notes."""
    body: dict[str, Any] = {
        "id": str(sub.id),
        "code": sub.code,
        "kind": sub.kind,
        "privacy": sub.privacy,
        "status": sub.status,
        "unit_code": sub.unit_code,
        "suggested_unit_code": sub.suggested_unit_code,
        "title": sub.title if words else None,
        "text": sub.text if words else None,
        "redacted": not words,
        "location": sub.location if words else None,
        "reporter_name": sub.reporter_name
        if words and reporter_shown(Privacy(sub.privacy))
        else None,
        "has_contact": sub.contact is not None,
        "forum_id": str(sub.forum_id) if sub.forum_id else None,
        "follow_up_note": sub.follow_up_note if words else None,
        "answer": sub.answer if words else None,
        "decision_note": sub.decision_note if words else None,
        "returned_by": list(sub.returned_by),
        "reopen_count": sub.reopen_count,
        "rating": sub.rating,
        "escalated": sub.escalated,
        "received_at": _iso(sub.received_at),
        "verified_at": _iso(sub.verified_at),
        "routed_at": _iso(sub.routed_at),
        "first_follow_up_at": _iso(sub.first_follow_up_at),
        "answered_at": _iso(sub.answered_at),
        "closed_at": _iso(sub.closed_at),
        "close_outcome": sub.close_outcome,
        "version": sub.version,
    }
    if history is not None:
        body["history"] = [
            {
                "at": _iso(s.at),
                "actor": s.actor,
                "action": s.action,
                "unit_code": s.unit_code,
                "note": s.note if words else None,
            }
            for s in history
        ]
    if clocks is not None:
        body["clocks"] = [clock_view(c) for c in clocks]
    return body


def citizen_view(sub: Submission, history: list[Step], units: dict[str, str]) -> dict[str, Any]:
    """The ticket as its reporter follows it: no staff names, no internal notes."""
    return {
        "code": sub.code,
        "kind": sub.kind,
        "privacy": sub.privacy,
        "status": sub.status,
        "title": sub.title,
        "text": sub.text,
        "unit_code": sub.unit_code,
        "unit_name": units.get(sub.unit_code or ""),
        "answer": sub.answer,
        "rating": sub.rating,
        "reopen_count": sub.reopen_count,
        "received_at": _iso(sub.received_at),
        "answered_at": _iso(sub.answered_at),
        "closed_at": _iso(sub.closed_at),
        "close_outcome": sub.close_outcome,
        "history": [
            {
                "at": _iso(s.at),
                "action": s.action,
                "by": "warga" if s.actor == "warga" else "petugas",
                "note": s.note,
            }
            for s in history
            if s.action in _CITIZEN_STEPS
        ],
    }


def board_item(sub: Submission, units: dict[str, str]) -> dict[str, Any]:
    """A publik or anonim ticket on the board: no reporter, no contact, no location."""
    return {
        "code": sub.code,
        "kind": sub.kind,
        "title": sub.title,
        "text": sub.text,
        "unit_code": sub.unit_code,
        "unit_name": units.get(sub.unit_code or ""),
        "status": sub.status,
        "received_at": _iso(sub.received_at),
        "answered_at": _iso(sub.answered_at),
        "closed_at": _iso(sub.closed_at),
        "answer": sub.answer,
    }


def forum_view(forum: Forum, items: list[Submission]) -> dict[str, Any]:
    return {
        "id": str(forum.id),
        "unit_code": forum.unit_code,
        "held_on": forum.held_on.isoformat(),
        "place": forum.place,
        "organisations": forum.organisations,
        "participant_count": forum.participant_count,
        "minutes": forum.minutes,
        "follow_ups": [
            {
                "code": s.code,
                "unit_code": s.unit_code,
                "title": s.title,
                "status": s.status,
                "escalated": s.escalated,
                "answer": s.answer,
            }
            for s in items
        ],
        "version": forum.version,
    }
