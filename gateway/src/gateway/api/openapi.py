"""`GET /api/openapi.json`: one OpenAPI document for everything under `/api` as the portal
sees it — the gateway's own views and `/auth`, and each service's routes that the gateway
forwards, under `/api`. The portal's TypeScript types are generated from it.

The services' documents are fetched from the running services (the gateway imports none of
them), so the document says what is deployed, not what the gateway was built with.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import aiohttp
from fastapi import APIRouter, Request

from gateway.api.proxy import unavailable
from gateway.state import State
from gateway.upstream import owner

router = APIRouter(tags=["views"])
_REF = "#/components/schemas/"


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                out[key] = _REF + names.get(value[len(_REF) :], value[len(_REF) :])
            else:
                out[key] = _rename_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, names) for v in node]
    return node


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document plus the services' forwarded paths under `/api`.

    A service's schema keeps its name unless another document defines a different schema
    by that name; then it becomes `<service>.<Name>` (references rewritten), so two
    services' `Body` never overwrite each other.
    """
    merged = copy.deepcopy(own)
    merged["info"] = {**merged.get("info", {}), "title": "Portal ASN API (gateway)"}
    paths: dict[str, Any] = {
        path: item
        for path, item in merged.get("paths", {}).items()
        if path.startswith(("/api/", "/auth/"))
    }
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    for service in sorted(services):
        document = services[service]
        theirs: dict[str, Any] = document.get("components", {}).get("schemas", {})
        names = {
            name: name if schemas.get(name, schema) == schema else f"{service}.{name}"
            for name, schema in theirs.items()
        }
        for name, schema in theirs.items():
            schemas[names[name]] = _rename_refs(schema, names)
        for path, item in document.get("paths", {}).items():
            # `rest` as the proxy passes it (no leading slash), or a sub-resource that
            # another service owns (kinerja's under /units) would not be found.
            resource, _, rest = path.lstrip("/").partition("/")
            if owner(resource, rest) != service:
                continue  # health, metrics, or a resource the gateway does not forward
            paths["/api" + path] = _rename_refs(item, names)
    merged["paths"] = dict(sorted(paths.items()))
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged


async def _fetch(state: State, service: str) -> dict[str, Any]:
    url = f"{state.upstreams.urls[service]}/openapi.json"
    try:
        async with state.upstreams.client.get(url) as response:
            if response.status != 200:
                raise unavailable(service, f"{service} menjawab {response.status}.")
            body: dict[str, Any] = json.loads(await response.read())
            return body
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise unavailable(service, f"{service} tidak dapat dihubungi.") from exc


@router.get("/api/openapi.json", include_in_schema=False)
async def openapi(request: Request, state: State) -> dict[str, Any]:
    """The merged document; a service that is down makes it a 503 naming that service
    (half a document would generate types that silently lack its routes)."""
    services = sorted(state.upstreams.state)  # every service the routing table names
    documents = await asyncio.gather(*(_fetch(state, s) for s in services))
    return merge(request.app.openapi(), dict(zip(services, documents, strict=True)))
