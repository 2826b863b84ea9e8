"""The attendance log text export of ZKTeco fingerprint devices (`1_attlog.dat`, or
`<serial>_attlog.dat`, written to a USB stick by the device's "Download attendance" menu
and by ZKTime/ZKAccess exports): one punch a line,

    <PIN>\\t<YYYY-MM-DD HH:MM:SS>\\t<verify>\\t<in/out state>\\t<work code>\\t<reserved>…

The PIN is often right-aligned with spaces; lines end in CRLF; the fields after the
timestamp vary by firmware (zero to six of them) and are kept but not used: punches are
ordered by time per person by the same rules as pushed lines, never by the state key
people press (or forget to). Times are the device's wall clock without offset (WIB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

MAX_LINES = 5000
"""As many as one JSON batch may carry."""
MAX_PIN = 20

_LINE = re.compile(
    r"^\s*(?P<pin>\S+)[\t ]+(?P<date>\d{4}-\d{2}-\d{2})[\t ]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"(?P<rest>(?:[\t ]+\S+)*)\s*$"
)


@dataclass(frozen=True, slots=True)
class AttlogLine:
    pin: str
    at: datetime
    """The device's wall clock, naive (read as WIB by the caller)."""
    verify: int | None
    """How the person was recognised (1 fingerprint, 0 password, 15 face…), if exported."""
    state: int | None
    """The in/out key pressed (0 check-in, 1 check-out…), if exported; not used."""


class AttlogError(ValueError):
    def __init__(self, line: int, detail: str) -> None:
        super().__init__(f"line {line}: {detail}")
        self.line = line
        self.detail = detail


def _number(fields: list[str], index: int) -> int | None:
    if index >= len(fields):
        return None
    try:
        return int(fields[index])
    except ValueError:
        return None


def parse(content: str) -> list[AttlogLine]:
    """Every punch of an export, in file order; blank lines skipped. A line that is not a
    punch raises `AttlogError` naming it, so a wrong file is refused whole, not half-read."""
    lines: list[AttlogLine] = []
    for number, raw in enumerate(content.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise AttlogError(number, "bukan baris presensi (PIN, tanggal jam, …)")
        pin = match["pin"]
        if len(pin) > MAX_PIN:
            raise AttlogError(number, f"PIN lebih dari {MAX_PIN} karakter")
        clock = match["time"] if match["time"].count(":") == 2 else f"{match['time']}:00"
        try:
            at = datetime.strptime(f"{match['date']} {clock}", "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise AttlogError(number, "tanggal atau jam tidak valid") from None
        fields = match["rest"].split()
        lines.append(AttlogLine(pin, at, _number(fields, 0), _number(fields, 1)))
        if len(lines) > MAX_LINES:
            raise AttlogError(number, f"lebih dari {MAX_LINES} baris; kirim bertahap")
    if not lines:
        raise AttlogError(0, "berkas tanpa baris presensi")
    return lines
