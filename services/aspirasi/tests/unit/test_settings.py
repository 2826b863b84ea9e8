"""The test clock can never be switched on in production."""

import pytest
from aspirasi.settings import AspirasiSettings
from pydantic import ValidationError

BASE = {"database_url": "postgresql://x/y", "jwt_jwks_url": "https://sso.example/jwks"}


def test_the_test_clock_is_refused_in_production():
    with pytest.raises(ValidationError, match="dev and test runs only"):
        AspirasiSettings(**BASE, environment="production", test_clock=True)
    assert AspirasiSettings(**BASE, environment="dev", test_clock=True).test_clock
    assert not AspirasiSettings(**BASE, environment="production").test_clock
