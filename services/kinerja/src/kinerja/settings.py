"""Settings of the kinerja service (environment variables `ASN_*`, read at start-up)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from servicekit.settings import ServiceSettings


class KinerjaSettings(ServiceSettings):
    service_name: str = "kinerja"
    port: int = Field(default=8002, ge=1, le=65535)
    pegawai_topic: str = Field(
        default="pegawai.events", description="Where the employee replica comes from."
    )
    aspirasi_topic: str = Field(
        default="aspirasi.events",
        description="Where the citizens' unit signals come from (context beside the "
        "organisation predikat, never an input to an appraisal).",
    )
    consumer_group: str = "kinerja"
    appraisal_cadence: Literal["quarterly", "monthly"] = Field(
        default="quarterly",
        description="⚠ DOMAIN 1.8: periodic appraisal cadence; quarterly unless the city "
        "decides monthly.",
    )
    objection_days: int = Field(
        default=14,
        ge=1,
        le=365,
        description="⚠ Days after the annual appraisal became final in which a keberatan "
        "may be filed.",
    )
