"""Discipline early warning on unexcused absence (PP 94/2021; DOMAIN 1.7 and §3 item 5).

Thresholds are data. Each one, when reached, raises an advisory event for HR; a person
decides what follows, nothing is automatic. `cumulative` counts unexcused working days
in the calendar year; `consecutive` counts an uninterrupted run of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from asn_schemas.presensi import ThresholdKind


@dataclass(frozen=True, slots=True)
class Threshold:
    kind: ThresholdKind
    days: int
    possible_penalty: str


_C, _R = ThresholdKind.CUMULATIVE, ThresholdKind.CONSECUTIVE

THRESHOLDS: tuple[Threshold, ...] = (
    # Early warnings one day before a band (DOMAIN §3 item 5).
    Threshold(_C, 2, "mendekati teguran lisan (3 hari)"),
    Threshold(_C, 3, "teguran lisan"),
    Threshold(_C, 4, "teguran tertulis"),
    Threshold(_C, 7, "pernyataan tidak puas secara tertulis"),
    Threshold(_C, 9, "mendekati pemotongan tukin 25% (11 hari)"),
    Threshold(_C, 11, "pemotongan tukin 25% selama 6 bulan"),
    Threshold(_C, 14, "pemotongan tukin 25% selama 9 bulan"),
    Threshold(_C, 17, "pemotongan tukin 25% selama 12 bulan"),
    Threshold(_C, 20, "mendekati penurunan jabatan (21 hari)"),
    Threshold(_C, 21, "penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    Threshold(_C, 25, "pembebasan dari jabatan menjadi pelaksana selama 12 bulan"),
    Threshold(_C, 27, "mendekati pemberhentian (28 hari)"),
    Threshold(_C, 28, "pemberhentian dengan hormat tidak atas permintaan sendiri"),
    Threshold(_R, 8, "mendekati pemberhentian (10 hari berturut-turut)"),
    Threshold(_R, 10, "pemberhentian dengan hormat tidak atas permintaan sendiri"),
)


def reached(
    cumulative: int, consecutive: int, thresholds: tuple[Threshold, ...] = THRESHOLDS
) -> list[Threshold]:
    """Thresholds reached exactly by today's counts, so each fires once per year or run."""
    counts = {ThresholdKind.CUMULATIVE: cumulative, ThresholdKind.CONSECUTIVE: consecutive}
    return [t for t in thresholds if counts[t.kind] == t.days]
