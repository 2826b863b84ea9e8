"""The routing table: each resource goes to the service that owns it."""

import pytest
from gateway.upstream import owner


@pytest.mark.parametrize(
    "resource",
    [
        "institutions",
        "programs",
        "enrollments",
        "learning-records",
        "jp",
        "training-budgets",
        "training-needs",
        "recommendations",
    ],
)
def test_pelatihan_resources_go_to_pelatihan(resource):
    assert owner(resource, "x/publish") == "pelatihan"


def test_units_stay_with_pegawai_and_kinerja():
    assert owner("units", "dinkes/organisation-predikat/2025") == "kinerja"
    assert owner("units", "dinkes") == "pegawai"
