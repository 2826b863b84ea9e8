"""U+0000 refused at the edge: PostgreSQL cannot store it in text, so it would fail late as a 500.

One check for every service and the gateway, before routing: path values, query names and
values, and request bodies (JSON strings and keys, or raw bytes). The answer is the same 422
the validation errors use, naming each field that held the character.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.errors import problem_response

NUL = "\x00"
# A JSON body carries the character escaped (raw control bytes are not valid JSON).
_BODY_MARKERS = (b"\x00", b"\\u0000")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def nul_fields(value: Any, loc: tuple[str, ...]) -> Iterator[str]:
    """The dotted locations (as in validation errors) of every string holding U+0000."""
    if isinstance(value, str):
        if NUL in value:
            yield ".".join(loc)
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield ".".join((*loc, key))
            yield from nul_fields(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_fields(item, (*loc, str(index)))


class NulRefusalMiddleware:
    """422 `validation_error` (field code `nul_character`) before a route sees the request.

    A body is read in full only for methods that carry one; the body limit
    (`servicekit.bodylimit`) runs outside this and bounds it.
    """

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app = app
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = [*self._path_fields(scope), *self._query_fields(scope)]
        if scope["method"] in _BODY_METHODS:
            body, receive = await _buffered(receive)
            if any(marker in body for marker in _BODY_MARKERS):
                fields += _body_fields(body)
        if fields:
            await self._refuse(fields, scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _path_fields(self, scope: Scope) -> list[str]:
        if NUL not in scope["path"]:
            return []
        # Only now are the path templates matched, to name the parameter rather than the path.
        # They come from the OpenAPI document (built once, cached), not routing internals.
        for template in self.api.openapi().get("paths", {}):
            regex, _, _ = compile_path(template)
            match = regex.match(scope["path"])
            if match is not None:
                named = [f"path.{k}" for k, v in match.groupdict().items() if NUL in v]
                if named:
                    return named
        return ["path"]

    @staticmethod
    def _query_fields(scope: Scope) -> list[str]:
        raw: bytes = scope.get("query_string", b"")
        if b"%00" not in raw and b"\x00" not in raw:
            return []
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
        return [f"query.{name}" for name, value in pairs if NUL in name or NUL in value]

    @staticmethod
    async def _refuse(fields: list[str], scope: Scope, receive: Receive, send: Send) -> None:
        errors = [
            {
                "field": field,
                "code": "nul_character",
                "message": "Karakter NUL (U+0000) tidak diterima.",
            }
            for field in dict.fromkeys(fields)
        ]
        response = problem_response(
            422,
            "validation_error",
            "Data yang dikirim tidak valid",
            "Karakter NUL (U+0000) tidak diterima; hapus dari kolom yang disebut di `errors`.",
            instance=scope.get("path"),
            errors=errors,
        )
        await response(scope, receive, send)


def _body_fields(body: bytes) -> list[str]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return ["body"]
    return list(nul_fields(parsed, ("body",))) or (["body"] if b"\x00" in body else [])


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a receive that hands it to the app as one message."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client went away: let the app see that, as it would have.
            return b"", _replay([message], receive)
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replay([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replaying() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replaying
