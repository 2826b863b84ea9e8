"""Fingerprint device routes: registration (admin_opd of the unit or BKPSDM) and batches
of log lines pushed with the device's own token (`X-Device-Token`): JSON, or the device's
own attendance log export as text (`presensi.domain.attlog`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from asn_schemas.base import Nip
from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from servicekit.auth import CurrentIdentity
from servicekit.commands import Outcome, run_command
from servicekit.context import current_traceparent
from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import invalid
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork

from presensi import devices
from presensi.api.schemas import Body, DevicePunches, DeviceView
from presensi.domain import attlog
from presensi.punches import Desks

router = APIRouter(tags=["devices"])


class DeviceBody(Body):
    serial: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    unit_code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=200)
    pins: dict[Annotated[str, Field(min_length=1, max_length=20)], Nip] = Field(
        default_factory=dict, description="Enrolment number on the device → NIP."
    )


class DeviceLine(Body):
    pin: str = Field(min_length=1, max_length=20)
    timestamp: dt.datetime = Field(description="The device's clock; without offset it is WIB.")


class DeviceBatch(Body):
    records: list[DeviceLine] = Field(min_length=1, max_length=5000)


@router.post("/devices", status_code=201, response_model=DeviceView)
async def register_device(
    body: DeviceBody, who: CurrentIdentity, runtime: Runtime, request: Request
) -> JSONResponse:
    """Register a unit's fingerprint device; the push token is shown once."""

    async def action(uow: UnitOfWork) -> Outcome:
        device, token = await devices.register(uow, who, body)
        return {
            "serial": device.serial,
            "unit_code": device.unit_code,
            "name": device.name,
            "pins": len(body.pins),
            "token": token,
        }, 1

    return await run_command(
        runtime, who, request, body=None, key=None, action=action, status_code=201
    )


ATTLOG_TYPES = ("text/plain", "application/octet-stream")
"""Content types of an attendance log export sent as it is (a file upload's bytes)."""
MAX_BODY = 1 << 20
"""Far above 5000 lines of either form (about 40 bytes a line in the export)."""


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON Schema with its `$defs` put in place (the body is read by hand, so
    FastAPI does not register its components)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return dict(walk(schema))


_PUNCHES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined(DeviceBatch.model_json_schema())},
            "text/plain": {
                "schema": {
                    "type": "string",
                    "description": "A ZKTeco attendance log export (attlog.dat): "
                    "PIN, tab, YYYY-MM-DD HH:MM:SS (WIB), then the device's other fields.",
                }
            },
        },
    }
}


def _lines(content_type: str, raw: bytes) -> list[tuple[str, dt.datetime]]:
    """(PIN, instant) of each line of the body, in either form; a bad body is refused
    whole with what is wrong, before anything is stored."""
    if len(raw) > MAX_BODY:
        raise ProblemError(413, "body_too_large", "Data terlalu besar",
                           f"Kirim paling banyak {MAX_BODY} bita sekali kirim.")  # fmt: skip
    if content_type in ATTLOG_TYPES:
        try:
            parsed = attlog.parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise invalid("attlog_not_text", "Berkas log presensi bukan teks.") from None
        except attlog.AttlogError as exc:
            raise invalid(
                "attlog_malformed", f"Baris {exc.line}: {exc.detail}.", line=exc.line
            ) from None
        return [(p.pin, devices.instant(p.at)) for p in parsed]
    try:
        body = DeviceBatch.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    return [(r.pin, devices.instant(r.timestamp)) for r in body.records]


@router.post(
    "/devices/{serial}/punches",
    openapi_extra=_PUNCHES_BODY,
    response_model=DevicePunches,
    response_model_exclude_unset=True,
)
async def device_punches(
    serial: str,
    runtime: Runtime,
    request: Request,
    token: Annotated[str | None, Header(alias="X-Device-Token", max_length=200)] = None,
) -> dict[str, Any]:
    """A batch of the device's log lines, as JSON or as the device's attendance log export
    (`text/plain`); a re-sent batch changes nothing, unknown PINs are reported."""
    async with runtime.db.read_session() as session:
        device = await devices.authenticate(session, serial, token)
    actor = Identity(sub=f"device:{serial.lower()}")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    lines = _lines(content_type, await request.body())
    async with runtime.unit_of_work(actor) as uow:
        pending = await devices.receive(uow, device, lines)
    desks: Desks = request.app.state.desks
    results = await devices.apply(
        desks, device, [p for p in pending if p["nip"] is not None],
        runtime.settings.source, runtime.settings.topic, str(current_traceparent().child()),
    )  # fmt: skip
    if results:
        async with runtime.unit_of_work(actor) as uow:
            await devices.settle(uow, serial, results)
    known = await devices.known_pins(runtime, serial)
    return {
        "serial": serial,
        "received": len(lines),
        "applied": dict(Counter(r["outcome"] for r in results)),
        "unknown_pins": sorted({p for p, _ in lines if p not in known}),
        "results": [
            {"pin": r["pin"], "nip": r["nip"], "at": r["at"].isoformat(), "outcome": r["outcome"]}
            for r in results
        ],
    }
