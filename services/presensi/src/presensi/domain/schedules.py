"""Working schedules as effective-dated data per unit (Perpres 21/2023; DOMAIN 1.7).

A schedule gives, per weekday (Mon=0 … Sun=6), the start and end of the working day
(WIB) and the break. Weekdays without hours are not working days for that schedule, so
a unit that serves the public on Saturday simply has hours on 5.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

DEFAULT_UNIT = "default"
"""`unit_code` of the city-wide schedules; a unit's own rows override them."""


@dataclass(frozen=True, slots=True)
class DayHours:
    start: time
    end: time
    break_minutes: int

    @property
    def working_minutes(self) -> int:
        start = datetime.combine(date.min, self.start)
        end = datetime.combine(date.min, self.end)
        return int((end - start).total_seconds() // 60) - self.break_minutes


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: str  # "regular" | "ramadan"
    unit_code: str
    valid_from: date
    valid_to: date | None
    days: Mapping[int, DayHours] = field(default_factory=dict)

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(self.days)

    @property
    def weekly_minutes(self) -> int:
        return sum(hours.working_minutes for hours in self.days.values())

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def hours_on(self, day: date) -> DayHours | None:
        return self.days.get(day.weekday())


def _week(mon_thu: tuple[time, time, int], fri: tuple[time, time, int]) -> dict[int, DayHours]:
    hours = {d: DayHours(*mon_thu) for d in range(4)}
    hours[4] = DayHours(*fri)
    return hours


PERPRES_21_2023 = Schedule(
    kind="regular",
    unit_code=DEFAULT_UNIT,
    valid_from=date(2023, 1, 1),
    valid_to=None,
    # 37.5 h a week without breaks: Mon–Thu 07:30–16:00 (60 min break), Fri 07:30–16:30 (90).
    days=_week((time(7, 30), time(16, 0), 60), (time(7, 30), time(16, 30), 90)),
)
"""The documented default when no schedule row applies."""


def ramadan_schedule(unit_code: str, valid_from: date, valid_to: date) -> Schedule:
    """32.5 h a week: start 08:00; Mon–Thu until 15:00 (30 min break), Fri until 15:30 (60)."""
    return Schedule(
        kind="ramadan",
        unit_code=unit_code,
        valid_from=valid_from,
        valid_to=valid_to,
        days=_week((time(8, 0), time(15, 0), 30), (time(8, 0), time(15, 30), 60)),
    )


def schedule_for(schedules: Iterable[Schedule], unit_code: str, day: date) -> Schedule:
    """The schedule in force for a unit on a day.

    Among the rows covering the day: a Ramadan schedule before a regular one, a unit's
    own row before the city's, and the latest `valid_from` first; Perpres 21/2023 if none.
    """
    candidates = [
        s for s in schedules if s.covers(day) and s.unit_code in (unit_code, DEFAULT_UNIT)
    ]
    if not candidates:
        return PERPRES_21_2023
    return max(
        candidates,
        key=lambda s: (s.kind == "ramadan", s.unit_code == unit_code, s.valid_from),
    )


def days_to_json(days: Mapping[int, DayHours]) -> dict[str, dict[str, object]]:
    return {
        str(d): {
            "start": h.start.strftime("%H:%M"),
            "end": h.end.strftime("%H:%M"),
            "break_minutes": h.break_minutes,
        }
        for d, h in sorted(days.items())
    }


def days_from_json(raw: Mapping[str, Mapping[str, object]]) -> dict[int, DayHours]:
    return {
        int(d): DayHours(
            time.fromisoformat(str(h["start"])),
            time.fromisoformat(str(h["end"])),
            int(str(h["break_minutes"])),
        )
        for d, h in raw.items()
    }
