"""Settings of the gateway (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from servicekit.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    port: int = Field(default=8000, ge=1, le=65535)
    relay_enabled: bool = Field(default=False, description="The gateway publishes no events.")

    # Where each service answers (DESIGN's ports); devstack passes ASN_<SERVICE>_URL.
    pegawai_url: str = "http://127.0.0.1:8001"
    kinerja_url: str = "http://127.0.0.1:8002"
    pelatihan_url: str = "http://127.0.0.1:8003"
    presensi_url: str = "http://127.0.0.1:8004"
    aspirasi_url: str = "http://127.0.0.1:8005"
    upstream_connect_timeout_s: float = Field(default=2.0, gt=0)
    upstream_timeout_s: float = Field(default=10.0, gt=0, description="Whole-response limit.")
    upstream_max_connections: int = Field(default=200, ge=1)
    health_poll_interval_s: float = Field(default=2.0, gt=0)

    # The read model's sources; tests give each run its own topics and group.
    pegawai_topic: str = "pegawai.events"
    presensi_topic: str = "presensi.events"
    kinerja_topic: str = "kinerja.events"
    aspirasi_topic: str = "aspirasi.events"
    pelatihan_topic: str = "pelatihan.events"
    consumer_group: str = "gateway"
    projection: Literal["inline", "separate"] = Field(
        default="inline",
        description="inline: this process also builds the read model; separate: "
        "`python -m gateway.projector` does (make run), so HTTP work never delays it",
    )
    lag_poll_interval_s: float = Field(default=2.0, gt=0)
    stale_after_s: float = Field(
        default=5.0,
        ge=0,
        description="A view is stale when its oldest unapplied event is older than this.",
    )

    # Sign-in with the city's identity provider (OpenID Connect, authorization code + PKCE,
    # done by the portal in the browser). The provider is ASN_JWT_ISSUER: the one whose
    # tokens every service verifies, so the two can never disagree.
    oidc_enabled: bool | None = Field(
        default=None,
        description="'Masuk dengan akun Pemkot' on /masuk; unset: on in production only",
    )
    oidc_client_id: str = Field(
        default="asn-portal", min_length=1, description="The portal's client id at the IdP."
    )
    oidc_scope: str = Field(
        default="openid profile", description="Scopes the portal asks for, space-separated."
    )
    oidc_discovery_ttl_s: float = Field(
        default=3600.0, gt=0, description="How long the IdP's discovery document is kept."
    )

    dev_keys_dir: Path = Field(
        default=Path(".dev-keys"),
        description="Dev signing key for POST /auth/dev-token (environment dev only).",
    )
    read_pool_size: int = Field(default=10, ge=1)
    portal_dir: Path | None = Field(
        default=Path("portal/dist"),
        description="The built portal served at / (empty: no pages, only the API).",
    )

    # `/api/public/…` (citizens, no token) is limited here too, per client.
    public_limit: int = Field(default=120, ge=1, description="Public requests per client/window.")
    public_window_s: float = Field(default=60.0, gt=0)
    public_submission_limit: int = Field(
        default=10, ge=1, description="Public POSTs (submissions, replies) per client per window."
    )
    public_submission_window_s: float = Field(default=600.0, gt=0)
    trusted_proxies: tuple[str, ...] = Field(
        default=(), description="Peers (an ingress) whose X-Forwarded-For names the client."
    )

    @model_validator(mode="after")
    def _sign_in(self) -> GatewaySettings:
        if self.environment == "production" and not self.oidc_sign_in:
            # Dev tokens never exist in production: without the IdP no one could sign in.
            raise ValueError("production signs in with the IdP: ASN_OIDC_ENABLED cannot be false")
        if self.oidc_sign_in:
            if "openid" not in self.oidc_scope.split():
                raise ValueError("ASN_OIDC_SCOPE must include 'openid'")
            if self.environment == "production" and not self.jwt_issuer.startswith("https://"):
                raise ValueError("the IdP's issuer (ASN_JWT_ISSUER) must be https in production")
        return self

    @property
    def oidc_sign_in(self) -> bool:
        """Whether the portal offers sign-in with the city's identity provider."""
        return self.environment == "production" if self.oidc_enabled is None else self.oidc_enabled

    @property
    def dev_sign_in(self) -> bool:
        """Whether /auth/dev-token and /auth/dev-people exist (local and test runs)."""
        return self.environment == "dev"

    @property
    def source_topics(self) -> dict[str, str]:
        """The read model's sources: service → topic."""
        return {
            "pegawai": self.pegawai_topic,
            "presensi": self.presensi_topic,
            "kinerja": self.kinerja_topic,
            "aspirasi": self.aspirasi_topic,
            "pelatihan": self.pelatihan_topic,
        }

    @property
    def service_urls(self) -> dict[str, str]:
        return {
            "pegawai": self.pegawai_url,
            "kinerja": self.kinerja_url,
            "pelatihan": self.pelatihan_url,
            "presensi": self.presensi_url,
            "aspirasi": self.aspirasi_url,
        }
