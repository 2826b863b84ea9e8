"""Fingerprint devices (ZKTeco and alike): registration with a push token, and batches of
device log lines (serial, PIN, timestamp) turned into punches by the same desks and rules
as phone check-ins (`presensi.punches`: shift matching, TL/PSW, one check-in and one
check-out a day).

Every line is kept once (`device_punch`), so a re-sent batch changes nothing; a line is
applied in time order per person: the first punch checks in, a later one checks out (a
second tap within `DOUBLE_TAP` is the same punch). An unknown PIN is reported, never
guessed. Lines carry the device's wall clock, read as WIB when they have no offset.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from servicekit.errors import ProblemError
from servicekit.identity import Identity
from servicekit.problems import conflict, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from presensi import store
from presensi.domain.calendar import WIB
from presensi.punches import Desks, Punch
from presensi.rosters import require_unit_admin
from presensi.shift_tables import Device, DevicePin

DOUBLE_TAP = timedelta(minutes=30)
"""A punch this soon after the person's previous one on the device is a repeated tap."""
FALL_BACK_TO_CHECK_OUT = {
    "already_checked_in",
    "rostered_day_off",
    "outside_shift_window",
    "not_a_working_day",
}
"""Refusals of a check-in after which the punch is tried as a check-out (the night's
check-out on the next morning is refused as a check-in first)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def register(uow: UnitOfWork, who: Identity, body: Any) -> tuple[Device, str]:
    """A new device and its PIN → NIP map; the token is returned once, only its hash kept."""
    require_unit_admin(who, body.unit_code)
    session = uow.session
    if await store.unit_by_code(session, body.unit_code) is None:
        raise not_found("unit", f"Unit {body.unit_code}")
    if await session.get(Device, body.serial) is not None:
        raise conflict("device_exists", f"Mesin {body.serial} sudah terdaftar.")
    for nip in sorted(set(body.pins.values())):
        await store.employee(session, nip)
    token = secrets.token_urlsafe(32)
    device = Device(serial=body.serial, unit_code=body.unit_code, name=body.name,
                    token_hash=token_hash(token), created_by=who.sub)  # fmt: skip
    session.add(device)
    session.add_all(DevicePin(serial=body.serial, pin=p, nip=n) for p, n in body.pins.items())
    return device, token


async def authenticate(session: AsyncSession, serial: str, token: str | None) -> Device:
    device = await session.get(Device, serial)
    if (
        device is None
        or token is None
        or not hmac.compare_digest(device.token_hash, token_hash(token))
    ):
        raise ProblemError(401, "device_unauthenticated", "Mesin tidak dikenali",
                           "Nomor seri atau token mesin tidak dikenali.")  # fmt: skip
    return device


def instant(raw: datetime) -> datetime:
    return raw.replace(tzinfo=WIB) if raw.tzinfo is None else raw


async def receive(uow: UnitOfWork, device: Device, lines: list[tuple[str, datetime]]) -> list[
    dict[str, Any]
]:  # fmt: skip
    """Keep the new lines (a re-sent one is found and skipped); returns the lines to apply,
    those kept earlier but never applied included (a crash between the two steps)."""
    session = uow.session
    pins = {
        r.pin: r.nip
        for r in await session.execute(
            text("SELECT pin, nip FROM device_pin WHERE serial = :s"), {"s": device.serial}
        )
    }
    await session.execute(
        text(
            "INSERT INTO device_punch (serial, pin, at, nip, outcome) "
            "SELECT :s, pin, at, nip, CASE WHEN nip IS NULL THEN 'unknown_pin' END "
            "FROM unnest(CAST(:pins AS text[]), CAST(:ats AS timestamptz[]), "
            "CAST(:nips AS text[])) AS l(pin, at, nip) ON CONFLICT DO NOTHING"
        ),
        {
            "s": device.serial,
            "pins": [p for p, _ in lines],
            "ats": [a for _, a in lines],
            "nips": [pins.get(p) for p, _ in lines],
        },
    )
    rows = await session.execute(
        text(
            "SELECT pin, at, nip FROM device_punch WHERE serial = :s AND outcome IS NULL "
            "ORDER BY nip, at"
        ),
        {"s": device.serial},
    )
    return [{"pin": r.pin, "at": r.at, "nip": r.nip} for r in rows]


async def apply(
    desks: Desks, device: Device, pending: list[dict[str, Any]], source: str, topic: str,
    traceparent: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """Each pending line through the punch desks, in time order per person."""
    actor = f"device:{device.serial.lower()}"  # actors are lowercase (envelope pattern)
    results = []
    previous: dict[str, datetime] = {}
    for line in pending:
        nip, at = line["nip"], line["at"]
        if nip in previous and at - previous[nip] < DOUBLE_TAP:
            results.append({**line, "outcome": "double_tap"})
            continue
        key = f"{device.serial}:{line['pin']}:{at.isoformat()}"

        def punch(kind: str, nip: str = nip, at: datetime = at, key: str = key) -> Punch:
            return Punch(nip=nip, actor=actor, at=at, position=None, accuracy_m=None,
                         idempotency_key=f"{kind}:{key}", fingerprint=key,
                         traceparent=traceparent, source=source, topic=topic)  # fmt: skip

        outcome = "check_in"
        try:
            await desks.check_in.submit(punch("in"))
        except ProblemError as refused:
            if refused.code not in FALL_BACK_TO_CHECK_OUT:
                outcome = refused.code
            else:
                try:
                    await desks.check_out.submit(punch("out"))
                    outcome = "check_out"
                except ProblemError as also:
                    outcome = also.code
        previous[nip] = at
        results.append({**line, "outcome": outcome})
    return results


async def settle(uow: UnitOfWork, serial: str, results: list[dict[str, Any]]) -> None:
    await uow.session.execute(
        text(
            "UPDATE device_punch d SET outcome = r.outcome FROM unnest(CAST(:pins AS text[]), "
            "CAST(:ats AS timestamptz[]), CAST(:outcomes AS text[])) AS r(pin, at, outcome) "
            "WHERE d.serial = :s AND d.pin = r.pin AND d.at = r.at"
        ),
        {
            "s": serial,
            "pins": [r["pin"] for r in results],
            "ats": [r["at"] for r in results],
            "outcomes": [r["outcome"] for r in results],
        },
    )


async def known_pins(runtime: Any, serial: str) -> set[str]:
    async with runtime.db.read_session() as session:
        rows = await session.execute(
            text("SELECT pin FROM device_pin WHERE serial = :s"), {"s": serial}
        )
        return {r[0] for r in rows}
