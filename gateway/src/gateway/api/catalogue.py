"""`GET /events`: the event catalogue page, and `GET /events/asyncapi.json`: the AsyncAPI
document it is rendered from.

Both are the files `make schemas` commits inside the installed `asn_schemas` package, so
the gateway shows the contracts it was built with. Public like `/docs`: they describe
the stream, and their examples are made-up people.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(tags=["events"])
# A new deployment brings a new page: ask again rather than cache for long.
REVALIDATE = "no-cache"


@cache
def _catalogue_file(name: str) -> bytes:
    return (files("asn_schemas") / "catalogue" / name).read_bytes()


@router.get("/events", include_in_schema=False)
async def event_catalogue() -> Response:
    """The human-readable catalogue of every event type."""
    return Response(
        _catalogue_file("events.html"),
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": REVALIDATE},
    )


@router.get("/events/asyncapi.json", include_in_schema=False)
async def asyncapi_document() -> Response:
    """The AsyncAPI 3.0 document of every topic and event type."""
    return Response(
        _catalogue_file("asyncapi.json"),
        media_type="application/json",
        headers={"Cache-Control": REVALIDATE},
    )
