"""aspirasi's unit signals in kinerja (issue 12): shown beside the organisation predikat as
context, the newest computation of a month kept, and no individual appraisal touched."""

from datetime import UTC, datetime, timedelta

import pytest
from asn_schemas.aspirasi import UnitSignalComputedV1
from kinerja_testkit import BKPSDM_NIP, MID, STAFF, Service, approved_skp, submitted_appraisal
from servicekit.testing import eventually

pytestmark = pytest.mark.integration

BKPSDM = (BKPSDM_NIP, "bkpsdm")
COMPUTED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def signal(month: str, computed_at: datetime = COMPUTED, **figures: object) -> UnitSignalComputedV1:
    values: dict[str, object] = {
        "received": 12,
        "resolved": 9,
        "sla_compliance": 0.75,
        "reopen_rate": 0.25,
        "average_rating": 3.5,
        **figures,
    }
    return UnitSignalComputedV1(unit_code="dinkes", month=month, computed_at=computed_at, **values)


async def signals_shown(office: Service, count: int) -> list[dict]:
    shown: list[dict] = []

    async def arrived() -> bool:
        report = await office.call("GET", "/distribution?unit=dinkes&year=2026", as_=BKPSDM)
        assert report.status_code == 200, report.text
        shown[:] = report.json()["unit_signals"]
        return len(shown) == count

    await eventually(arrived, what=f"{count} unit signals beside the predikat")
    return shown


async def test_signals_are_shown_beside_the_organisation_predikat(office: Service):
    put = await office.call(
        "PUT", "/units/dinkes/organisation-predikat/2026", {"predikat": "baik"}, as_=BKPSDM
    )
    assert put.status_code == 200, put.text
    await office.publish_aspirasi(signal("2026-10"), "dinkes")
    await office.publish_aspirasi(signal("2026-11", received=3, average_rating=None), "dinkes")
    # Another year's month is not this year's context.
    await office.publish_aspirasi(signal("2025-12"), "dinkes")

    shown = await signals_shown(office, 2)
    report = (await office.call("GET", "/distribution?unit=dinkes&year=2026", as_=BKPSDM)).json()
    assert report["organisation_predikat"] == "baik"
    assert [s["month"] for s in shown] == ["2026-11", "2026-10"]  # latest first
    assert shown[0]["received"] == 3 and shown[0]["average_rating"] is None
    assert shown[1] == {
        "month": "2026-10",
        "received": 12,
        "resolved": 9,
        "sla_compliance": 0.75,
        "reopen_rate": 0.25,
        "average_rating": 3.5,
        "computed_at": "2026-11-30T01:00:00Z",
    }


async def test_a_month_keeps_its_newest_computation(office: Service):
    await office.publish_aspirasi(signal("2026-11", received=5), "dinkes")
    await signals_shown(office, 1)
    later = COMPUTED + timedelta(hours=1)
    await office.publish_aspirasi(signal("2026-11", later, received=7), "dinkes")

    async def updated() -> bool:
        return (await signals_shown(office, 1))[0]["received"] == 7

    await eventually(updated, what="the newer computation")
    # An older computation arriving late (redelivery, reordering) changes nothing.
    await office.publish_aspirasi(signal("2026-11", COMPUTED, received=1), "dinkes")
    # A marker after it on the same partition (same key) tells when it has been consumed.
    await office.publish_aspirasi(signal("2026-09"), "dinkes")
    shown = await signals_shown(office, 2)
    assert shown[0]["month"] == "2026-11" and shown[0]["received"] == 7


async def test_a_signal_never_touches_an_individual_appraisal(office: Service):
    skp = await approved_skp(office, STAFF, 2026, rater=MID)
    appraisal = await submitted_appraisal(office, skp)
    before = (await office.call("GET", f"/appraisals/{appraisal['id']}", as_=STAFF)).json()
    events_before = await office.outbox_count()

    # Poor figures for the employee's own dinas.
    await office.publish_aspirasi(
        signal("2026-11", sla_compliance=0.1, reopen_rate=2.0, average_rating=1.0), "dinkes"
    )
    await signals_shown(office, 1)

    after = (await office.call("GET", f"/appraisals/{appraisal['id']}", as_=STAFF)).json()
    assert after == before
    assert await office.outbox_count() == events_before  # kinerja published nothing
