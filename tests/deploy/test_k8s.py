"""deploy/k8s, validated offline as strictly as a cluster would: every overlay builds, every
resource fits its schema (Kubernetes' own, or its operator's CRD), and the policies hold."""

from __future__ import annotations

import fnmatch
import importlib.util
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from deploy_tools import KUBERNETES_VERSION, ROOT, crd_schemas, kustomize_build
from servicekit.kafka import DEAD_LETTER_TOPIC_CONFIG, EVENT_TOPIC_CONFIG

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod", "department")
TOPICS = tomllib.loads((ROOT / "deploy" / "local" / "topics.toml").read_text())
SERVICES = tomllib.loads((ROOT / "deploy" / "local" / "services.toml").read_text())["services"]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("k8s_generate", K8S / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["k8s_generate"] = module
    spec.loader.exec_module(module)
    return module


generate = _generator()


@pytest.fixture(scope="module")
def built() -> dict[str, list[dict[str, Any]]]:
    return {overlay: kustomize_build(K8S / "overlays" / overlay) for overlay in OVERLAYS}


@pytest.fixture(scope="module")
def schemas() -> dict[tuple[str, str], dict[str, Any]]:
    return crd_schemas()


def of_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in of_kind(docs, kind)}


def test_the_generated_manifests_are_in_step_with_their_sources():
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generate.files()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], "run: uv run --frozen python deploy/k8s/generate.py"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_fits_its_schema(built, schemas, overlay):
    problems: list[str] = []
    for doc in built[overlay]:
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        schema = schemas.get((doc["apiVersion"], doc["kind"]))
        if schema is not None:
            problems += [
                f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(doc)
            ]
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(f"{where}: no schema for {doc['apiVersion']} (not a built-in kind?)")
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{where}: {error.message}")
    assert problems == []


def test_the_schema_check_rejects_what_a_cluster_would(schemas):
    """The validation above can fail: an unknown field and a wrong type are caught."""
    topic = {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaTopic",
        "metadata": {"name": "x"},
        "spec": {"partitions": "six", "retention": -1},
    }
    messages = [e.message for e in jsonschema.Draft7Validator(
        schemas[("kafka.strimzi.io/v1", "KafkaTopic")]).iter_errors(topic)]  # fmt: skip
    assert any("'six' is not of type 'integer'" in m for m in messages)
    assert any("'retention' was unexpected" in m for m in messages)
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replica": 2, "selector": {}, "template": {}},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def _containers(deployment: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from deployment["spec"]["template"]["spec"]["containers"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_is_probed_limited_and_unprivileged(built, overlay):
    deployments = of_kind(built[overlay], "Deployment")
    assert deployments
    for deployment in deployments:
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        for container in _containers(deployment):
            security = container["securityContext"]
            assert security["runAsNonRoot"] is True and security["runAsUser"] != 0
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"]
            assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
            assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
            assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_its_budget_policy_autoscaler_service_and_monitor(built, overlay):
    docs = built[overlay]
    for deployment in of_kind(docs, "Deployment"):
        name = deployment["metadata"]["name"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(
            _selects(p["spec"]["selector"]["matchLabels"], labels)
            for p in of_kind(docs, "PodDisruptionBudget")
        ), name
        assert any(
            _selects(p["spec"]["podSelector"]["matchLabels"], labels)
            and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
            for p in of_kind(docs, "NetworkPolicy")
        ), name
        assert named(docs, "HorizontalPodAutoscaler")[name]["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
        }
        assert _selects(named(docs, "Service")[name]["spec"]["selector"], labels)
        assert named(docs, "ServiceMonitor")[name]["spec"]["endpoints"][0]["path"] == "/metrics"


def test_a_service_reaches_only_its_own_database_and_only_the_gateway_reaches_it(built):
    docs = built["prod"]
    for name, entry in SERVICES.items():
        policy = named(docs, "NetworkPolicy")[name]["spec"]
        databases = [
            peer["podSelector"]["matchLabels"]["cnpg.io/cluster"]
            for rule in policy["egress"]
            for peer in rule["to"]
            if "cnpg.io/cluster" in peer.get("podSelector", {}).get("matchLabels", {})
        ]
        assert databases == [f"{entry['database']}-db"]
        callers = [peer for rule in policy["ingress"] for peer in rule["from"]]
        pods = [p["podSelector"]["matchLabels"] for p in callers if "podSelector" in p]
        if name not in ("gateway", "projector"):
            assert pods == [{"app.kubernetes.io/name": "gateway"}]
        else:
            assert pods == []


def test_every_topic_is_a_kafka_topic_with_its_retention(built):
    topics = {t["spec"]["topicName"]: t["spec"] for t in of_kind(built["prod"], "KafkaTopic")}
    assert set(TOPICS["topics"]) <= set(topics)
    for name, spec in topics.items():
        if name.endswith(".events"):
            assert spec["config"] == {k: int(v) for k, v in EVENT_TOPIC_CONFIG.items()}, name
            assert spec["config"]["retention.ms"] == -1, "event topics are kept for ever"
        else:
            assert fnmatch.fnmatch(name, "*.dlq"), name
            assert spec["config"] == {k: int(v) for k, v in DEAD_LETTER_TOPIC_CONFIG.items()}
        assert spec["replicas"] == 3


def acl_violations(user: dict[str, Any], access: Any) -> list[str]:
    """What a KafkaUser may do beyond writing its own topic and dead-letter topics, reading
    what it consumes and using its own groups."""
    allowed = (
        {("topic", t, "Write") for t in (*access.produces, *access.dead_letter_topics)}
        | {("topic", t, "Read") for t in access.consumes}
        | {("group", g, "Read") for g in access.groups}
    )
    problems = []
    for acl in user["spec"]["authorization"]["acls"]:
        resource = acl["resource"]
        if resource.get("patternType", "literal") != "literal" or "*" in resource["name"]:
            problems.append(f"not a literal name: {resource}")
        for operation in acl["operations"]:
            grant = (resource["type"], resource["name"], operation)
            if grant not in allowed:
                problems.append(f"{user['metadata']['name']} may {operation} {resource['name']}")
    return problems


def test_every_kafka_user_may_do_only_what_its_service_does(built):
    users = named(built["prod"], "KafkaUser")
    packages = sorted({e["module"].split(".")[0] for e in SERVICES.values()})
    assert sorted(users) == packages
    for package in packages:
        access = generate.kafka_access(package)
        user = users[package]
        assert user["spec"]["authentication"] == {"type": "scram-sha-512"}
        assert acl_violations(user, access) == []
        writes = {
            a["resource"]["name"]
            for a in user["spec"]["authorization"]["acls"]
            if "Write" in a["operations"] and not a["resource"]["name"].endswith(".dlq")
        }
        assert writes == ({f"{package}.events"} if package != "gateway" else set())
        reads = {
            a["resource"]["name"]
            for a in user["spec"]["authorization"]["acls"]
            if a["resource"]["type"] == "topic" and "Read" in a["operations"]
        }
        assert reads == set(access.consumes) and reads, package


def test_the_acl_check_catches_a_user_that_writes_another_services_topic(built):
    access = generate.kafka_access("presensi")
    user = named(built["prod"], "KafkaUser")["presensi"]
    extra = [
        {"resource": {"type": "topic", "name": "pegawai.events"}, "operations": ["Write"]},
        {
            "resource": {"type": "topic", "name": "p", "patternType": "prefix"},
            "operations": ["Read"],
        },
    ]
    acls = [*user["spec"]["authorization"]["acls"], *extra]
    bad = {**user, "spec": {**user["spec"], "authorization": {"type": "simple", "acls": acls}}}
    assert acl_violations(bad, access) == [
        "presensi may Write pegawai.events",
        "not a literal name: {'type': 'topic', 'name': 'p', 'patternType': 'prefix'}",
        "presensi may Read p",
    ]


def test_prod_is_highly_available(built):
    docs = built["prod"]
    pools = {p["metadata"]["name"]: p["spec"] for p in of_kind(docs, "KafkaNodePool")}
    assert {n: (p["replicas"], p["roles"]) for n, p in pools.items()} == {
        "controllers": (3, ["controller"]),
        "brokers": (3, ["broker"]),
    }
    config = named(docs, "Kafka")["asn"]["spec"]["kafka"]["config"]
    assert config["default.replication.factor"] == 3
    assert config["min.insync.replicas"] == 2
    for cluster in of_kind(docs, "Cluster"):
        spec = cluster["spec"]
        assert spec["instances"] == 3
        assert spec["postgresql"]["synchronous"] == {"method": "any", "number": 1}
        assert spec["backup"]["barmanObjectStore"]["destinationPath"].startswith("s3://")
    for hpa in of_kind(docs, "HorizontalPodAutoscaler"):
        assert hpa["spec"]["minReplicas"] >= 2


def test_dev_is_one_of_everything(built):
    docs = built["dev"]
    assert [p["spec"]["replicas"] for p in of_kind(docs, "KafkaNodePool")] == [1]
    assert {c["spec"]["instances"] for c in of_kind(docs, "Cluster")} == {1}
    databases = {e["database"] for e in SERVICES.values()}
    assert {c["metadata"]["name"] for c in of_kind(docs, "Cluster")} == {
        f"{d}-db" for d in databases
    }


def test_the_department_runs_one_service_against_the_citys_kafka(built):
    docs = built["department"]
    assert [d["metadata"]["name"] for d in of_kind(docs, "Deployment")] == ["presensi"]
    assert [c["metadata"]["name"] for c in of_kind(docs, "Cluster")] == ["presensi-db"]
    assert not [d for d in docs if d["apiVersion"].startswith("kafka.strimzi.io")]
    config = named(docs, "ConfigMap")["presensi"]["data"]
    assert config["ASN_KAFKA_BOOTSTRAP"] == "kafka.sawahlunto.go.id:9094"
    assert config["ASN_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"


def test_the_ingress_serves_the_gateway_with_a_cert_manager_certificate(built):
    ingress = named(built["prod"], "Ingress")["asn"]
    assert "cert-manager.io/cluster-issuer" in ingress["metadata"]["annotations"]
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_services_settings_parse_from_its_config_map(built, monkeypatch, tmp_path, name):
    """The environment a pod gets (ConfigMap, secrets as files) starts the service's settings
    with Kafka over TLS and SCRAM and PostgreSQL over TLS."""
    from servicekit.settings import ServiceSettings

    config = named(built["prod"], "ConfigMap")[name]["data"]
    secrets = tmp_path / "secrets"
    for key in ("ASN_KAFKA_SASL_PASSWORD_FILE", "ASN_KAFKA_SSL_CAFILE", "ASN_DATABASE_SSLROOTCERT"):
        path = secrets / Path(config[key]).relative_to(generate.SECRETS)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("secret")
        monkeypatch.setenv(key, str(path))
    for key, value in config.items():
        if not key.endswith(("_FILE", "_CAFILE", "_SSLROOTCERT")):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("ASN_DATABASE_URL", f"postgresql://app:pw@{name}-db-rw.asn:5432/app")
    package = SERVICES[name]["module"].split(".")[0]
    module = importlib.import_module(f"{package}.settings")
    settings_class = next(
        c
        for c in vars(module).values()
        if isinstance(c, type) and issubclass(c, ServiceSettings) and c is not ServiceSettings
    )
    settings = settings_class()
    assert settings.kafka.security_protocol == "SASL_SSL"
    assert settings.kafka.sasl_mechanism == "SCRAM-SHA-512"
    assert settings.kafka.username == package
    assert settings.kafka.password == "secret"
    assert "sslmode=verify-full" in settings.database_url.get_secret_value()
    assert settings.environment == "production"
