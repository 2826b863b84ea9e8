"""The standard reports: SQL over the typed views, written as CSV, Parquet and one HTML page.

Each report is one query; its last column is the figure the HTML page draws as bars.
Units are the producer's `unit_code`; where an event carries none (appraisals), the
employee's unit is taken from the newest pegawai snapshot of that NIP.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn_analytics.store import Store

JP_PER_YEAR = 20
"""PP 11/2017 (as amended by PP 17/2020): at least 20 JP of competence development a year."""


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    title: str
    sql: str


REPORTS: tuple[Report, ...] = (
    Report(
        "attendance_by_unit_month",
        "Attendance and lateness per unit and month",
        """
        SELECT unit_code, strftime(day, '%Y-%m') AS month,
               count(*) AS check_ins,
               count(*) FILTER (WHERE minutes_late > 0) AS late,
               coalesce(round(avg(minutes_late) FILTER (WHERE minutes_late > 0), 1), 0)
                   AS avg_minutes_late,
               round(100.0 * count(*) FILTER (WHERE minutes_late > 0) / count(*), 1)
                   AS late_percent
        FROM check_ins GROUP BY ALL ORDER BY unit_code, month
        """,
    ),
    Report(
        "leave_by_type",
        "Leave taken by type and year (approved, less approved leave cancelled)",
        """
        SELECT year(start_date) AS year, leave_type,
               count(*) FILTER (WHERE fact = 'approved') AS approved,
               count(*) FILTER (WHERE fact = 'cancelled' AND was_approved) AS cancelled,
               coalesce(sum(working_days) FILTER (WHERE fact = 'approved'), 0)
                 - coalesce(sum(working_days) FILTER (WHERE fact = 'cancelled' AND was_approved), 0)
                   AS working_days
        FROM leave_events WHERE fact IN ('approved', 'cancelled')
        GROUP BY ALL ORDER BY year, leave_type
        """,
    ),
    Report(
        "predikat_by_year_unit",
        "Annual predikat by year and unit",
        """
        SELECT a.year, coalesce(e.unit_code, 'unknown') AS unit_code, a.predikat,
               count(*) AS employees
        FROM appraisals a LEFT JOIN employees e USING (nip)
        WHERE a.period_kind = 'annual'
        GROUP BY ALL ORDER BY a.year, unit_code, a.predikat
        """,
    ),
    Report(
        "promotions_by_period",
        "Promotions per quarter (by TMT) and kind",
        """
        SELECT year(tmt) AS year, quarter(tmt) AS quarter, kind, count(*) AS promotions
        FROM promotions GROUP BY ALL ORDER BY year, quarter, kind
        """,
    ),
    Report(
        "jp_compliance",
        f"Employees with at least {JP_PER_YEAR} JP of training in the year, per unit",
        f"""
        WITH years AS (SELECT DISTINCT year(end_date) AS year FROM trainings),
        staff AS (SELECT nip, unit_code FROM employees WHERE status = 'aktif'),
        jp AS (SELECT nip, year(end_date) AS year, sum(jp) AS jp FROM trainings GROUP BY ALL)
        SELECT y.year, s.unit_code, count(*) AS employees,
               count(*) FILTER (WHERE coalesce(jp.jp, 0) >= {JP_PER_YEAR}) AS compliant,
               round(100.0 * count(*) FILTER (WHERE coalesce(jp.jp, 0) >= {JP_PER_YEAR})
                     / count(*), 1) AS compliant_percent
        FROM years y CROSS JOIN staff s
        LEFT JOIN jp ON jp.nip = s.nip AND jp.year = y.year
        GROUP BY ALL ORDER BY y.year, s.unit_code
        """,  # noqa: S608 (a constant, not input)
    ),
    Report(
        "complaint_sla",
        "Complaints routed per unit and how many kept every SLA clock",
        """
        SELECT r.unit_code, count(DISTINCT r.submission_id) AS routed,
               count(DISTINCT b.submission_id) AS breached,
               round(100.0 * (count(DISTINCT r.submission_id) - count(DISTINCT b.submission_id))
                     / count(DISTINCT r.submission_id), 1) AS sla_kept_percent
        FROM complaints_routed r
        LEFT JOIN sla_breaches b ON b.submission_id = r.submission_id
        GROUP BY ALL ORDER BY r.unit_code
        """,
    ),
)


@dataclass(frozen=True, slots=True)
class Table:
    report: Report
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_reports(store: Store, out: Path) -> list[Table]:
    """Write `<name>.csv` and `<name>.parquet` per report and `report.html`; return the tables."""
    out.mkdir(parents=True, exist_ok=True)
    tables: list[Table] = []
    for report in REPORTS:
        query = " ".join(report.sql.split())
        for suffix, options in (("csv", "FORMAT csv, HEADER true"), ("parquet", "FORMAT parquet")):
            target = str(out / f"{report.name}.{suffix}").replace("'", "''")
            store.db.execute(f"COPY ({query}) TO '{target}' ({options})")
        result = store.db.execute(query)
        columns = [d[0] for d in result.description or ()]
        tables.append(Table(report, columns, result.fetchall()))
    (out / "report.html").write_text(render_html(tables), encoding="utf-8")
    return tables


def render_html(tables: list[Table]) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>ASN analytics: standard reports</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}",
        "table{border-collapse:collapse;margin:.5rem 0 2rem}",
        "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}",
        "td.n{text-align:right}</style></head><body>",
        "<h1>Kota Sawahlunto ASN: standard reports</h1>",
    ]
    for table in tables:
        parts.append(f"<h2 id='{table.report.name}'>{html.escape(table.report.title)}</h2>")
        if not table.rows:
            parts.append("<p>No events of this kind yet.</p>")
            continue
        parts.append(_bars(table))
        parts.append("<table><thead><tr>")
        parts.extend(f"<th>{html.escape(c)}</th>" for c in table.columns)
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            cells = (
                f"<td class='n'>{v}</td>"
                if isinstance(v, int | float)
                else f"<td>{html.escape(str(v))}</td>"
                for v in row
            )
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _bars(table: Table) -> str:
    """An inline SVG bar per row of the last column, labelled by the others."""
    values = [float(row[-1] or 0) for row in table.rows]
    top = max(values) or 1.0
    height, width, label_w = 18, 640, 260
    svg = [
        f"<svg role='img' aria-label='{html.escape(table.columns[-1])}' "
        f"width='{width}' height='{height * len(values) + 4}' xmlns='http://www.w3.org/2000/svg'>"
    ]
    for i, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        label = html.escape(" · ".join(str(v) for v in row[:-1]))
        bar = (width - label_w - 60) * value / top
        y = i * height + 2
        svg.append(f"<text x='0' y='{y + 13}' font-size='12'>{label}</text>")
        svg.append(
            f"<rect x='{label_w}' y='{y}' width='{bar:.1f}' height='{height - 4}' fill='#3b6ea8'/>"
        )
        svg.append(
            f"<text x='{label_w + bar + 4:.1f}' y='{y + 13}' font-size='12'>{row[-1]}</text>"
        )
    svg.append("</svg>")
    return "".join(svg)
