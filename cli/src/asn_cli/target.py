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


def kafka_bootstrap(flag: str | None = None) -> str:
    if flag:
        return flag
    if os.environ.get("ASN_KAFKA_BOOTSTRAP"):
        return os.environ["ASN_KAFKA_BOOTSTRAP"]
    return f"127.0.0.1:{StackConfig.from_env().kafka_port}"


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
