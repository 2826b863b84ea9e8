"""`devstack start|stop|status|fetch`, configured by ASN_* environment variables."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from devstack.config import StackConfig
from devstack.jars import fetch_jars
from devstack.processes import StackError
from devstack.stack import Stack


def _print_status(stack: Stack) -> None:
    status = stack.status()
    kafka, pg = status["kafka"], status["postgres"]
    config = stack.config
    print(f"state dir  {status['state_dir']}")
    for name, info, where, external in (
        ("kafka", kafka, kafka["bootstrap"], config.external_kafka),
        ("postgres", pg, f"127.0.0.1:{pg['port']}", config.external_postgres),
    ):
        if external is not None:
            print(f"{name:<10} {'external':<22} {_without_password(external)}")
            continue
        state = f"running (pid {info['pid']})" if info["running"] else "stopped"
        print(f"{name:<10} {state:<22} {where:<17} log {info['log']}")


def _without_password(url: str) -> str:
    scheme, sep, rest = url.rpartition("://")
    userinfo, at, host = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}{sep}{userinfo.split(':')[0]}:***@{host}"


def _run(command: str, as_json: bool) -> int:
    config = StackConfig.from_env()
    if command == "fetch":
        started = time.monotonic()
        libs = fetch_jars(config.cache_dir)
        print(f"Kafka jars in {libs} ({time.monotonic() - started:.1f} s)")
        return 0
    stack = Stack(config)
    if command == "start":
        stack.start()
        _print_status(stack)
        print(f"bootstrap  {config.kafka_bootstrap}")
        if config.external_postgres is None:
            for db in config.databases:
                print(f"dsn        {stack.postgres.dsn(db)}")
    elif command == "stop":
        stack.stop()
        print("stopped")
    elif as_json:
        print(json.dumps(stack.status(), indent=2))
    else:
        _print_status(stack)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="devstack", description="Run Kafka and PostgreSQL as local processes."
    )
    parser.add_argument("command", choices=["start", "stop", "status", "fetch"])
    parser.add_argument("--json", action="store_true", help="status as JSON")
    args = parser.parse_args(argv)
    try:
        return _run(args.command, args.json)
    except StackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
