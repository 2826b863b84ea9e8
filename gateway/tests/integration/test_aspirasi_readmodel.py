"""aspirasi in the read model, from real events on real Kafka: tickets in the coordinator's
and the unit's inbox (escalations first), and complaint figures on the unit dashboard."""

import uuid
from datetime import UTC, date, datetime

import pytest
from asn_schemas.aspirasi import (
    Privacy,
    SlaBreachedV1,
    SlaClock,
    SubmissionAnsweredV1,
    SubmissionKind,
    SubmissionReceivedV1,
    SubmissionRoutedV1,
    SubmissionSnapshot,
    SubmissionStatus,
    UnitSignalComputedV1,
)
from gateway_testkit import UNIT_IDS, Gateway, city_events, event

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
COORDINATOR = ("198201012008011001", "admin_aspirasi")


def snap(code: str, status: SubmissionStatus, unit: str | None, **extra) -> SubmissionSnapshot:
    values = {
        "submission_id": uuid.UUID(int=int(code[-6:])),
        "code": code,
        "kind": SubmissionKind.PENGADUAN,
        "privacy": Privacy.RAHASIA,
        "status": status,
        "unit_code": unit,
        "title": None,
        "text": None,
        "received_at": T0,
        "reopen_count": 0,
        "escalated": False,
    }
    return SubmissionSnapshot(**{**values, **extra})


async def test_tickets_reach_the_inboxes_and_the_dashboard(gateway: Gateway):
    topic = gateway.settings.aspirasi_topic
    await gateway.publish(*city_events(gateway.settings.pegawai_topic))
    a, b = "SWL-2026-000001", "SWL-2026-000002"
    due = date(2026, 11, 5)
    await gateway.publish(
        (
            topic,
            event(
                SubmissionReceivedV1(
                    submission=snap(a, SubmissionStatus.RECEIVED, None), verification_due=due
                ),
                a,
                sequence=1,
                actor="warga",
            ),
        ),
        (
            topic,
            event(
                SubmissionReceivedV1(
                    submission=snap(b, SubmissionStatus.RECEIVED, None), verification_due=due
                ),
                b,
                sequence=1,
                actor="warga",
            ),
        ),
        (
            topic,
            event(
                SubmissionRoutedV1(
                    submission=snap(b, SubmissionStatus.ROUTED, "dinkes"),
                    unit_code="dinkes",
                    routed_at=T0,
                    follow_up_due=date(2026, 11, 9),
                    resolution_due=date(2027, 1, 1),
                ),
                b,
                sequence=2,
                actor=COORDINATOR[0],
            ),
        ),
        (
            topic,
            event(
                SlaBreachedV1(
                    submission_id=uuid.UUID(int=2),
                    code=b,
                    clock=SlaClock.FOLLOW_UP,
                    unit_code="dinkes",
                    due=date(2026, 11, 9),
                    breached_at=T0,
                ),
                b,
                sequence=3,
                actor="system:aspirasi-sla",
            ),
        ),
        # An older snapshot arriving late changes nothing.
        (
            topic,
            event(
                SubmissionReceivedV1(
                    submission=snap(b, SubmissionStatus.RECEIVED, None), verification_due=due
                ),
                b,
                sequence=1,
                actor="warga",
            ),
        ),
        (
            topic,
            event(
                UnitSignalComputedV1(
                    unit_code="dinkes",
                    month="2026-11",
                    received=1,
                    resolved=0,
                    sla_compliance=0.0,
                    reopen_rate=None,
                    average_rating=None,
                    computed_at=T0,
                ),
                "dinkes",
            ),
        ),
    )

    def coordinator_ready(body):
        kinds = {i["code"]: i["kind"] for i in body["items"]}
        return kinds.get(a) == "ticket_to_verify" and b in kinds

    inbox = await gateway.json_when(
        "/api/inbox", coordinator_ready, "coordinator inbox", as_=COORDINATOR
    )
    first = inbox["items"][0]
    assert first["code"] == b and first["escalated"] is True  # escalations first
    assert first["kind"] == "ticket_escalated" and first["ticket_kind"] == "pengaduan"
    assert first["title"] is None  # rahasia: no words in the read model

    unit_inbox = await gateway.json_when(
        "/api/inbox",
        lambda body: any(i["code"] == b for i in body["items"]),
        "unit inbox",
        as_=("198505052010012002", "admin_opd"),
        unit="dinkes",
    )
    assert [i["code"] for i in unit_inbox["items"] if i["kind"].startswith("ticket")] == [b]
    item = next(i for i in unit_inbox["items"] if i["code"] == b)
    assert item["kind"] == "ticket_to_follow_up" and item["status"] == "routed"
    assert item["action"].endswith("/follow-up")

    board = await gateway.dashboard_when(
        "dinkes", lambda d: d["complaints"]["monthly"] != [], "complaint signal"
    )
    complaints = board["complaints"]
    assert complaints["open"] == 1 and complaints["escalated"] == 1
    assert complaints["monthly"][0]["month"] == "2026-11"
    assert complaints["monthly"][0]["sla_compliance"] == 0.0

    # Answered: no longer waiting for the unit.
    await gateway.publish(
        (
            topic,
            event(
                SubmissionAnsweredV1(
                    submission=snap(b, SubmissionStatus.ANSWERED, "dinkes"),
                    answered_at=T0,
                    answer=None,
                    auto_close_on=date(2026, 11, 17),
                ),
                b,
                sequence=4,
            ),
        )
    )
    await gateway.json_when(
        "/api/inbox",
        lambda body: all(i["code"] != b for i in body["items"]),
        "answered",
        as_=("198505052010012002", "admin_opd"),
        unit=str(UNIT_IDS["dinkes"]),
    )
