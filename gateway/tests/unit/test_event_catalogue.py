"""`GET /events`: the event catalogue page lists every registered event type, and the
AsyncAPI document beside it is the committed one. Neither needs a token or a database."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from asn_schemas.asyncapi import build_document
from asn_schemas.registry import EVENT_TYPES
from gateway.main import create_app
from gateway.settings import GatewaySettings


class _EventSections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and dict(attrs).get("data-event") is not None:
            self.ids.append(dict(attrs)["id"] or "")


@pytest.fixture
async def client(tmp_path: Path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Portal ASN</title>")
    settings = GatewaySettings(
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
        jwt_jwks_url="https://sso.example/jwks",
        portal_dir=tmp_path,
    )
    # No lifespan: these routes read package files only, nothing connects.
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield http


async def test_the_catalogue_page_lists_every_registered_event_type(client) -> None:
    response = await client.get("/events")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    parser = _EventSections()
    parser.feed(response.text)
    assert sorted(parser.ids) == sorted(EVENT_TYPES)
    assert "Portal ASN" not in response.text


async def test_the_asyncapi_document_is_served_beside_it(client) -> None:
    response = await client.get("/events/asyncapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.content) == build_document()


async def test_an_unknown_catalogue_path_is_a_404_problem_not_the_portal(client) -> None:
    response = await client.get("/events/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
