"""JSON Schemas of the envelope and of every payload, as committed in `schemas/json/`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from asn_schemas.envelope import ENVELOPE_SCHEMA_URI, Envelope, dataschema_uri
from asn_schemas.registry import EVENT_TYPES

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_FILE = "envelope.json"

# The package is used from the workspace (src layout), where schemas/json sits beside src/.
DEFAULT_JSON_DIR = Path(__file__).resolve().parents[2] / "json"


def _with_identity(schema: dict[str, Any], uri: str) -> dict[str, Any]:
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": uri, **schema}


def model_json_schema(model: type[BaseModel], uri: str) -> dict[str, Any]:
    return _with_identity(model.model_json_schema(mode="validation"), uri)


def payload_json_schema(event_type: str) -> dict[str, Any]:
    """The schema of `data` for a registered type (KeyError for an unknown one)."""
    return model_json_schema(EVENT_TYPES[event_type], dataschema_uri(event_type))


def envelope_json_schema() -> dict[str, Any]:
    return model_json_schema(Envelope, ENVELOPE_SCHEMA_URI)


def schema_file_name(event_type: str) -> str:
    return f"{event_type}.json"


def expected_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every file that belongs in `schemas/json/`."""
    files = {ENVELOPE_FILE: envelope_json_schema()}
    for event_type in sorted(EVENT_TYPES):
        files[schema_file_name(event_type)] = payload_json_schema(event_type)
    return files


def render(schema: dict[str, Any]) -> str:
    """Stable text, so that a diff in review shows only real changes."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
