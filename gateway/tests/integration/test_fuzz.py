"""schemathesis against the gateway's own routes (its OpenAPI: the read-model views; the
proxy is not in it), as BKPSDM: no request, valid or not, may answer 5xx."""

import pytest
from gateway_testkit import BKPSDM_NIP
from openapi_fuzz import fuzz_app

pytestmark = pytest.mark.integration


async def test_no_request_answers_a_server_error(gateway):
    run = await fuzz_app(gateway.app, gateway.token_for(BKPSDM_NIP, "bkpsdm"))
    assert run.returncode == 0, run.summary
