"""The demo data set loads through the unit of work, is idempotent, and reads like a city."""

import pytest
from pegawai.domain.dates import today_wib
from pegawai.seed.load import load

pytestmark = pytest.mark.integration


async def test_demo_loads_once_with_events_and_a_second_run_adds_nothing(service):
    conv = service.settings.retirement_convention
    units, employees = await load(service.db, service.settings.topic, today_wib(), conv)
    assert units == 60
    assert 2400 <= employees <= 2700
    outbox = await service.outbox_count()
    assert outbox == units + employees
    assert await load(service.db, service.settings.topic, today_wib(), conv) == (0, 0)
    assert await service.outbox_count() == outbox

    events = await service.published_events(expected=outbox)
    assert len({e["id"] for e in events}) == outbox
    assert {e["actor"] for e in events} == {"system:demo-seed"}

    heads = await service.scalar("SELECT count(*) FROM employee WHERE supervisor_nip IS NULL")
    assert heads == 1  # the Sekretaris Daerah tops every chain
    assert await service.scalar("SELECT bool_and(demo) FROM employee")
    duk = (await service.call("GET", "/reports/duk?limit=3")).json()
    assert duk["total"] > 1500
    assert duk["items"][0]["position"]["kind"] in ("jpt", "fungsional", "administrator")
    kelurahan = (await service.call("GET", "/units/kec-lembah-segar")).json()["children"]
    assert len(kelurahan) == 6
