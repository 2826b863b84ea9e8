"""schemathesis against pegawai's OpenAPI, as BKPSDM, on the seeded city: no request, valid
or not, may answer 5xx."""

import pytest
from openapi_fuzz import fuzz_app
from pegawai_testkit import BKPSDM_NIP

pytestmark = pytest.mark.integration


async def test_no_request_answers_a_server_error(city):
    app = city.client._transport.app
    run = await fuzz_app(app, city.token_for(BKPSDM_NIP, "bkpsdm"))
    assert run.returncode == 0, run.summary
