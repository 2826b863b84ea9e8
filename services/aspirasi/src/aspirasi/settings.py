"""Settings of the aspirasi service (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from servicekit.settings import ServiceSettings


class AspirasiSettings(ServiceSettings):
    service_name: str = "aspirasi"
    port: int = Field(default=8005, ge=1, le=65535)
    # Three photos of 2 MB travel base64-encoded in the submission's JSON (~8.1 MB).
    max_body_bytes: int = Field(default=9 * 1024 * 1024, ge=1024)
    pegawai_topic: str = Field(default="pegawai.events", description="Units come from here.")
    presensi_topic: str = Field(default="presensi.events", description="Holidays come from here.")
    consumer_group: str = "aspirasi"
    sla_sweep_interval_s: float = Field(
        default=60.0, gt=0, description="How often the SLA clocks are checked."
    )
    sla_sweep_enabled: bool = True
    submission_limit: int = Field(default=5, ge=1, description="Submissions per client per window.")
    submission_window_s: float = Field(default=600.0, gt=0)
    public_limit: int = Field(
        default=60, ge=1, description="Other public requests per client per window."
    )
    public_window_s: float = Field(default=60.0, gt=0)
    secret_failure_limit: int = Field(
        default=10, ge=1, description="Wrong code/secret pairs per client per window."
    )
    secret_failure_window_s: float = Field(default=900.0, gt=0)
    trusted_proxies: tuple[str, ...] = Field(
        default=("127.0.0.1",),
        description="Peers (the gateway) whose X-Forwarded-For names the real client.",
    )
    contact_retention_days: int = Field(
        default=365, ge=1, description="A contact is erased this long after the ticket ended."
    )
    notify_transport: Literal["log", "smtp"] = Field(
        default="log",
        description="How progress notices reach a contact: `log` records that one was due "
        "(no address, no words), `smtp` mails it through ASN_SMTP_*.",
    )
    notify_enabled: bool = True
    notify_interval_s: float = Field(default=10.0, gt=0, description="How often due notices go.")
    notify_max_attempts: int = Field(default=8, ge=1, description="Tries before a notice fails.")
    notify_backoff_s: float = Field(
        default=60.0, gt=0, description="Wait after a failed try, doubled after each."
    )
    portal_url: str = Field(
        default="https://aspirasi.sawahlunto.go.id", description="Named in each notice."
    )
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "aspirasi-noreply@sawahlunto.go.id"
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    test_clock: bool = Field(
        default=False,
        description="Dev/test only: PUT /testing/clock moves this process's clock and "
        "POST /testing/sla-sweep runs the sweep (the end-to-end tests).",
    )

    @model_validator(mode="after")
    def _no_test_clock_in_production(self) -> AspirasiSettings:
        if self.test_clock and self.environment == "production":
            raise ValueError("ASN_TEST_CLOCK is for dev and test runs only")
        return self
