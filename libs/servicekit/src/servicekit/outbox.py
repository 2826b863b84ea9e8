"""The one way events enter the outbox: every writer (the unit of work, group commit's
batches) uses `write_outbox`, so the relay reads back one shape of row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from asn_schemas import Envelope

from servicekit.db import RawConnection
from servicekit.tables import OUTBOX_CHANNEL

OutboxRow = dict[str, Any]

# One round trip: the rows, and a NOTIFY that PostgreSQL delivers only at commit, so the
# relay never wakes for a rollback.
_WRITE = """
    WITH written AS (
        INSERT INTO outbox (event_id, topic, key, event_type, traceparent, payload)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                             $6::jsonb[])
    )
    SELECT pg_notify($7, '')
"""


def outbox_row(topic: str, envelope: Envelope) -> OutboxRow:
    """An event as the relay reads it back: the `outbox` table's columns, key = subject."""
    return {
        "event_id": envelope.id,
        "topic": topic,
        "key": envelope.subject,
        "event_type": envelope.type,
        "traceparent": envelope.traceparent,
        "payload": envelope.model_dump(mode="json", exclude_none=True),
    }


async def write_outbox(conn: RawConnection, rows: Sequence[OutboxRow]) -> None:
    """Add `rows` to the outbox in the transaction open on `conn`; nothing if there are none."""
    if not rows:
        return
    await conn.execute(
        _WRITE,
        [r["event_id"] for r in rows],
        [r["topic"] for r in rows],
        [r["key"] for r in rows],
        [r["event_type"] for r in rows],
        [r["traceparent"] for r in rows],
        [json.dumps(r["payload"]) for r in rows],
        OUTBOX_CHANNEL,
    )
