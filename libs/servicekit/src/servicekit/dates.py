"""Plausible ranges for dates a client sends, one per kind of field.

A date far outside any plausible range (year 1, year 9999) is a typing or fuzzing accident;
accepted, it overflows date arithmetic (a 500) or lands in the record as nonsense. Two kinds:

- `HistoricDate`, 1900-01-01 … 2100-12-31: facts of a person's record that may lie decades
  back: birth date, TMT CPNS, the TMTs a registration carries over from paper records,
  leadership training, and reads "as of" a past date.
- `BusinessDate`, 2000-01-01 … 2100-12-31: days of the working calendar and of decisions
  taken in the system: leave, official travel, holidays, schedules, closing a day,
  attendance ranges, and the TMT of promotions, transfers, position and supervisor
  changes, retirements, status changes and penalties, and SKP periods.

Bounds are fixed, not relative to today, so a request's validity does not depend on the
day it is sent; the upper bound leaves room for date arithmetic (a year's entitlement, a
promotion period two years on) far from `date.max`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

HISTORIC_MIN = dt.date(1900, 1, 1)
BUSINESS_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def _within(low: dt.date, high: dt.date) -> AfterValidator:
    def check(value: dt.date) -> dt.date:
        if not low <= value <= high:
            raise PydanticCustomError(
                "date_out_of_range",
                "Tanggal harus antara {low} dan {high}.",
                {"low": low.isoformat(), "high": high.isoformat()},
            )
        return value

    return AfterValidator(check)


HistoricDate = Annotated[dt.date, _within(HISTORIC_MIN, DATE_MAX)]
BusinessDate = Annotated[dt.date, _within(BUSINESS_MIN, DATE_MAX)]
