"""Running a command in a unit of work, with `Idempotency-Key` and an `ETag` on the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from servicekit import idempotency
from servicekit.identity import Identity
from servicekit.problems import etag
from servicekit.runtime import ServiceRuntime
from servicekit.uow import UnitOfWork

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Send the same key when retrying; the first response is replayed.",
    ),
]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=200)]

Outcome = tuple[dict[str, Any], int]
"""A command's JSON body and the version for its ETag."""


async def run_command(
    runtime: ServiceRuntime,
    who: Identity,
    request: Request,
    *,
    body: BaseModel | None,
    key: str | None,
    action: Callable[[UnitOfWork], Awaitable[Outcome]],
    status_code: int = 200,
    location: Callable[[dict[str, Any]], str] | None = None,
) -> JSONResponse:
    """State, outbox event and the remembered response commit together or not at all."""
    async with runtime.unit_of_work(who) as uow:
        if key is not None:
            fp = idempotency.fingerprint(
                request.method,
                request.url.path,
                body.model_dump(mode="json", exclude_unset=True) if body else None,
            )
            replay = await idempotency.claim(uow.session, who, key, fp)
            if replay is not None:
                return replay
        content, version = await action(uow)
        tag = etag(version)
        if key is not None:
            await idempotency.remember(uow.session, who, key, status_code, content, tag)
    headers = {"ETag": tag}
    if location is not None:
        headers["Location"] = location(content)
    return JSONResponse(content, status_code=status_code, headers=headers)
