"""Opaque cursors for lists paginated with `limit` and `cursor` (DESIGN, API conventions)."""

from __future__ import annotations

import base64

from servicekit.problems import invalid


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("invalid_cursor", "Cursor tidak dikenali.", field="cursor") from exc
