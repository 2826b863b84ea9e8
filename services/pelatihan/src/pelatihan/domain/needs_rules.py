"""Training needs read from a finalized appraisal (PermenPANRB 6/2022, DOMAIN 1.8/1.9).

Hasil kerja "di bawah ekspektasi" is a need for `hasil_kerja`; each BerAKHLAK value rated
below expectation is a need for that value (its code, e.g. `akuntabel`). A program
matches a need when its competency tags name it. A need is a suggestion only.
"""

from __future__ import annotations

from collections.abc import Iterable

from asn_schemas.kinerja import CoreValue, Rating

HASIL_KERJA = "hasil_kerja"


def competencies_needed(
    hasil_kerja: Rating, perilaku: Iterable[tuple[CoreValue, Rating]]
) -> list[str]:
    found = [HASIL_KERJA] if hasil_kerja is Rating.DI_BAWAH_EKSPEKTASI else []
    for value, rating in perilaku:
        if rating is Rating.DI_BAWAH_EKSPEKTASI and value.value not in found:
            found.append(value.value)
    return found


def matches(tags: Iterable[str], competencies: Iterable[str]) -> bool:
    wanted = {c.lower() for c in competencies}
    return any(t.lower() in wanted for t in tags)
