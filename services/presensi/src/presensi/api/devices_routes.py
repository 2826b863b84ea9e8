"""Fingerprint device routes: registration (admin_opd of the unit or BKPSDM) and batches
of log lines pushed with the device's own token (`X-Device-Token`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from asn_schemas.base import Nip
from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from servicekit.auth import CurrentIdentity
from servicekit.commands import Outcome, run_command
from servicekit.context import current_traceparent
from servicekit.identity import Identity
from servicekit.runtime import Runtime
from servicekit.uow import UnitOfWork

from presensi import devices
from presensi.api.schemas import Body
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


@router.post("/devices", status_code=201)
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


@router.post("/devices/{serial}/punches")
async def device_punches(
    serial: str,
    body: DeviceBatch,
    runtime: Runtime,
    request: Request,
    token: Annotated[str | None, Header(alias="X-Device-Token", max_length=200)] = None,
) -> dict[str, Any]:
    """A batch of the device's log lines; a re-sent batch changes nothing, unknown PINs
    are reported."""
    async with runtime.db.read_session() as session:
        device = await devices.authenticate(session, serial, token)
    actor = Identity(sub=f"device:{serial.lower()}")
    lines = [(r.pin, devices.instant(r.timestamp)) for r in body.records]
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
