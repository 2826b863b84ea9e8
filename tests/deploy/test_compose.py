"""compose.yaml: valid by the Compose specification's JSON Schema, and in step with the local
stack's list of processes and topics (deploy/local/services.toml, topics.toml)."""

from __future__ import annotations

import tomllib
from typing import Any

import jsonschema
import pytest
import yaml
from deploy_tools import ROOT, compose_schema

SERVICES = tomllib.loads((ROOT / "deploy" / "local" / "services.toml").read_text())["services"]
TOPICS = tomllib.loads((ROOT / "deploy" / "local" / "topics.toml").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def test_compose_file_is_valid_by_the_compose_specification(compose):
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(compose_schema()).iter_errors(compose)
    ]
    assert errors == []


def test_the_schema_check_catches_a_mistake(compose):
    broken = {**compose, "services": {**compose["services"], "kafka": {"image": 4, "port": []}}}
    assert list(jsonschema.Draft7Validator(compose_schema()).iter_errors(broken))


def test_every_process_of_the_suite_runs_from_its_image(compose):
    services = compose["services"]
    for name, entry in SERVICES.items():
        package = entry["module"].split(".")[0]
        service = services[name]
        assert service["image"] == f"asn/{package}:dev"
        if entry["module"] != package:
            assert service["command"] == [entry["module"]]
        env = service["environment"]
        assert env["ASN_DATABASE_URL"].endswith(f"/{entry['database']}")
        assert env["ASN_KAFKA_BOOTSTRAP"] == "kafka:9092"
        for key, value in entry.get("env", {}).items():
            assert env[key] == value, (name, key)
        assert service["read_only"] is True
        if "seed" in entry:
            assert services[f"{name}-seed"]["command"] == [entry["seed"]]
            assert services[f"{name}-seed"]["depends_on"][name] == {"condition": "service_healthy"}


def test_the_databases_and_topics_are_the_local_stacks(compose):
    initdb = (ROOT / "deploy" / "compose" / "initdb.sql").read_text()
    for database in {e["database"] for e in SERVICES.values()}:
        assert f"CREATE DATABASE {database};" in initdb
    script = compose["services"]["topics"]["command"][0]
    for topic in TOPICS["topics"]:
        assert topic in script
    assert "--config retention.ms=-1 --config retention.bytes=-1" in script
    assert compose["services"]["kafka"]["image"].startswith("apache/kafka:4.1")
    assert compose["services"]["postgres"]["image"] == "postgres:15"
