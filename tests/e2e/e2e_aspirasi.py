"""What the aspirasi scenarios share: a citizen on the gateway's public routes, the staff
with their tokens, and aspirasi's test clock and sweep."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from e2e_testkit import WIB, Portal
from servicekit.testing import read_topic_events as read_topic

COORDINATOR = ("198201012008011001", "admin_aspirasi")


def handler(unit: str) -> dict[str, Any]:
    return {"as_": ("198505052010012002", "admin_opd"), "unit": unit}


async def submit(portal: Portal, **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "pengaduan",
        "title": "Antrean puskesmas terlalu lama",
        "text": "Saya menunggu tiga jam di puskesmas tanpa kejelasan.",
        **fields,
    }
    response = await portal.client.post("/api/public/submissions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    listed = await portal.until(
        "GET",
        "/api/submissions?status=received&limit=200",
        lambda r: r.status_code == 200,
        "the coordinator's list",
        as_=COORDINATOR,
    )
    created["id"] = next(s["id"] for s in listed.json()["items"] if s["code"] == created["code"])
    return created


async def citizen(
    portal: Portal, method: str, path: str, secret: str, body: Any = None
) -> httpx.Response:
    return await portal.client.request(
        method, f"/api/public/submissions/{path}", json=body, headers={"X-Ticket-Secret": secret}
    )


async def route(portal: Portal, sub: dict[str, Any], unit: str) -> None:
    """Route once aspirasi's unit replica knows the new unit (a refusal changes nothing)."""
    await portal.until(
        "POST",
        f"/api/submissions/{sub['id']}/route",
        lambda r: r.status_code == 200,
        "aspirasi knows the unit",
        body={"unit_code": unit},
        as_=COORDINATOR,
    )


async def unit_step(portal: Portal, sub: dict[str, Any], unit: str, step: str, text: str) -> None:
    response = await portal.call(
        "POST", f"/api/submissions/{sub['id']}/{step}", {"text": text}, **handler(unit)
    )
    assert response.status_code == 200, response.text


class AspirasiClock:
    """aspirasi's own test routes (ASN_TEST_CLOCK), called on the service itself."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    async def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        token = await self.portal.token(*COORDINATOR)
        async with httpx.AsyncClient(base_url=self.portal.suite.aspirasi_url) as client:
            response = await client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def set(self, y: int, m: int, d: int, hh: int = 9) -> None:
        await self._call(
            "PUT", "/testing/clock", {"now": datetime(y, m, d, hh, tzinfo=WIB).isoformat()}
        )

    async def reset(self) -> None:
        await self._call("PUT", "/testing/clock", {"now": None})

    async def sweep(self) -> dict[str, Any]:
        return await self._call("POST", "/testing/sla-sweep")


async def ticket_events(portal: Portal, code: str) -> list[dict[str, Any]]:
    suite = portal.suite
    events = await read_topic(suite.stack.kafka.bootstrap, suite.topic("aspirasi"))
    return [e for e in events if e["_key"] == code]
