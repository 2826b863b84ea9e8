"""The routing table, one pooled HTTP client to the services, and who is up.

`/api/<resource>/…` goes to the service that owns `<resource>`, at `/<resource>/…` there.
Later services add their resources to ROUTES. A service that owns a sub-resource of another
service's resource (kinerja's `/units/{code}/organisation-predikat/…` beside pegawai's
`/units`) is listed in SUB_ROUTES: `/api/<resource>/<id>/<sub>…` goes to
`SUB_ROUTES[(resource, sub)]` when listed, else to `ROUTES[resource]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import aiohttp
from prometheus_client import Gauge
from servicekit.logging import get_logger

from gateway.settings import GatewaySettings

log = get_logger(__name__)

ROUTES: dict[str, str] = {
    "units": "pegawai",
    "employees": "pegawai",
    "reports": "pegawai",
    "attendance": "presensi",
    "leave-requests": "presensi",
    "leave-balances": "presensi",
    "holidays": "presensi",
    "schedules": "presensi",
    "shift-types": "presensi",
    "rosters": "presensi",
    "attendance-corrections": "presensi",
    "flexible-work": "presensi",
    "devices": "presensi",
    "skp": "kinerja",
    "appraisals": "kinerja",
    "feedback": "kinerja",
    "distribution": "kinerja",
    "submissions": "aspirasi",
    "forums": "aspirasi",
    "signals": "aspirasi",
    "institutions": "pelatihan",
    "programs": "pelatihan",
    "enrollments": "pelatihan",
    "learning-records": "pelatihan",
    "jp": "pelatihan",
    "training-budgets": "pelatihan",
    "training-needs": "pelatihan",
    "recommendations": "pelatihan",
}
PUBLIC_SERVICE = "aspirasi"
"""`/api/public/…` (citizens, no token) goes to this service's `/public/…`."""
SUB_ROUTES: dict[tuple[str, str], str] = {
    ("units", "organisation-predikat"): "kinerja",
}
READ_MODEL_SOURCES = ("pegawai", "presensi", "kinerja", "pelatihan")
"""Services whose events a profile holds: it is stale while one of them is down. Views that
read aspirasi's tickets too (inbox, unit dashboard) name their sources themselves."""


def owner(resource: str, rest: str) -> str | None:
    """The service that answers `/<resource>/<rest>`, or None for an unknown resource."""
    parts = rest.split("/", 2)
    if len(parts) >= 2 and (resource, parts[1]) in SUB_ROUTES:
        return SUB_ROUTES[(resource, parts[1])]
    return ROUTES.get(resource)


UPSTREAM_KEEPALIVE_S = 4.0
"""Idle pooled connections close after this: under the services' (uvicorn's) 5 s."""

UPSTREAM_UP = Gauge("gateway_upstream_up", "1 when the service answers", ["service"])


@dataclass
class ServiceState:
    up: bool | None = None  # None: not asked yet
    since: float = field(default_factory=time.time)
    error: str | None = None


class Upstreams:
    """The services behind the gateway: base URLs, a shared client, and their health."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.urls = {name: url.rstrip("/") for name, url in settings.service_urls.items()}
        self._settings = settings
        services = set(ROUTES.values()) | set(SUB_ROUTES.values())
        self.state = {name: ServiceState() for name in sorted(services)}
        self._client: aiohttp.ClientSession | None = None
        self._poller: asyncio.Task[None] | None = None

    @property
    def client(self) -> aiohttp.ClientSession:
        if self._client is None:
            raise RuntimeError("Upstreams.start() was not called")
        return self._client

    async def start(self) -> None:
        # aiohttp rather than httpx: httpx/httpcore spent ~1.3 ms of CPU per forwarded call
        # (anyio stream layers, h11, a readability poll of every pooled connection on every
        # request), about half the gateway's whole cost of a check-in; aiohttp (C parser,
        # plain asyncio transport) a small fraction of that. bench/gateway: 2.7 → 1.0 ms.
        s = self._settings
        self._client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=s.upstream_max_connections,
                # Below uvicorn's 5 s keep-alive, so an idle connection is dropped here before
                # the service closes it under a request being sent (a POST is not retried).
                keepalive_timeout=UPSTREAM_KEEPALIVE_S,
            ),
            # `total` bounds the whole exchange, body included; `sock_connect` the TCP connect.
            timeout=aiohttp.ClientTimeout(
                total=s.upstream_timeout_s, sock_connect=s.upstream_connect_timeout_s
            ),
            # Callers' cookies must never be kept and replayed for someone else.
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
        )
        await self.poll_once()
        self._poller = asyncio.create_task(self._poll_forever())

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._client is not None:
            await self._client.close()
            self._client = None

    def mark(self, service: str, up: bool, error: str | None = None) -> None:
        state = self.state.setdefault(service, ServiceState())
        if state.up != up:
            if state.up is not None:
                log.info("upstream changed", service=service, up=up, error=error)
            state.up, state.since = up, time.time()
        state.error = error
        UPSTREAM_UP.labels(service).set(1 if up else 0)

    def down(self) -> list[str]:
        return sorted(name for name, s in self.state.items() if s.up is False)

    async def poll_once(self) -> None:
        probe_timeout = aiohttp.ClientTimeout(total=self._settings.upstream_connect_timeout_s)

        async def probe(name: str) -> None:
            try:
                async with self.client.get(
                    f"{self.urls[name]}/health/live", timeout=probe_timeout
                ) as response:
                    await response.read()
                self.mark(name, response.status == 200, None)
            except (aiohttp.ClientError, TimeoutError) as exc:
                self.mark(name, False, type(exc).__name__)

        await asyncio.gather(*(probe(name) for name in self.state))

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.health_poll_interval_s)
            try:
                await self.poll_once()
            except Exception as exc:  # never let the poller die
                log.warning("upstream poll failed", error=repr(exc))
