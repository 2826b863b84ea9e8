"""The AsyncAPI 3.0 document of every topic and event type, built from the models.

Committed as `schemas/src/asn_schemas/catalogue/asyncapi.json` by `make schemas` (a test
fails when it is stale) and served by the gateway beside the catalogue page. It is
self-contained: the envelope's and the payloads' JSON Schemas (the ones in `schemas/json/`)
are inlined under `components.schemas`, their `$defs` hoisted there, so a reader needs
no other file.

Each message is one event type on its producer's topic: the Kafka value is the whole
CloudEvents envelope (structured mode), the header `content-type` says so, and the key
is the envelope's `subject`. Who sends and who receives is said twice, as AsyncAPI
operations (one `send` per producer, one `receive` per consumer group and topic) and as
`x-producer` / `x-consumers` on each message for readers that skip operations.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from asn_schemas.base import EventPayload
from asn_schemas.catalogue_page import render_page
from asn_schemas.envelope import CONTENT_TYPE, dataschema_uri, new_event, source_for
from asn_schemas.examples import example_payloads
from asn_schemas.jsonschema import envelope_json_schema, payload_json_schema
from asn_schemas.registry import EVENT_TYPES
from asn_schemas.streams import (
    CONSUMER_PURPOSES,
    CONSUMERS,
    PRODUCERS,
    consumers_of,
    event_key,
    key_spec,
    meaning_of,
    producer_of,
    topic_for,
    topic_of,
)

ASYNCAPI_VERSION: Final = "3.0.0"
DOCUMENT_VERSION: Final = "1.0.0"
KAFKA_BINDING_VERSION: Final = "0.5.0"
_SCHEMAS = "#/components/schemas/"
_DEFS = "#/$defs/"

# Examples must be the same at every generation, or the freshness check could never pass.
EXAMPLE_TIME: Final = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)
EXAMPLE_ACTOR: Final = "197001011995031002"
EXAMPLE_TRACEPARENT: Final = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

INFO_DESCRIPTION: Final = """\
The event stream of the Sawahlunto ASN Suite, the personnel system of Kota Sawahlunto's
civil servants (PNS and PPPK). Each service publishes what happened in its domain to its
own topic, `<service>.events`, through a transactional outbox; every other service, the
gateway's read model and analytics consumers build what they need from these events.

* Every message is a CloudEvents 1.0 event in structured mode: the Kafka value is the
  whole JSON event, the header `content-type` is `application/cloudevents+json;
  charset=UTF-8`, and the Kafka key equals the event's `subject` (the aggregate's id: the
  NIP for anything about one employee, so that person's events stay in order).
* `type` is `<service>.<entity>.<past-tense fact>.v<N>`. Within a version changes are
  additive and optional; a breaking change is a new version, published beside the old.
  Read tolerantly: ignore fields and types you do not know (the `asn_schemas` package's
  consumer SDK does).
* Topics are kept for ever: a new consumer group reads them from the beginning.
* Events never carry NIK, address, phone or medical detail.
"""


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS):
                name = value[len(_DEFS) :]
                out[key] = _SCHEMAS + renames.get(name, name)
            else:
                out[key] = _rewrite(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    return node


def _inline(schema: dict[str, Any], defs: dict[str, Any], owner: str) -> dict[str, Any]:
    """`schema` without `$schema`/`$id`, its `$defs` moved into `defs` (refs rewritten).

    A definition keeps its name when it is the same everywhere it appears (e.g. the
    employee snapshot); a different one under a taken name becomes `<owner>.<Name>`.
    """
    own: dict[str, Any] = schema.get("$defs", {})
    same = {name: name for name in own}
    renames = {
        name: name if defs.get(name, plain) == plain else f"{owner}.{name}"
        for name, plain in ((n, _rewrite(d, same)) for n, d in own.items())
    }
    for name, definition in own.items():
        defs[renames[name]] = _rewrite(definition, renames)
    body = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs")}
    result: dict[str, Any] = _rewrite(body, renames)
    return result


def example_envelope(payload: EventPayload) -> dict[str, Any]:
    """The example event of a payload as a consumer reads it from the topic."""
    event_type = payload.event_type
    envelope = new_event(
        payload,
        subject=event_key(payload),
        actor=EXAMPLE_ACTOR,
        source=source_for(payload.service()),
        traceparent=EXAMPLE_TRACEPARENT,
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, dataschema_uri(event_type)),
        time=EXAMPLE_TIME,
    )
    document: dict[str, Any] = envelope.model_dump(mode="json", exclude={"sequence"})
    return document


def _title(event_type: str) -> str:
    service, entity, fact, version = event_type.split(".")
    return f"{service}: {entity.replace('_', ' ')} {fact.replace('_', ' ')} ({version})"


def _message(event_type: str, example: EventPayload) -> dict[str, Any]:
    key = key_spec(event_type)
    consumers = consumers_of(event_type)
    producer = producer_of(event_type)
    meaning = meaning_of(event_type)
    read_by = ", ".join(consumers) if consumers else "no service of the suite (analytics only)"
    return {
        "name": event_type,
        "title": _title(event_type),
        "summary": meaning,
        "description": (
            f"{meaning}\n\nProduced by **{producer}** on `{topic_of(event_type)}`; "
            f"consumed by {read_by}. Kafka key and `subject`: {key.meaning} "
            f"(`{key.template}` of `data`). The payload (`data`) follows "
            f"`{dataschema_uri(event_type)}`, committed as `schemas/json/{event_type}.json`."
        ),
        "contentType": CONTENT_TYPE,
        "headers": {"$ref": _SCHEMAS + "KafkaHeaders"},
        "payload": {
            "allOf": [
                {"$ref": _SCHEMAS + "Envelope"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event_type},
                        "source": {"const": source_for(producer)},
                        "dataschema": {"const": dataschema_uri(event_type)},
                        "subject": {"type": "string", "description": key.meaning},
                        "data": {"$ref": _SCHEMAS + event_type},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"{key.meaning} (`{key.template}`)"},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "examples": [
            {
                "name": "example",
                "summary": f"One {event_type} event as it is on the topic.",
                "headers": {"content-type": CONTENT_TYPE},
                "payload": example_envelope(example),
            }
        ],
        "x-producer": producer,
        "x-consumers": consumers,
        "x-key": key.template,
        "x-topic": topic_of(event_type),
    }


def _channel(service: str, types: list[str]) -> dict[str, Any]:
    return {
        "address": topic_for(service),
        "title": topic_for(service),
        "description": (
            f"Everything the {service} service publishes, one partition order per key. "
            "Kept for ever (retention.ms=-1, retention.bytes=-1)."
        ),
        "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in types},
        "bindings": {
            "kafka": {
                "topicConfiguration": {"retention.ms": -1, "retention.bytes": -1},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _operations(by_topic: dict[str, list[str]]) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for service in PRODUCERS:
        topic = topic_for(service)
        operations[f"{service}.publishes"] = {
            "action": "send",
            "title": f"{service} publishes",
            "summary": f"{service} publishes its events through its outbox relay.",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [
                {"$ref": f"#/channels/{topic}/messages/{t}"} for t in by_topic.get(topic, [])
            ],
        }
    for group, types in CONSUMERS.items():
        for topic in sorted({topic_of(t) for t in types}):
            operations[f"{group}.consumes.{topic}"] = {
                "action": "receive",
                "title": f"{group} consumes {topic}",
                "summary": f"Consumer group `{group}`: {CONSUMER_PURPOSES[group]}.",
                "channel": {"$ref": f"#/channels/{topic}"},
                "messages": [
                    {"$ref": f"#/channels/{topic}/messages/{t}"}
                    for t in by_topic[topic]
                    if t in types
                ],
                "bindings": {"kafka": {"groupId": {"type": "string", "const": group}}},
            }
    return operations


def build_document() -> dict[str, Any]:
    """The whole AsyncAPI document; the same input always gives the same document."""
    examples = example_payloads()
    defs: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "KafkaHeaders": {
            "type": "object",
            "description": "Kafka record headers of every event (structured mode).",
            "properties": {"content-type": {"type": "string", "const": CONTENT_TYPE}},
            "required": ["content-type"],
        },
        "Envelope": _inline(envelope_json_schema(), defs, "Envelope"),
    }
    types = sorted(EVENT_TYPES)
    for event_type in types:
        schemas[event_type] = _inline(payload_json_schema(event_type), defs, event_type)
    by_topic: dict[str, list[str]] = {}
    for event_type in types:
        by_topic.setdefault(topic_of(event_type), []).append(event_type)
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Sawahlunto ASN Suite: event stream",
            "version": DOCUMENT_VERSION,
            "description": INFO_DESCRIPTION,
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "local": {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "The broker `make run` starts (ASN_KAFKA_PORT moves it).",
            }
        },
        "channels": {
            topic_for(service): _channel(service, by_topic.get(topic_for(service), []))
            for service in PRODUCERS
        },
        "operations": _operations(by_topic),
        "components": {
            "schemas": {**schemas, **dict(sorted(defs.items()))},
            "messages": {t: _message(t, examples[t]) for t in types},
        },
    }


CATALOGUE_DIR: Final = Path(__file__).resolve().parent / "catalogue"
"""Package data: the committed AsyncAPI document and catalogue page (the gateway serves
them from the installed package)."""
ASYNCAPI_FILE: Final = "asyncapi.json"
PAGE_FILE: Final = "events.html"


def catalogue_files() -> dict[str, str]:
    """File name → text of everything that belongs in `CATALOGUE_DIR`."""
    document = build_document()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return {ASYNCAPI_FILE: text, PAGE_FILE: render_page(document)}
