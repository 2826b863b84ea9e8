"""The one table printed at the end, and the same figures as JSON in bench/results/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.outbox.report import ratio

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
__all__ = ["Row", "ratio", "render_table", "write_json"]


@dataclass(frozen=True)
class Row:
    measure: str
    ours: float
    anchor: str
    anchor_value: float | None
    ratio: float | None
    """ours / anchor."""
    aim: str = ""
    met: bool | None = None
    """Whether the aim is met; None where the row has no aim."""


def _number(value: float | None) -> str:
    if value is None or value != value:  # None or NaN
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}" if value < 10 else f"{value:,.1f}"


def _aim(row: Row) -> str:
    if not row.aim:
        return ""
    return f"{row.aim} {'met' if row.met else 'MISSED'}"


def render_table(rows: list[Row]) -> str:
    header = ("measure", "ours", "anchor (what)", "anchor value", "ratio", "aim")
    body = [
        (
            row.measure,
            _number(row.ours),
            row.anchor,
            _number(row.anchor_value),
            _ratio(row.ratio),
            _aim(row),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = (False, True, False, True, True, False)

    def fmt(cells: tuple[str, ...]) -> str:
        return " | ".join(
            cell.rjust(width) if r else cell.ljust(width)
            for cell, width, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in body)])


def write_json(document: dict[str, Any], rows: list[Row], started: datetime) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"gateway-{started.strftime('%Y%m%dT%H%M%S')}.json"
    payload = {**document, "table": [asdict(row) for row in rows]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path
