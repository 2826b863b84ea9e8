import pytest
from pydantic import ValidationError
from servicekit.settings import ServiceSettings


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    key = tmp_path / "pub.pem"
    key.write_text("x")
    monkeypatch.setenv("ASN_SERVICE_NAME", "pegawai")
    monkeypatch.setenv("ASN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5/pegawai")
    monkeypatch.setenv("ASN_JWT_PUBLIC_KEY_FILE", str(key))
    settings = ServiceSettings()  # type: ignore[call-arg]
    assert settings.topic == "pegawai.events"
    assert settings.source == "/sawahlunto/pegawai"
    assert "postgres@" not in repr(settings), "the database URL is kept out of logs"


def test_a_service_without_a_key_source_refuses_to_start(monkeypatch):
    monkeypatch.setenv("ASN_SERVICE_NAME", "pegawai")
    monkeypatch.setenv("ASN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5/pegawai")
    monkeypatch.delenv("ASN_JWT_PUBLIC_KEY_FILE", raising=False)
    monkeypatch.delenv("ASN_JWT_JWKS_URL", raising=False)
    with pytest.raises(ValidationError, match="ASN_JWT_PUBLIC_KEY_FILE"):
        ServiceSettings()  # type: ignore[call-arg]


def test_a_drill_failpoint_is_refused_in_production(monkeypatch, tmp_path):
    key = tmp_path / "pub.pem"
    key.write_text("x")
    monkeypatch.setenv("ASN_SERVICE_NAME", "pegawai")
    monkeypatch.setenv("ASN_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5/pegawai")
    monkeypatch.setenv("ASN_JWT_PUBLIC_KEY_FILE", str(key))
    monkeypatch.setenv("ASN_FAILPOINT_RELAY_CRASH_AFTER_SEND", "1")
    assert ServiceSettings(environment="dev").failpoint_relay_crash_after_send == 1  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="drills only"):
        ServiceSettings(environment="production")  # type: ignore[call-arg]
