"""The portal's side of the drill's and the soak's suite: the gateway, with tokens minted
from the dev key (one per person and roles), and set-up steps repeated until the suite's
replicas have caught up with them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from devstack.services import DEV_KEYS_DIR
from drill_suite import DrillSuite
from servicekit.devkeys import ensure_dev_keys, mint_token
from suite_commands import BKPSDM

SETTLE_TIMEOUT_S = 300.0


class GatewayClient:
    def __init__(
        self, suite: DrillSuite, *, timeout: float, limits: httpx.Limits | None = None
    ) -> None:
        self.http = httpx.AsyncClient(
            base_url=suite.gateway_url, timeout=timeout, limits=limits or httpx.Limits()
        )
        self._private = ensure_dev_keys(DEV_KEYS_DIR)[0].read_bytes()
        self._tokens: dict[tuple[str, tuple[str, ...]], str] = {}

    def auth(self, nip: str, *roles: str) -> dict[str, str]:
        """A bearer header for `nip` with `roles` (an ordinary ASN's when none are given)."""
        key = (nip, roles or ("pegawai",))
        token = self._tokens.get(key)
        if token is None:
            token = mint_token(self._private, sub=nip, roles=key[1], unit_id=None)
            self._tokens[key] = token
        return {"Authorization": f"Bearer {token}"}

    async def until(self, method: str, path: str, ok: set[int], body: Any = None) -> None:
        """A set-up step as BKPSDM, repeated until the suite answers it with one of `ok`."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while True:
            response = await self.http.request(
                method, path, json=body, headers=self.auth(BKPSDM, "bkpsdm")
            )
            if response.status_code in ok:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
            await asyncio.sleep(0.3)

    async def aclose(self) -> None:
        await self.http.aclose()
