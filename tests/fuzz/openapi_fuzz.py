"""Property-based fuzzing of an app's OpenAPI with schemathesis: any 5xx, or any answer
that is not what its operation declares, fails the test.

The app is the one a test fixture started (its lifespan, database and Kafka are real and
already running). An in-process uvicorn serves it over real HTTP on a free port, so the
requests go through the parsing a client's would (percent-encoded paths, raw headers), and
schemathesis's own command line (`st run`) runs against it in a subprocess while the event
loop keeps serving: its phases (examples, coverage of boundary values, fuzzing) with two checks:
`not_a_server_error`, and `response_schema_conformance`, which holds every answer to the model
its operation declares for that status (problem+json errors are not declared as JSON answers,
so only the declared successes are held to a schema) — what proves the declarations true.

`ASN_FUZZ_EXAMPLES` sets the examples per operation (default small, for `make test`;
`make fuzz` raises it). The seed is fixed, so a red run is reproducible.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

DEFAULT_EXAMPLES = 10
SEED = 10


@dataclass(frozen=True)
class FuzzRun:
    returncode: int
    output: str

    @property
    def summary(self) -> str:
        """schemathesis's closing lines (the failures and the counts), for assertion messages."""
        return self.output[-12000:]


def examples_per_operation() -> int:
    return int(os.environ.get("ASN_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))


async def fuzz_app(
    app: FastAPI,
    token: str,
    *,
    exclude_paths: Iterable[str] = (),
    max_examples: int | None = None,
) -> FuzzRun:
    """Every operation in the app's OpenAPI but `exclude_paths`, valid and invalid data, as the
    holder of `token`."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        return await _schemathesis(
            f"http://127.0.0.1:{port}/openapi.json",
            token,
            list(exclude_paths),
            max_examples or examples_per_operation(),
        )
    finally:
        server.should_exit = True
        await serving


async def _schemathesis(url: str, token: str, exclude: list[str], examples: int) -> FuzzRun:
    st = Path(sys.executable).with_name("st")
    args = [
        str(st),
        "run",
        url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        str(examples),
        "--seed",
        str(SEED),
        "--phases",
        "examples,coverage,fuzzing",
        "--suppress-health-check",
        "all",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--warnings",
        "off",
        "--no-color",
    ]
    for path in exclude:
        args += ["--exclude-path", path]
    # A folder of its own: schemathesis keeps a cache of past crashes in its working folder
    # and replays them first, which would make one run depend on the one before.
    workdir = tempfile.mkdtemp(prefix="schemathesis-")
    try:
        process = await asyncio.create_subprocess_exec(
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, "COLUMNS": "160"},
        )
        output, _ = await process.communicate()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert process.returncode is not None
    return FuzzRun(process.returncode, output.decode(errors="replace"))
