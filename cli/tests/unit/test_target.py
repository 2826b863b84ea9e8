"""Where `asn` points: the flag, then ASN_* settings as the services read them, then the
local stack — with a cluster's TLS and SCRAM settings reaching its Kafka clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn_cli import target
from asn_cli.failures import CliError


def test_the_local_stack_is_the_default_and_a_flag_or_setting_moves_it(monkeypatch):
    monkeypatch.delenv("ASN_KAFKA_BOOTSTRAP", raising=False)
    monkeypatch.setenv("ASN_KAFKA_PORT", "29092")
    assert target.kafka().bootstrap == "127.0.0.1:29092"
    monkeypatch.setenv("ASN_KAFKA_BOOTSTRAP", "kafka.city:9093")
    assert target.kafka().bootstrap == "kafka.city:9093"
    assert target.kafka("other:9092").bootstrap == "other:9092"


def test_a_clusters_scram_over_tls_settings_reach_the_clients(monkeypatch, tmp_path: Path):
    password = tmp_path / "password"
    password.write_text("s3cret\n")
    monkeypatch.setenv("ASN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("ASN_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("ASN_KAFKA_SASL_USERNAME", "bkpsdm-operator")
    monkeypatch.setenv("ASN_KAFKA_SASL_PASSWORD_FILE", str(password))

    args = target.kafka("kafka-bootstrap.kafka:9093").client_args()

    assert args["security_protocol"] == "SASL_SSL"
    assert (args["sasl_mechanism"], args["sasl_plain_username"]) == (
        "SCRAM-SHA-512",
        "bkpsdm-operator",
    )
    assert args["sasl_plain_password"] == "s3cret"
    assert args["ssl_context"] is not None


def test_incomplete_kafka_settings_are_one_readable_error(monkeypatch):
    monkeypatch.setenv("ASN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(
        CliError, match="SASL_SSL needs a SASL mechanism, a username and a password"
    ):
        target.kafka("kafka:9093")
