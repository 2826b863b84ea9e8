from __future__ import annotations

import pytest
from asn_schemas.base import EventPayload
from asn_schemas.examples import example_employee, example_payloads, example_unit
from asn_schemas.pegawai import EmployeeSnapshot, UnitSnapshot


@pytest.fixture
def unit() -> UnitSnapshot:
    return example_unit()


@pytest.fixture
def employee() -> EmployeeSnapshot:
    return example_employee()


@pytest.fixture
def samples() -> dict[str, EventPayload]:
    """One valid payload of every registered event type (the catalogue's examples)."""
    return example_payloads()
