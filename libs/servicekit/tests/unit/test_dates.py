"""The plausible date ranges: inside passes unchanged, outside is a `date_out_of_range` error."""

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError
from servicekit.dates import BusinessDate, HistoricDate

historic = TypeAdapter(HistoricDate)
business = TypeAdapter(BusinessDate)


@pytest.mark.parametrize(
    ("adapter", "inside", "outside"),
    [
        (historic, ["1900-01-01", "1962-05-17", "2100-12-31"], ["0001-01-01", "1899-12-31"]),
        (business, ["2000-01-01", "2026-11-30", "2100-12-31"], ["1999-12-31", "9999-12-31"]),
    ],
)
def test_dates_inside_pass_and_outside_name_the_range(adapter, inside, outside):
    for value in inside:
        assert adapter.validate_python(value) == dt.date.fromisoformat(value)
    for value in outside:
        with pytest.raises(ValidationError) as refused:
            adapter.validate_python(value)
        assert refused.value.errors()[0]["type"] == "date_out_of_range"
        assert "2100-12-31" in refused.value.errors()[0]["msg"]
