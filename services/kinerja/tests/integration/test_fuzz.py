"""schemathesis against kinerja's OpenAPI, as BKPSDM, on the seeded office: no request,
valid or not, may answer 5xx."""

import pytest
from kinerja_testkit import BKPSDM_NIP
from openapi_fuzz import fuzz_app

pytestmark = pytest.mark.integration


async def test_no_request_answers_a_server_error(office):
    run = await fuzz_app(office.client._transport.app, office.token_for(BKPSDM_NIP, "bkpsdm"))
    assert run.returncode == 0, run.summary
