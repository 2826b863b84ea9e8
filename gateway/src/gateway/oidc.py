"""The identity provider's OpenID Connect discovery document, fetched when first needed.

Fetched lazily and kept for a while: the gateway starts and serves while the IdP is
down, and only the sign-in page's `GET /auth/config` says so (a 503 the portal shows).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError
from servicekit.errors import ProblemError

WELL_KNOWN = "/.well-known/openid-configuration"


class ProviderMetadata(BaseModel):
    """What the portal needs of the discovery document (OpenID Connect Discovery 1.0 §3)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None = None
    response_types_supported: list[str] = []
    code_challenge_methods_supported: list[str] | None = None


def _unavailable(detail: str) -> ProblemError:
    return ProblemError(503, "idp_unavailable", "Penyedia identitas tidak dapat dihubungi", detail)


def _misconfigured(detail: str) -> ProblemError:
    return ProblemError(502, "idp_misconfigured", "Penyedia identitas tidak sesuai", detail)


def check_metadata(issuer: str, document: Any) -> ProviderMetadata:
    """The document, refused when it cannot serve the portal's authorization code + PKCE."""
    try:
        metadata = ProviderMetadata.model_validate(document)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise _misconfigured(f"Dokumen discovery tidak lengkap: {fields}.") from exc
    # Discovery §4.3: the document must name the issuer it was fetched for, or tokens
    # would be checked against one provider and obtained from another.
    if metadata.issuer.rstrip("/") != issuer.rstrip("/"):
        raise _misconfigured(
            f"Dokumen discovery menyebut issuer {metadata.issuer}, bukan {issuer}."
        )
    if "code" not in metadata.response_types_supported:
        raise _misconfigured("Penyedia identitas tidak mendukung authorization code.")
    methods = metadata.code_challenge_methods_supported
    if methods is not None and "S256" not in methods:
        raise _misconfigured("Penyedia identitas tidak mendukung PKCE S256.")
    return metadata


class Discovery:
    """`<issuer>/.well-known/openid-configuration`, kept `ttl_s` after a good fetch."""

    def __init__(self, issuer: str, *, ttl_s: float, timeout_s: float = 5.0) -> None:
        self.issuer = issuer
        self.url = issuer.rstrip("/") + WELL_KNOWN
        self._ttl_s = ttl_s
        self._timeout_s = timeout_s
        self._cached: tuple[ProviderMetadata, float] | None = None
        self._lock = asyncio.Lock()

    async def metadata(self) -> ProviderMetadata:
        async with self._lock:  # one fetch for a burst of sign-in pages
            if self._cached is not None and time.monotonic() < self._cached[1]:
                return self._cached[0]
            metadata = check_metadata(self.issuer, await self._fetch())
            self._cached = (metadata, time.monotonic() + self._ttl_s)
            return metadata

    async def _fetch(self) -> Any:
        try:
            async with httpx.AsyncClient(timeout=self._timeout_s) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise _unavailable(f"{self.url}: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise _unavailable(f"{self.url} menjawab {response.status_code}.")
        try:
            return response.json()
        except ValueError as exc:
            raise _misconfigured(f"{self.url} tidak menjawab dengan JSON.") from exc
