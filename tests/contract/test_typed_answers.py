"""Every operation of every service (and the gateway's own) declares the JSON it answers with:
a named model in its OpenAPI, so the portal's generated types and the fuzz tests' response
conformance check have something to hold the answer to. Built from `app.openapi()` alone: no
database, no broker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aspirasi.main import create_app as aspirasi_app
from aspirasi.settings import AspirasiSettings
from fastapi import FastAPI
from gateway.main import create_app as gateway_app
from gateway.settings import GatewaySettings
from kinerja.main import create_app as kinerja_app
from kinerja.settings import KinerjaSettings
from pegawai.main import create_app as pegawai_app
from pegawai.settings import PegawaiSettings
from pelatihan.main import create_app as pelatihan_app
from pelatihan.settings import PelatihanSettings
from presensi.main import create_app as presensi_app
from presensi.settings import PresensiSettings

# Never connected: building the app and its document runs no lifespan.
NOWHERE: dict[str, Any] = {
    "database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/nothing",
    "jwt_jwks_url": "http://127.0.0.1:1/jwks",
}
APPS: dict[str, Callable[[], FastAPI]] = {
    "pegawai": lambda: pegawai_app(PegawaiSettings(**NOWHERE)),
    "kinerja": lambda: kinerja_app(KinerjaSettings(**NOWHERE)),
    "presensi": lambda: presensi_app(PresensiSettings(**NOWHERE)),
    "pelatihan": lambda: pelatihan_app(PelatihanSettings(**NOWHERE)),
    "aspirasi": lambda: aspirasi_app(AspirasiSettings(**NOWHERE)),
    "gateway": lambda: gateway_app(GatewaySettings(**NOWHERE, environment="dev")),
}
# Answers with no body by design: the status says it all.
BODYLESS = frozenset({"202", "204"})
# Plain-text and Prometheus answers are not JSON documents to type.
NOT_JSON = frozenset({"/metrics"})

# Operations that still answer a free-form object (`dict[str, Any]`, mostly lists and reports)
# or a body built by a helper not yet declared (presensi's punches, aspirasi's citizen routes):
# issue 13's remainder. The list may only shrink: a new untyped operation, or a typed one still
# listed here, fails the test.
STILL_FREE_FORM: dict[str, frozenset[str]] = {}


def _named(schema: dict[str, Any]) -> bool:
    """A reference to a component schema, an array of one, or a choice between them."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    choices = schema.get("anyOf") or schema.get("oneOf")
    return bool(choices) and all(_named(c) or c.get("type") == "null" for c in choices)


def untyped(document: dict[str, Any]) -> set[str]:
    """`METHOD path` of every operation whose success answer is not a declared model."""
    found = set()
    for path, item in document["paths"].items():
        if path in NOT_JSON or path.startswith("/health"):
            continue
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            successes = {
                code: answer
                for code, answer in operation["responses"].items()
                if code.startswith("2")
            }
            if not successes or not all(
                (code in BODYLESS and not answer.get("content"))
                or _named(answer.get("content", {}).get("application/json", {}).get("schema", {}))
                for code, answer in successes.items()
            ):
                found.add(f"{method.upper()} {path}")
    return found


@pytest.mark.parametrize("service", sorted(APPS))
def test_every_operation_declares_its_answer(service):
    document = APPS[service]().openapi()
    missing = untyped(document)
    allowed = STILL_FREE_FORM.get(service, frozenset())
    assert sorted(missing - allowed) == [], "declare a response model for these"
    assert sorted(allowed - missing) == [], "typed now: take these off STILL_FREE_FORM"


def test_the_check_sees_an_untyped_answer():
    app = FastAPI()

    @app.get("/free")
    async def free() -> dict[str, Any]:
        return {}

    @app.delete("/gone", status_code=204)
    async def gone() -> None:
        return None

    assert untyped(app.openapi()) == {"GET /free"}
