"""Replay a consumer group's dead letters to their original topics, once the cause is fixed.

uv run python -m servicekit.replay --group pegawai [--limit 10] [--dry-run]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Sequence

from servicekit.deadletter import dlq_topic, replay_dead_letters


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="servicekit.replay", description=__doc__.split("\n")[0])
    parser.add_argument("--group", required=True, help="the consumer group whose DLQ to replay")
    parser.add_argument(
        "--bootstrap", default=os.environ.get("ASN_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    )
    parser.add_argument("--limit", type=int, default=None, help="replay at most this many")
    parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
    args = parser.parse_args(argv)
    result = asyncio.run(
        replay_dead_letters(args.bootstrap, args.group, limit=args.limit, dry_run=args.dry_run)
    )
    verb = "would replay" if args.dry_run else "replayed"
    print(f"{verb} {result.replayed} dead letter(s) from {dlq_topic(args.group)}")
    for topic, count in sorted(result.topics.items()):
        print(f"  {count:>6} → {topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
