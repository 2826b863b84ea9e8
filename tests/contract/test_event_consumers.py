"""The catalogue's consumers are the handlers the suite really registers.

`asn_schemas.streams.CONSUMERS` is what the AsyncAPI document and the catalogue page say
about who reads each event type; the services and the gateway build their consumer
specs on their own. This compares the two, group by group, topic by topic.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from asn_schemas.streams import CONSUMERS, topics_consumed
from servicekit.runtime import ConsumerSpec

SERVICES = ("pegawai", "kinerja", "pelatihan", "presensi", "aspirasi")
# Nothing connects while specs are built; these only satisfy the settings' validation.
SETTINGS = {
    "database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
    "jwt_jwks_url": "https://sso.example/jwks",
}


def _specs(name: str) -> list[ConsumerSpec]:
    if name == "gateway":
        from gateway.projections.apply import consumer_specs as gateway_specs
        from gateway.settings import GatewaySettings

        return gateway_specs(GatewaySettings(**SETTINGS))
    settings_module = importlib.import_module(f"{name}.settings")
    settings_class: Any = getattr(settings_module, f"{name.capitalize()}Settings")
    consumers = importlib.import_module(f"{name}.consumers")
    specs: list[ConsumerSpec] = consumers.consumer_specs(settings_class(**SETTINGS))
    return specs


def test_every_consumer_group_of_the_suite_is_in_the_catalogue() -> None:
    groups = {spec.group_id for name in (*SERVICES, "gateway") for spec in _specs(name)}
    assert groups == set(CONSUMERS)


@pytest.mark.parametrize("name", [*SERVICES, "gateway"])
def test_the_catalogue_names_exactly_the_types_each_group_handles(name: str) -> None:
    specs = _specs(name)
    handled = {t for spec in specs for t in spec.handlers}
    group = specs[0].group_id
    assert handled == set(CONSUMERS[group])
    subscribed = sorted({topic for spec in specs for topic in spec.topics})
    assert subscribed == topics_consumed(group)
