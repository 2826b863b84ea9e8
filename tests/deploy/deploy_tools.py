"""The tools and schemas the offline deploy checks need, fetched once and cached outside git.

    uv run --frozen python tests/deploy/deploy_tools.py   # fetch all (make deploy-tools)

Every one comes from a registry by a pinned version, never copied into the repository:
kustomize is built from the Go module proxy (`go install`); CloudNativePG's CRDs, the
Prometheus operator's ServiceMonitor CRD and the Compose specification's JSON Schema are
files of Go modules (`go mod download`, in Go's module cache). Strimzi's CRDs are generated
from its model classes, `io.strimzi:api` on Maven Central, by fabric8's CRD generator
(Strimzi's own generator is not published there): field names, types and enums as the
operator's Java model has them, without some of the bounds Strimzi's own CRDs add. The
Kubernetes schemas come from the `kubernetes-validate` package (pyproject.toml).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

KUBERNETES_VERSION = "1.33.0"
"""The oldest Kubernetes the manifests are meant for (CloudNativePG 1.27 and Strimzi 0.49
both support it); kubernetes-validate's schemas for it."""
KUSTOMIZE = ("sigs.k8s.io/kustomize/kustomize/v5", "v5.8.0")
CLOUDNATIVE_PG = ("github.com/cloudnative-pg/cloudnative-pg", "v1.27.1")
PROMETHEUS_OPERATOR = ("github.com/prometheus-operator/prometheus-operator", "v0.85.0")
COMPOSE_GO = ("github.com/compose-spec/compose-go/v2", "v2.9.1")
STRIMZI_API = "0.49.0"
FABRIC8_CRD_GENERATOR = "7.4.0"
STRIMZI_KINDS = (
    "io.strimzi.api.kafka.model.kafka.Kafka",
    "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
    "io.strimzi.api.kafka.model.topic.KafkaTopic",
    "io.strimzi.api.kafka.model.user.KafkaUser",
)

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "asn-suite" / "deploy"


def go() -> str:
    found = shutil.which("go") or "/usr/local/go/bin/go"
    if not Path(found).exists():
        raise RuntimeError("Go is needed for kustomize and the CRDs: /usr/local/go/bin/go")
    return found


def _go(*args: str, **env: str) -> str:
    # Outside the repository, so no go.mod is looked for; modules land in Go's own cache.
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [go(), *args],
            cwd=scratch,
            env={**os.environ, "GOFLAGS": "-mod=mod", **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
    if done.returncode != 0:
        raise RuntimeError(f"go {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


@cache
def kustomize() -> Path:
    """The kustomize binary, built once per version from the Go module proxy."""
    module, version = KUSTOMIZE
    binary = CACHE / f"kustomize-{version}" / "kustomize"
    if not binary.exists():
        _go("install", f"{module}@{version}", GOBIN=str(binary.parent))
    return binary


def kustomize_build(folder: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [str(kustomize()), "build", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise AssertionError(f"kustomize build {folder} failed:\n{done.stderr}")
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@cache
def go_module(module: str, version: str) -> Path:
    """A Go module's files (read-only, in Go's module cache)."""
    info = json.loads(_go("mod", "download", "-json", f"{module}@{version}"))
    return Path(info["Dir"])


def compose_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (go_module(*COMPOSE_GO) / "schema" / "compose-spec.json").read_text()
    )
    return schema


_STRIMZI_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>asn-suite</groupId><artifactId>strimzi-crds</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId>
      <version>{strimzi}</version></dependency>
    <dependency><groupId>io.fabric8</groupId><artifactId>crd-generator-api-v2</artifactId>
      <version>{fabric8}</version></dependency>
  </dependencies>
</project>
"""

_STRIMZI_GENERATOR = """
public class GenerateCrds {{
    public static void main(String[] args) throws Exception {{
        new io.fabric8.crdv2.generator.CRDGenerator()
            .inOutputDir(new java.io.File(args[0]))
            .forCRDVersions("v1")
            .customResourceClasses({classes})
            .generate();
    }}
}}
"""


@cache
def strimzi_crds() -> Path:
    """A folder of Strimzi's CRDs (`*.yml`), generated once per version."""
    out = CACHE / f"strimzi-{STRIMZI_API}-fabric8-{FABRIC8_CRD_GENERATOR}"
    if (out / ".complete").exists():
        return out
    work = CACHE / "strimzi-build"
    work.mkdir(parents=True, exist_ok=True)
    (work / "pom.xml").write_text(
        _STRIMZI_POM.format(strimzi=STRIMZI_API, fabric8=FABRIC8_CRD_GENERATOR)
    )
    classes = ", ".join(f"{name}.class" for name in STRIMZI_KINDS)
    (work / "GenerateCrds.java").write_text(_STRIMZI_GENERATOR.format(classes=classes))
    shutil.rmtree(work / "libs", ignore_errors=True)
    subprocess.run(
        ["mvn", "-q", "-B", "dependency:copy-dependencies", "-DoutputDirectory=libs"],
        cwd=work,
        check=True,
        timeout=900,
    )
    out.mkdir(parents=True, exist_ok=True)
    # The JDK's single-file source launcher: no build tool for one small class.
    subprocess.run(
        ["java", "-cp", "libs/*", "GenerateCrds.java", str(out)],
        cwd=work,
        check=True,
        timeout=300,
        capture_output=True,
    )
    (out / ".complete").touch()
    return out


def crd_documents() -> list[dict[str, Any]]:
    """The CustomResourceDefinitions of the operators the manifests use."""
    files = [
        *sorted(strimzi_crds().glob("*.yml")),
        go_module(*CLOUDNATIVE_PG)
        / "config"
        / "crd"
        / "bases"
        / "postgresql.cnpg.io_clusters.yaml",
        go_module(*PROMETHEUS_OPERATOR)
        / "example"
        / "prometheus-operator-crd"
        / "monitoring.coreos.com_servicemonitors.yaml",
    ]
    return [doc for path in files for doc in yaml.safe_load_all(path.read_text()) if doc]


def fetch_all() -> None:
    print(f"kustomize: {kustomize()}")
    for module in (CLOUDNATIVE_PG, PROMETHEUS_OPERATOR, COMPOSE_GO):
        print(f"{module[0]}@{module[1]}: {go_module(*module)}")
    print(f"strimzi CRDs: {strimzi_crds()}")


def _strict(node: Any) -> Any:
    """A CRD's openAPIV3Schema as JSON Schema that rejects what a cluster would not keep:
    unknown fields fail (kubectl's strict field validation) unless the schema preserves
    them, and `nullable` allows null."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    if "properties" in out:
        out["properties"] = {k: _strict(v) for k, v in out["properties"].items()}
        # An object whose only known field is `type` is a polymorphic one (Strimzi's
        # authentication, authorization, storage: a subtype by `type`), which fabric8 writes
        # as its base class only: its other fields are the subtype's, left open here.
        polymorphic = set(out["properties"]) == {"type"}
        if (
            "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")
            and not polymorphic
        ):
            out["additionalProperties"] = False
    additional = out.get("additionalProperties")
    if isinstance(additional, dict):
        # fabric8 writes Java's Map<String, Object> as values of type object; an Object is
        # any JSON value (Strimzi's own CRDs preserve unknown fields there).
        out["additionalProperties"] = (
            {} if additional == {"type": "object"} else _strict(additional)
        )
    if isinstance(out.get("items"), dict):
        out["items"] = _strict(out["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in out:
            out[key] = [_strict(s) for s in out[key]]
    if out.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def crd_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) → JSON Schema of every served version of every CRD."""
    schemas: dict[tuple[str, str], dict[str, Any]] = {}
    for crd in crd_documents():
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if not version.get("served"):
                continue
            root = dict(version["schema"]["openAPIV3Schema"])
            root["properties"] = {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                **root.get("properties", {}),
            }
            schemas[(f"{group}/{version['name']}", kind)] = _strict(root)
    return schemas


if __name__ == "__main__":
    fetch_all()
    sys.exit(0)
