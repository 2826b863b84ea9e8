"""The gateway refuses a NUL character (U+0000) itself, in its own routes and before
proxying, with the same 422 naming the field as the services (issue 10)."""

import pytest
from gateway_testkit import BKPSDM_NIP

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/search?q=si%00ti", None, "query.q"),
        ("GET", f"/api/profiles/{BKPSDM_NIP}%00", None, "path.nip"),
        ("GET", "/api/units/din%00kes/dashboard", None, "path.code"),
        # Proxied: the stub upstream would echo it with a 201; it never gets there.
        ("POST", "/api/leave-requests", {"reason": "a\u0000b"}, "body.reason"),
        ("GET", "/api/employees?q=a%00", None, "query.q"),
    ],
)
async def test_nul_is_refused_naming_the_field(gateway, method, path, body, field):
    response = await gateway.client.request(method, path, json=body, headers=gateway.auth())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, "nul_character")]
