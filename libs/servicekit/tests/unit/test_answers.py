"""Answer models and the test-client hook that holds answers to them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from servicekit.answers import Answer, Timestamp
from servicekit.testing import answers_as_declared


class Thing(Answer):
    name: str
    at: Timestamp | None = None


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/things/{name}", response_model=Thing)
    async def declared(name: str) -> JSONResponse:
        body: dict[str, Any] = {"name": name}
        if name == "extra":
            body["colour"] = "red"  # a key the model does not declare
        if name == "nameless":
            body = {"at": None}
        return JSONResponse(body)

    # Routes of an included router (as every service mounts its own) are held to theirs too.
    shelf = APIRouter(prefix="/shelf")

    @shelf.get("/{name}", response_model=Thing)
    async def shelved(name: str) -> JSONResponse:
        return JSONResponse({"name": name, "colour": "red"} if name == "extra" else {"name": name})

    app.include_router(shelf, prefix="/api")

    @app.get("/free")
    async def free() -> dict[str, Any]:
        return {"anything": 1}

    return app


async def _get(path: str) -> httpx.Response:
    app = _app()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t",
        event_hooks={"response": [answers_as_declared(app)]},
    ) as client:
        return await client.get(path)


async def test_an_answer_as_declared_passes():
    assert (await _get("/things/lamp")).json() == {"name": "lamp"}
    assert (await _get("/free")).json() == {"anything": 1}
    assert (await _get("/api/shelf/lamp")).json() == {"name": "lamp"}


@pytest.mark.parametrize("path", ["/things/extra", "/things/nameless", "/api/shelf/extra"])
async def test_an_answer_unlike_its_model_fails_the_request(path):
    with pytest.raises(ValidationError):
        await _get(path)


def test_a_timestamp_is_written_as_the_views_write_it():
    at = datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
    assert Thing(name="x", at=at).model_dump(mode="json")["at"] == at.isoformat()
    assert Thing.model_json_schema(mode="serialization")["properties"]["at"]["anyOf"][0] == {
        "type": "string",
        "format": "date-time",
    }
