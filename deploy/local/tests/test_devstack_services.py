"""The summary `make up`, `make run` and `python -m devstack.suite status` print."""

import os
import shutil
import uuid
from pathlib import Path

import pytest
from devstack import services, suite
from devstack.config import REPO_ROOT


def _pretend_running(state_dir: Path) -> services.ServiceSpec:
    """A built service whose pid file names a live process (this one): what `running()` checks."""
    spec = next(s for s in services.load_services() if s.built)
    folder = state_dir / "services"
    folder.mkdir(parents=True)
    (folder / f"{spec.name}.pid").write_text(f"{os.getpid()}\n")
    return spec


def test_status_with_the_state_outside_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    state_dir = tmp_path / "asn-state"
    assert not state_dir.is_relative_to(REPO_ROOT)
    monkeypatch.setenv("ASN_STACK_DIR", str(state_dir))
    spec = _pretend_running(state_dir)

    assert suite.main(["status"]) == 0

    out = capsys.readouterr().out
    assert "Sawahlunto ASN Suite is up:" in out
    assert f"(log: {state_dir / 'services' / f'{spec.name}.log'})" in out


def test_status_with_the_state_in_the_checkout_shows_short_paths(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    state_dir = REPO_ROOT / ".stack-test" / f"summary-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("ASN_STACK_DIR", str(state_dir))
    try:
        spec = _pretend_running(state_dir)
        assert suite.main(["status"]) == 0
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)

    relative = state_dir.relative_to(REPO_ROOT) / "services" / f"{spec.name}.log"
    assert f"(log: {relative})" in capsys.readouterr().out


def test_services_trust_the_dev_key_unless_pointed_at_an_identity_provider(tmp_path: Path):
    spec = next(s for s in services.load_services() if s.built)
    config = services.StackConfig(state_dir=tmp_path)
    public_key = tmp_path / "jwt-public.pem"
    dev = services.ServiceProcesses(config, [spec]).env_for(spec, public_key)
    assert dev["ASN_JWT_PUBLIC_KEY_FILE"] == str(public_key)

    def with_idp(_: services.ServiceSpec) -> dict[str, str]:
        return {"ASN_JWT_JWKS_URL": "http://127.0.0.1:9400/jwks"}

    idp = services.ServiceProcesses(config, [spec], extra_env=with_idp).env_for(spec, public_key)
    assert "ASN_JWT_PUBLIC_KEY_FILE" not in idp
    assert idp["ASN_JWT_JWKS_URL"] == "http://127.0.0.1:9400/jwks"
