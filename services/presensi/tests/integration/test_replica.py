"""The employee replica from real Kafka events: duplicates, replays, transfer, retirement."""

from __future__ import annotations

from datetime import date

import pytest
from asn_schemas.pegawai import (
    EmployeeRetiredV1,
    EmployeeTransferredV1,
    EmployeeUpdatedV1,
    UnitRef,
)
from presensi_testkit import HEAD, MID, OTHER, PPPK, STAFF, UNITS, Service, snapshot

pytestmark = pytest.mark.integration

ME = (STAFF, "pegawai")


async def test_duplicates_and_older_events_change_nothing(city: Service) -> None:
    renamed = snapshot(STAFF, "dinkes", MID).model_copy(update={"name": "Nama Baru"})
    newer = await city.publish(
        EmployeeUpdatedV1(employee=renamed, changed_fields=("name",)), STAFF, sequence=3
    )
    await city.publish_envelope(newer)  # a redelivery of the very same event
    older = snapshot(STAFF, "dinkes", MID).model_copy(update={"name": "Nama Lama"})
    await city.publish(EmployeeUpdatedV1(employee=older, changed_fields=("name",)), STAFF, 2)
    await city.consumed(9)
    assert await city.scalar("SELECT name FROM employee WHERE nip = :n", n=STAFF) == "Nama Baru"
    assert int(await city.scalar("SELECT count(*) FROM inbox")) == 9


async def test_transfer_moves_the_approver_of_open_requests(city: Service) -> None:
    body = {"leave_type": "tahunan", "start_date": "2025-03-10", "end_date": "2025-03-11"}
    rid = (await city.call("POST", "/leave-requests", body, as_=ME)).json()["id"]
    moved = snapshot(STAFF, "disdik", OTHER)
    await city.publish(
        EmployeeTransferredV1(
            employee=moved,
            from_unit=UnitRef(unit_id=UNITS["dinkes"], unit_code="dinkes", name="Dinas dinkes"),
            to_unit=UnitRef(unit_id=UNITS["disdik"], unit_code="disdik", name="Dinas disdik"),
            tmt=date(2025, 3, 3),
            from_supervisor_nip=MID,
            to_supervisor_nip=OTHER,
        ),
        STAFF,
        sequence=2,
    )
    await city.consumed(8)
    request = (await city.call("GET", f"/leave-requests/{rid}", as_=ME)).json()
    assert request["approver_nip"] == OTHER
    old = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=(MID,)
    )
    assert old.status_code == 403
    new = await city.call(
        "POST", f"/leave-requests/{rid}/decision", {"decision": "approve"}, as_=(OTHER,)
    )
    assert new.status_code == 200, new.text


async def test_retirement_stops_check_ins_and_cancels_open_requests(city: Service) -> None:
    body = {"leave_type": "tahunan", "start_date": "2025-03-10", "end_date": "2025-03-11"}
    rid = (await city.call("POST", "/leave-requests", body, as_=(HEAD,))).json()["id"]
    retired = snapshot(HEAD, "dinkes", None, status="pensiun")
    await city.publish(
        EmployeeRetiredV1(employee=retired, reason="bup", tmt=date(2025, 3, 1)), HEAD, 2
    )
    await city.consumed(8)
    before = await city.counts()
    refused = await city.call("POST", "/attendance/check-in", None, as_=(HEAD,))
    assert refused.status_code == 409 and refused.json()["code"] == "employee_not_active"
    assert await city.counts() == before
    request = (await city.call("GET", f"/leave-requests/{rid}", as_=(HEAD,))).json()
    assert request["status"] == "dibatalkan"
    events = await city.published_events(2)
    cancelled = next(e for e in events if e["type"] == "presensi.leave.cancelled.v1")
    assert cancelled["data"]["reason"] == "employee_retired"
    assert cancelled["actor"].startswith("system:")


async def test_years_of_service_run_from_pegawais_tmt_cpns_not_the_nip(city: Service) -> None:
    # The NI PPPK's digits 9–14 read as January 2022 (three years of service); pegawai's
    # record says the first contract began in July 2024: not a year yet on 10 March 2025.
    corrected = snapshot(PPPK, "dinkes", MID).model_copy(update={"tmt_cpns": date(2024, 7, 1)})
    await city.publish(
        EmployeeUpdatedV1(employee=corrected, changed_fields=("tmt_cpns",)), PPPK, sequence=2
    )
    await city.consumed(8)
    start = await city.scalar("SELECT service_start FROM employee WHERE nip = :n", n=PPPK)
    assert start == date(2024, 7, 1)
    body = {"leave_type": "tahunan", "start_date": "2025-03-10", "end_date": "2025-03-11"}
    refused = await city.call("POST", "/leave-requests", body, as_=(PPPK, "pegawai"))
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "service_too_short"
