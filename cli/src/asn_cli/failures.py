"""Errors as one line and a non-zero exit, never a traceback an operator must read."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer
from aiokafka.errors import KafkaConnectionError, KafkaError
from sqlalchemy.exc import DBAPIError, OperationalError

T = TypeVar("T")


class CliError(Exception):
    """A failure the operator can act on; its text is the whole message."""


def fail(message: str) -> typer.Exit:
    typer.echo(f"asn: {message}", err=True)
    return typer.Exit(1)


def run(coro: Coroutine[Any, Any, T], *, bootstrap: str | None = None) -> T:
    """Run one command's coroutine; known failures become one line on stderr and exit 1."""
    try:
        return asyncio.run(coro)
    except CliError as exc:
        raise fail(str(exc)) from None
    except KafkaConnectionError:
        where = f" at {bootstrap}" if bootstrap else ""
        raise fail(
            f"cannot reach Kafka{where} (is the stack up? `make up`, or give --bootstrap)"
        ) from None
    except KafkaError as exc:
        raise fail(f"Kafka refused: {exc}") from None
    except (OperationalError, DBAPIError, OSError) as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise fail(
            f"database: {first} (is the stack up? `make up`, or give --database-url)"
        ) from None
