"""The portal's types come from the committed portal/openapi.json: the gateway's merged
document of the running suite must equal it, so an API change fails here first, and once
the file is refreshed, the portal's type check (`vue-tsc`) names every page it breaks."""

from __future__ import annotations

import json
import os

import pytest
from e2e_browser import PORTAL

pytestmark = pytest.mark.integration
SNAPSHOT = PORTAL / "openapi.json"
REFRESH = "ASN_WRITE_OPENAPI"


async def test_the_portals_openapi_is_the_gateways(portal):
    response = await portal.client.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    live = response.json()
    assert "/api/attendance/check-in" in live["paths"]
    assert "/api/leave-requests/{request_id}/decision" in live["paths"]
    assert "/api/inbox" in live["paths"]
    assert "/auth/dev-people" in live["paths"]
    assert not any(p.startswith(("/health", "/metrics")) for p in live["paths"])
    if os.environ.get(REFRESH) == "1":
        SNAPSHOT.write_text(json.dumps(live, indent=1, sort_keys=True) + "\n")
    committed = json.loads(SNAPSHOT.read_text())
    assert live == committed, (
        f"the API changed: refresh {SNAPSHOT.name} with {REFRESH}=1 "
        "`uv run pytest tests/e2e/test_portal_openapi.py`, then `make portal` type-checks it"
    )
