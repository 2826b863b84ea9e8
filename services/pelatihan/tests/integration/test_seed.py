"""The demo loads through the commands (events flow), shows real figures, and is idempotent."""

import pytest
from pelatihan.domain.dates import today_wib
from pelatihan.seed.load import load
from pelatihan_testkit import MID, STAFF, Service

pytestmark = pytest.mark.integration


async def test_the_demo_loads_once_through_the_commands(office: Service):
    today = today_wib()
    counts = await load(office.db, office.settings, today)
    assert counts["institutions"] == 7 and counts["budgets"] == 2  # dinkes and disdik
    # dinkes is the first OPD: its staff with a supervisor reach 20 JP by MOOC.
    assert counts["learning_records"] == 2
    for nip in (MID, STAFF):
        jp = (await office.bkpsdm("GET", f"/jp/{nip}?year={today.year}")).json()
        assert jp["jp"] >= 24 and jp["compliant"]
    programs = (await office.bkpsdm("GET", "/programs")).json()["items"]
    assert {p["kind"]: p["status"] for p in programs} == {
        "bimtek": "running",
        "pka": "published",
        "seminar": "published",
    }
    lapsed = [i for i in (await office.bkpsdm("GET", "/institutions")).json()["items"]]
    assert any(i["valid_until"] < today.isoformat() for i in lapsed)

    outbox = int(await office.scalar("SELECT count(*) FROM outbox"))
    assert await load(office.db, office.settings, today) == {"skipped": True}
    assert int(await office.scalar("SELECT count(*) FROM outbox")) == outbox
    events = await office.events(outbox)
    types = {e["type"] for e in events}
    assert {
        "pelatihan.budget.allocated.v1",
        "pelatihan.program.published.v1",
        "pelatihan.learning_record.submitted.v1",
        "pelatihan.training.completed.v1",
    } <= types
    assert {e["actor"] for e in events if e["type"] == "pelatihan.budget.allocated.v1"} == {
        "system:demo-seed"
    }
