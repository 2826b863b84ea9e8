"""The event catalogue against the running suite: every event the services published is
keyed as the catalogue says and reads through the consumer SDK; the gateway's `/events`
page shows each of them."""

from __future__ import annotations

import pytest
from asn_schemas import CONTENT_TYPE, Envelope, read_event
from asn_schemas.streams import PRODUCERS, event_key, topic_for
from e2e_testkit import event_on_topic, new_nip, new_unit_code
from servicekit.testing import read_topic_records

pytestmark = pytest.mark.integration


async def test_published_events_are_keyed_and_read_as_the_catalogue_says(portal):
    unit, boss, staff = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(boss, unit)
    await portal.employee(staff, unit, boss)
    promoted = await portal.call(
        "POST",
        f"/api/employees/{staff}/promotions",
        {"tmt": "2026-04-01", "override_justification": "Uji katalog event."},
    )
    assert promoted.status_code == 200, promoted.text
    suite = portal.suite
    bootstrap = suite.stack.kafka.bootstrap
    await event_on_topic(
        bootstrap,
        suite.topic("pegawai"),
        lambda e: e["type"] == "pegawai.employee.promoted.v1" and e["subject"] == staff,
        "the promotion event",
    )

    seen: set[str] = set()
    for service in PRODUCERS:
        for record in await read_topic_records(bootstrap, suite.topic(service)):
            assert record.value is not None
            event = read_event(record.value, key=record.key, headers=record.headers)
            assert isinstance(event.envelope, Envelope), event.type  # a type of the suite
            assert event.payload is not None
            assert event.headers["content-type"] == CONTENT_TYPE
            assert event.key == event.subject == event_key(event.payload), event.type
            assert topic_for(service) == f"{event.type.split('.')[0]}.events"
            seen.add(event.type)
    assert {
        "pegawai.unit.created.v1",
        "pegawai.employee.registered.v1",
        "pegawai.employee.promoted.v1",
    } <= seen

    page = await portal.client.get("/events")
    assert page.status_code == 200
    for event_type in seen:
        assert f'<section id="{event_type}"' in page.text
