"""Where the commands point: flags first, then `ASN_*` settings, then the local stack.

With nothing given, every command finds what `make run` uses (devstack's ports, which
`ASN_KAFKA_PORT`/`ASN_PG_PORT` may move), so an operator on the suite's own machine types
no address at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from devstack.config import StackConfig
from devstack.services import DEV_KEYS_DIR
from pydantic import ValidationError
from servicekit.connections import KafkaConnection
from servicekit.settings import KafkaSettings

from asn_cli.failures import CliError


def kafka(flag: str | None = None) -> KafkaConnection:
    """The broker and how to authenticate: `ASN_KAFKA_*` as a service reads them (TLS and
    SCRAM-SHA-512 in a cluster), with the address from the flag or the local stack."""
    overrides: dict[str, str] = {}
    if flag:
        overrides["kafka_bootstrap"] = flag
    elif not os.environ.get("ASN_KAFKA_BOOTSTRAP"):
        overrides["kafka_bootstrap"] = f"127.0.0.1:{StackConfig.from_env().kafka_port}"
    try:
        return KafkaSettings(**overrides).kafka  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CliError(f"Kafka settings: {first['msg']}") from None


def database_url(database: str, flag: str | None = None) -> str:
    """A service's database as SQLAlchemy's asyncpg URL (the form the services read)."""
    if flag:
        return flag
    if os.environ.get("ASN_DATABASE_URL"):
        return os.environ["ASN_DATABASE_URL"]
    return f"postgresql+asyncpg://postgres@127.0.0.1:{StackConfig.from_env().pg_port}/{database}"


def dev_keys_dir(flag: Path | None = None) -> Path:
    if flag is not None:
        return flag
    if os.environ.get("ASN_DEV_KEYS_DIR"):
        return Path(os.environ["ASN_DEV_KEYS_DIR"])
    return DEV_KEYS_DIR


def api_url(flag: str | None = None) -> str:
    """The suite's `/api` (the gateway, which forwards to pegawai), or pegawai's own URL."""
    if flag:
        return flag
    if os.environ.get("ASN_API_URL"):
        return os.environ["ASN_API_URL"]
    return f"http://127.0.0.1:{os.environ.get('ASN_GATEWAY_PORT', '8000')}/api"


def api_token(flag: str | None = None) -> str:
    """The operator's token; on a development machine, a BKPSDM token from the dev keys."""
    if flag:
        return flag
    if os.environ.get("ASN_TOKEN"):
        return os.environ["ASN_TOKEN"]
    from servicekit.devkeys import ensure_dev_keys, mint_token

    if os.environ.get("ASN_ENVIRONMENT") == "production":
        raise CliError(
            "give a BKPSDM token with --token or ASN_TOKEN (no dev tokens in production)"
        )
    private, _ = ensure_dev_keys(dev_keys_dir())
    return mint_token(private.read_bytes(), sub="system:asn-import", roles=["bkpsdm"], ttl_s=3600)
