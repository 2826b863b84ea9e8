"""Dev/test only (ASN_TEST_CLOCK): move the service's clock, run the SLA sweep now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel
from servicekit.auth import CurrentIdentity
from servicekit.runtime import Runtime

from aspirasi import access, sla
from aspirasi.testclock import SettableClock

router = APIRouter(prefix="/testing", tags=["testing"], include_in_schema=False)


class ClockIn(BaseModel):
    now: AwareDatetime | None = None


@router.put("/clock")
async def set_clock(body: ClockIn, who: CurrentIdentity, request: Request) -> dict[str, Any]:
    """Fix the service's clock at `now` (null: real time again)."""
    access.require_coordinator(who)
    clock: SettableClock = request.app.state.clock
    clock.fixed = body.now
    return {"now": clock().isoformat()}


@router.post("/sla-sweep")
async def sweep_now(who: CurrentIdentity, runtime: Runtime, request: Request) -> dict[str, Any]:
    """Run the SLA sweep at the service's clock."""
    access.require_coordinator(who)
    settings = runtime.settings
    retention = getattr(settings, "contact_retention_days", 365)
    report = await sla.sweep(runtime, request.app.state.clock(), retention)
    return vars(report)
