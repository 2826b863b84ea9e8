"""Running `asn` as an operator does: a process, its output and its exit code."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys


async def asn(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ASN_")}
    environment.update(env or {})
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "asn_cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=240,
        check=False,
    )
