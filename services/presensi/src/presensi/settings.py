"""Settings of the presensi service (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from pydantic import Field
from servicekit.settings import ServiceSettings


class PresensiSettings(ServiceSettings):
    service_name: str = "presensi"
    port: int = Field(default=8004, ge=1, le=65535)
    pegawai_topic: str = Field(
        default="pegawai.events", description="Where the employee and unit replica comes from."
    )
    consumer_group: str = "presensi"
    deduction_daily_cap: float | None = Field(
        default=None, ge=0, description="⚠ Cap on the daily TL+PSW deduction (percent), if any."
    )
