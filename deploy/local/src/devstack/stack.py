"""Kafka and PostgreSQL together: what the Makefile and the test fixtures drive."""

from __future__ import annotations

import contextlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

from devstack.config import StackConfig
from devstack.kafka import Kafka
from devstack.postgres import Postgres


class Stack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config if config is not None else StackConfig.from_env()
        self.kafka = Kafka(self.config)
        self.postgres = Postgres(self.config)

    def start(self) -> None:
        """Start what isn't running, wait until both answer, create databases and topics.

        Both start side by side: the broker's JVM and initdb each take seconds. A part the
        config names as external (another machine's broker or server) is left alone.
        """
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        parts = self._local_parts()
        was_running = [part.is_running() for part in parts]
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="devstack") as pool:
            futures = [pool.submit(part.start) for part in parts]
        errors = [e for e in (f.exception() for f in futures) if e is not None]
        if errors:
            # A caller whose start() failed never calls stop(): don't leave a half stack.
            for part, running in zip(parts, was_running, strict=True):
                if not running:
                    with contextlib.suppress(Exception):
                        part.stop()
            raise errors[0]

    def _local_parts(self) -> tuple[Postgres | Kafka, ...]:
        parts: list[Postgres | Kafka] = []
        if self.config.external_postgres is None:
            parts.append(self.postgres)
        if self.config.external_kafka is None:
            parts.append(self.kafka)
        return tuple(parts)

    def stop(self) -> None:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="devstack") as pool:
            futures = [pool.submit(part.stop) for part in self._local_parts()]
        for future in futures:
            error = future.exception()
            if error is not None:
                raise error

    def destroy(self) -> None:
        """Stop, then delete the state dir and the cluster wherever it lives."""
        self.stop()
        shutil.rmtree(self.postgres.real_root(), ignore_errors=True)
        shutil.rmtree(self.config.state_dir, ignore_errors=True)

    def status(self) -> dict[str, Any]:
        return {
            "state_dir": str(self.config.state_dir),
            "kafka": self.kafka.status(),
            "postgres": self.postgres.status(),
        }

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
