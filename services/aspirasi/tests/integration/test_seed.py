"""The demo data loads through the commands, once, and gives the board real figures."""

from datetime import UTC, datetime

import pytest
from aspirasi.seed.demo import TICKETS
from aspirasi.seed.load import load
from aspirasi_testkit import Service

pytestmark = pytest.mark.integration

DEMO_UNITS = ("dinkes", "dishub", "disdukcapil", "dlh", "dpupr", "disdikbud", "diskominfo")


async def test_the_demo_loads_once_with_every_state(service: Service):
    for code in DEMO_UNITS:
        await service.add_unit(code)
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    report = await load(service.runtime, now)
    assert report["tickets"] == len(TICKETS) and report["forums"] == 2
    assert report["breached"] > 0 and report["signals"] > 0
    statuses = {
        row for row in (await service.scalar("SELECT array_agg(DISTINCT status) FROM submission"))
    }
    assert statuses >= {
        "received",
        "verified",
        "held",
        "referred",
        "archived",
        "routed",
        "returned",
        "followed_up",
        "answered",
        "closed",
    }
    kinds = await service.scalar("SELECT array_agg(DISTINCT kind) FROM submission")
    assert set(kinds) >= {
        "aspirasi",
        "pengaduan",
        "permintaan_informasi",
        "apresiasi",
        "tindak_lanjut_forum",
    }
    assert await load(service.runtime, now) == {"skipped": "tickets exist"}

    service.clock.now = now
    board = (await service.public("GET", "/public/board?month=2026-11")).json()
    assert board["units"] and board["items"]
    assert all(i["code"] for i in board["items"])
    forums = (await service.public("GET", "/public/forums")).json()["items"]
    assert len(forums) == 2 and all(f["follow_ups"] for f in forums)


async def test_a_unit_that_never_arrives_only_drops_what_names_it(service: Service):
    for code in ("dinkes", "dishub"):
        await service.add_unit(code)
    report = await load(service.runtime, datetime(2026, 11, 27, 8, 0, tzinfo=UTC), wait_s=1)
    expected = [t for t in TICKETS if t.unit in (None, "dinkes", "dishub")]
    assert report["tickets"] == len(expected) and report["forums"] == 0
    units = await service.scalar("SELECT array_agg(DISTINCT unit_code) FROM submission")
    assert set(units) - {None} <= {"dinkes", "dishub"}
