"""`Idempotency-Key` for commands a client may retry (DESIGN, Reliability).

The key is claimed inside the command's own transaction: a concurrent retry blocks on
the row until the first attempt commits (then replays its response) or rolls back
(then runs the command itself). A failed command stores nothing, so a retry of a
refused request is evaluated afresh.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.identity import Identity
from servicekit.problems import invalid

_CLAIM = text(
    "INSERT INTO idempotency_key (actor, key, fingerprint) VALUES (:actor, :key, :fp) "
    "ON CONFLICT DO NOTHING RETURNING key"
)
_READ = text(
    "SELECT fingerprint, status, body, etag FROM idempotency_key "
    "WHERE actor = :actor AND key = :key"
)
_REMEMBER = text(
    "UPDATE idempotency_key SET status = :status, body = CAST(:body AS jsonb), etag = :etag "
    "WHERE actor = :actor AND key = :key"
)


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def check_fingerprint(stored: str, fp: str) -> None:
    """A key replays only the request it was first sent with."""
    if stored != fp:
        raise invalid(
            "idempotency_key_reused",
            "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
            field="Idempotency-Key",
        )


async def claim(session: AsyncSession, who: Identity, key: str, fp: str) -> JSONResponse | None:
    """None when this request owns the key; else the stored response to replay."""
    params = {"actor": who.sub, "key": key}
    if (await session.execute(_CLAIM, {**params, "fp": fp})).first() is not None:
        return None
    row = (await session.execute(_READ, params)).one()
    check_fingerprint(row.fingerprint, fp)
    headers = {"Idempotent-Replayed": "true"}
    if row.etag:
        headers["ETag"] = row.etag
    return JSONResponse(row.body, status_code=row.status, headers=headers)


async def remember(
    session: AsyncSession, who: Identity, key: str, status: int, body: Any, etag: str | None
) -> None:
    await session.execute(
        _REMEMBER,
        {"actor": who.sub, "key": key, "status": status, "body": json.dumps(body), "etag": etag},
    )
