"""Reports as files for people: XLSX (openpyxl) and CSV, with Indonesian column headers.

Made here, beside the data, rather than in the browser: the file holds the whole list (not
the page the portal shows), the same file comes from curl or a scheduled job, and the
portal's first load carries no spreadsheet writer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class ReportFormat(StrEnum):
    JSON = "json"
    XLSX = "xlsx"
    CSV = "csv"


FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or with `format=xlsx|csv` the whole list as a file to download.",
        "content": {XLSX: {}, "text/csv": {}},
    }
}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict[str, Any]], Any]
    width: int = 14


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def date_of(key: str) -> Callable[[dict[str, Any]], date | None]:
    return lambda row: _date(row.get(key))


def text_of(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(key)


def _xlsx(title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit on a sheet name
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([c.value(row) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, date):
                cell.number_format = "DD-MM-YYYY"
            elif isinstance(cell.value, str):
                # An 18-digit NIP typed as a number loses its last digits in Excel: text.
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        values = [c.value(row) for c in columns]
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in values]
        )
    # With a BOM, Excel opens UTF-8 as UTF-8 (names with accents, the en dash of a title).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_file(
    fmt: ReportFormat,
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
) -> Response:
    """The rows as an XLSX or CSV download named `filename` (without its extension)."""
    if fmt is ReportFormat.XLSX:
        content, media = _xlsx(title, columns, rows), XLSX
    else:
        content, media = _csv(columns, rows), CSV
    return Response(
        content=content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt.value}"'},
    )
