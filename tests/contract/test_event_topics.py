"""The catalogue's topics are the ones the local stack creates, with the same retention."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from asn_schemas.asyncapi import build_document
from asn_schemas.streams import PRODUCERS, topic_for

TOPICS_TOML = Path(__file__).resolve().parents[2] / "deploy" / "local" / "topics.toml"


def test_the_stack_creates_every_topic_of_the_catalogue_and_no_other_event_topic() -> None:
    config = tomllib.loads(TOPICS_TOML.read_text(encoding="utf-8"))
    assert set(config["topics"]) == {topic_for(service) for service in PRODUCERS}
    assert set(build_document()["channels"]) == set(config["topics"])


def test_the_documented_retention_is_the_stacks() -> None:
    config = tomllib.loads(TOPICS_TOML.read_text(encoding="utf-8"))
    for topic, channel in build_document()["channels"].items():
        stack: dict[str, object] = {}
        for pattern, values in config["configs"].items():
            if fnmatch(topic, pattern):
                stack.update(values)
        documented = channel["bindings"]["kafka"]["topicConfiguration"]
        assert documented == {k: stack[k] for k in documented}
