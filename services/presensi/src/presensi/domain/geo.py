"""Geofence check: only inside/outside and the distance are kept, never the position."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True, slots=True)
class GeofenceResult:
    inside: bool | None
    distance_m: int | None


def check_geofence(
    position: tuple[float, float] | None,
    centre: tuple[float, float] | None,
    radius_m: int | None,
    accuracy_m: float | None = None,
) -> GeofenceResult:
    """Inside when within radius (+ the reported accuracy, at most 100 m). Outside is flagged,
    not refused; no position or no geofence gives `None`."""
    if position is None or centre is None or radius_m is None:
        return GeofenceResult(None, None)
    distance = distance_m(position[0], position[1], centre[0], centre[1])
    slack = min(max(accuracy_m or 0.0, 0.0), 100.0)
    return GeofenceResult(distance <= radius_m + slack, round(distance))
