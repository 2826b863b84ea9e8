"""The ten-line consumer in schemas/README.md runs, as written, against the real broker."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import re
import sys
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from asn_schemas import CONTENT_TYPE, EventPayload, new_event
from asn_schemas.envelope import source_for
from asn_schemas.streams import event_key

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- consumer-example"


def readme_consumer() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    match = re.search(r"```python\n(.*?)```", after, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_example_is_ten_statements_besides_its_imports() -> None:
    tree = ast.parse(readme_consumer())
    statements = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt) and not isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert len(statements) <= 10


def _record(payload: EventPayload) -> tuple[bytes, bytes]:
    key = event_key(payload)
    event = new_event(
        payload, subject=key, actor="system:test", source=source_for(payload.service())
    )
    return key.encode(), event.to_json_bytes()


async def test_the_readme_consumer_prints_promotions_and_skips_what_it_does_not_know(
    kafka_bootstrap: str,
    new_topic,
    samples: dict[str, EventPayload],
    tmp_path: Path,
) -> None:
    topic = await new_topic("readme", partitions=1)
    unknown = json.dumps(
        {"specversion": "1.0", "id": "x-1", "source": "/elsewhere", "type": "other.thing.done.v9"}
    ).encode()
    records = [
        _record(samples["pegawai.employee.registered.v1"]),
        (b"x-1", unknown),
        _record(samples["pegawai.employee.promoted.v1"]),
    ]
    async with AIOKafkaProducer(bootstrap_servers=kafka_bootstrap) as producer:
        for key, value in records:
            headers = [("content-type", CONTENT_TYPE.encode())]
            await producer.send_and_wait(topic, value, key=key, headers=headers)

    script = tmp_path / "consumer.py"
    script.write_text(readme_consumer(), encoding="utf-8")
    env = {
        **os.environ,
        "ASN_TOPIC": topic,
        "ASN_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "PYTHONUNBUFFERED": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        # The generous limit only guards against a hang; the line comes when it comes.
        line = await asyncio.wait_for(process.stdout.readline(), timeout=240)
        assert line.decode().strip() == "198503152010011001 III/b -> III/c"
        assert process.returncode is None  # still following the topic, nothing crashed
    finally:
        process.terminate()
        _, stderr = await process.communicate()
    assert b"Traceback" not in stderr
