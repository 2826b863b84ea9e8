"""Settings of the pelatihan service (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from pydantic import Field
from servicekit.settings import ServiceSettings


class PelatihanSettings(ServiceSettings):
    service_name: str = "pelatihan"
    port: int = Field(default=8003, ge=1, le=65535)
    pegawai_topic: str = Field(
        default="pegawai.events", description="Where the employee and unit replica comes from."
    )
    kinerja_topic: str = Field(
        default="kinerja.events",
        description="Where finalized appraisals (training needs) come from.",
    )
    consumer_group: str = "pelatihan"
