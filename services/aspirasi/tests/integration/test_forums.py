"""Forum sessions and their follow-up items, tracked like tickets and shown in public."""

from datetime import date

import pytest
from aspirasi_testkit import Service

pytestmark = pytest.mark.integration


async def test_a_forum_promise_is_tracked_until_kept(city: Service):
    city.clock.set(2026, 11, 2)
    created = await city.staff(
        "POST",
        "/forums",
        {
            "unit_code": None,
            "held_on": "2026-11-02",
            "place": "Gedung Pusat Kebudayaan",
            "organisations": [{"name": "LPM Talawi", "count": 4}, {"name": "PKK", "count": 6}],
            "participant_count": 38,
        },
    )
    assert created.status_code == 201, created.text
    forum_id = created.json()["id"]
    minutes = await city.staff(
        "POST",
        f"/forums/{forum_id}/minutes",
        {"minutes": "Warga meminta jam layanan puskesmas diperpanjang."},
    )
    assert minutes.status_code == 200
    item = await city.staff(
        "POST",
        f"/forums/{forum_id}/follow-ups",
        {
            "unit_code": "dinkes",
            "title": "Jam layanan puskesmas",
            "text": "Perpanjang jam layanan sampai 16.00.",
            "due_on": "2026-11-30",
        },
    )
    assert item.status_code == 201, item.text
    follow_up = item.json()["follow_ups"][0]
    assert follow_up["status"] == "routed" and follow_up["unit_code"] == "dinkes"

    refused = await city.staff(
        "POST",
        f"/forums/{forum_id}/follow-ups",
        {
            "unit_code": "tidak-ada",
            "title": "Sesuatu lain",
            "text": "Tidak ada unitnya.",
            "due_on": "2026-11-30",
        },
    )
    assert refused.status_code == 422 and refused.json()["code"] == "unit_unknown"
    by_unit = await city.unit_admin(
        "POST", "/forums", {"held_on": "2026-11-02", "place": "Kantor", "participant_count": 1}
    )
    assert by_unit.status_code == 403

    city.clock.set(2026, 12, 1)  # past the forum's own due date, never followed up
    assert (await city.sweep()).breached == 2  # the follow-up clock and the due date
    shown = (await city.public("GET", "/public/forums")).json()["items"]
    assert shown[0]["follow_ups"][0]["escalated"] is True
    assert shown[0]["organisations"][0] == {"name": "LPM Talawi", "count": 4}
    events = await city.published_events(4)
    held = [e for e in events if e["type"] == "aspirasi.forum.held.v1"]
    assert len(held) == 1 and held[0]["data"]["participant_count"] == 38
    assert date.fromisoformat(held[0]["data"]["held_on"]) == date(2026, 11, 2)
