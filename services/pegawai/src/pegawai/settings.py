"""Settings of the pegawai service (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from pydantic import Field
from servicekit.settings import ServiceSettings

from pegawai.domain.retirement import RetirementConvention


class PegawaiSettings(ServiceSettings):
    service_name: str = "pegawai"
    port: int = Field(default=8001, ge=1, le=65535)
    kinerja_topic: str = Field(
        default="kinerja.events", description="Where finalized appraisals come from."
    )
    pelatihan_topic: str = Field(
        default="pelatihan.events",
        description="Where completed leadership training (the DUK's latihan jabatan) comes from.",
    )
    consumer_group: str = "pegawai"
    retirement_convention: RetirementConvention = Field(
        default="first_of_next_month",
        description="⚠ DOMAIN 1.5: when a BUP retirement takes effect is unconfirmed.",
    )
