"""Fingerprint devices over HTTP on real PostgreSQL and Kafka: registration by the unit's
admin, batches by device token turned into check-in/out by the punch rules, a re-sent
batch changing nothing, unknown PINs and devices reported."""

from __future__ import annotations

from typing import Any

import pytest
from presensi_testkit import HEAD, PPPK, STAFF, Service

pytestmark = pytest.mark.integration

ADMIN = (HEAD, "admin_opd")
DEVICE = {"serial": "ZK-A1B2C3", "unit_code": "dinkes", "name": "Lobi Dinkes",
          "pins": {"1": STAFF, "2": PPPK}}  # fmt: skip
BATCH = {
    "records": [
        {"pin": "1", "timestamp": "2025-03-03T07:25:10"},
        {"pin": "1", "timestamp": "2025-03-03T07:25:40"},  # the same finger twice
        {"pin": "2", "timestamp": "2025-03-03T07:40:00"},
        {"pin": "99", "timestamp": "2025-03-03T07:41:00"},  # enrolled, never mapped
        {"pin": "1", "timestamp": "2025-03-03T16:05:00"},
    ]
}


async def push(city: Service, token: str | None, batch: dict[str, Any] = BATCH) -> Any:
    headers = {"X-Device-Token": token} if token else {}
    return await city.client.post(f"/devices/{DEVICE['serial']}/punches", json=batch,
                                  headers=headers)  # fmt: skip


async def test_device_batches_become_punches_once(city: Service) -> None:
    by_staff = await city.call("POST", "/devices", DEVICE, as_=(STAFF,))
    assert by_staff.status_code == 403
    registered = await city.call("POST", "/devices", DEVICE, as_=ADMIN, unit="dinkes")
    assert registered.status_code == 201, registered.text
    token = registered.json()["token"]
    assert await city.scalar("SELECT token_hash FROM device") != token

    first = await push(city, token)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["unknown_pins"] == ["99"]
    assert body["applied"] == {"check_in": 2, "double_tap": 1, "check_out": 1}
    attendance = await city.call("GET", f"/attendance?nip={STAFF}&from=2025-03-03&to=2025-03-03")
    record = attendance.json()["items"][0]
    assert record["checked_in_at"] == "2025-03-03T00:25:10+00:00"
    assert record["checked_out_at"] == "2025-03-03T09:05:00+00:00"
    assert record["minutes_late"] == 0 and record["in_inside_geofence"] is None
    before = await city.counts()

    again = await push(city, token)
    assert again.status_code == 200
    assert again.json()["applied"] == {} and again.json()["unknown_pins"] == ["99"]
    assert await city.counts() == before

    for bad in (None, "not-the-token"):
        refused = await push(city, bad)
        assert refused.status_code == 401 and refused.json()["code"] == "device_unauthenticated"
    assert await city.counts() == before
    events = await city.published_events(await city.outbox_total())
    device_events = [e for e in events if e["actor"] == "device:zk-a1b2c3"]
    assert sorted(e["type"].rsplit(".", 2)[1] for e in device_events) == [
        "checked_in", "checked_in", "checked_out"
    ]  # fmt: skip


# The same punches as BATCH, as the device writes them to a USB stick (1_attlog.dat).
ATTLOG = (
    "        1\t2025-03-03 07:25:10\t1\t0\t1\t0\r\n"
    "        1\t2025-03-03 07:25:40\t1\t0\t1\t0\r\n"
    "        2\t2025-03-03 07:40:00\t1\t0\t1\t0\r\n"
    "       99\t2025-03-03 07:41:00\t1\t0\t1\t0\r\n"
    "        1\t2025-03-03 16:05:00\t1\t1\t1\t0\r\n"
)


async def upload(city: Service, token: str, content: str | bytes) -> Any:
    return await city.client.post(
        f"/devices/{DEVICE['serial']}/punches",
        content=content,
        headers={"X-Device-Token": token, "Content-Type": "text/plain; charset=utf-8"},
    )


async def test_the_devices_attendance_log_export_is_accepted_as_the_batch(city: Service) -> None:
    registered = await city.call("POST", "/devices", DEVICE, as_=ADMIN, unit="dinkes")
    token = registered.json()["token"]
    before = await city.counts()
    for content, code in (
        (ATTLOG + "No.\tNama\tWaktu\r\n", "attlog_malformed"),  # a report, not the log
        (b"\xff\xfe1\t2025", "attlog_not_text"),  # UTF-16, not the log
        ("\r\n", "attlog_malformed"),
    ):
        refused = await upload(city, token, content)
        assert (refused.status_code, refused.json()["code"]) == (422, code), refused.text
    assert (await upload(city, token, ATTLOG + "x\r\n")).json()["line"] == 6
    bad_json = await push(city, token, {"records": [{"pin": "", "timestamp": "kemarin"}]})
    assert bad_json.status_code == 422 and bad_json.json()["code"] == "validation_error"
    assert {e["field"] for e in bad_json.json()["errors"]} == {
        "body.records.0.pin",
        "body.records.0.timestamp",
    }
    assert await city.counts() == before  # nothing half-read was kept

    first = await upload(city, token, ATTLOG)
    assert first.status_code == 200, first.text
    assert first.json()["received"] == 5 and first.json()["unknown_pins"] == ["99"]
    assert first.json()["applied"] == {"check_in": 2, "double_tap": 1, "check_out": 1}
    record = (
        await city.call("GET", f"/attendance?nip={STAFF}&from=2025-03-03&to=2025-03-03")
    ).json()["items"][0]
    assert record["checked_in_at"] == "2025-03-03T00:25:10+00:00"
    assert record["checked_out_at"] == "2025-03-03T09:05:00+00:00"
    after = await city.counts()
    # The same punches pushed as JSON later are the same lines: nothing changes.
    again = await push(city, token)
    assert again.status_code == 200 and again.json()["applied"] == {}
    assert await city.counts() == after
