"""The read-model projector as a process of its own: `python -m gateway.projector`.

The same consumers the gateway runs inline (ASN_PROJECTION=inline), without the HTTP
API. Run beside a gateway with ASN_PROJECTION=separate, projecting never waits behind
forwarded commands and reads on one event loop (bench/gateway: commit-to-visible p99 at
200 check-ins/s through the gateway). It serves only /health and /metrics, on its own
port, and shares the gateway's database, settings and consumer group.
"""

from __future__ import annotations

from fastapi import FastAPI
from servicekit.runtime import create_service_app, serve

from gateway.main import migrate
from gateway.projections import consumer_specs, purge_applied_events
from gateway.settings import GatewaySettings


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    app = create_service_app(
        settings,
        title="gateway-projector",
        description="Membangun read model gateway dari aliran event (tanpa API).",
        routers=[],
        consumers=consumer_specs(settings),
    )
    purge_applied_events(app.state.runtime, settings)
    return app


def run() -> None:
    settings = GatewaySettings()
    migrate(settings)
    serve("gateway.projector:create_app", settings)
