"""The predikat matrix and the overall ratings behind it (PermenPANRB 6/2022, DOMAIN 1.8)."""

from __future__ import annotations

from collections.abc import Iterable

from asn_schemas.kinerja import Predikat, Rating

_ATAS = Rating.DI_ATAS_EKSPEKTASI
_SESUAI = Rating.SESUAI_EKSPEKTASI
_BAWAH = Rating.DI_BAWAH_EKSPEKTASI

MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    # (hasil kerja, perilaku kerja) -> predikat
    (_ATAS, _BAWAH): Predikat.KURANG_MISCONDUCT,
    (_ATAS, _SESUAI): Predikat.BAIK,
    (_ATAS, _ATAS): Predikat.SANGAT_BAIK,
    (_SESUAI, _BAWAH): Predikat.KURANG_MISCONDUCT,
    (_SESUAI, _SESUAI): Predikat.BAIK,
    (_SESUAI, _ATAS): Predikat.BAIK,
    (_BAWAH, _BAWAH): Predikat.SANGAT_KURANG,
    (_BAWAH, _SESUAI): Predikat.BUTUH_PERBAIKAN,
    (_BAWAH, _ATAS): Predikat.BUTUH_PERBAIKAN,
}


def predikat_of(hasil_kerja: Rating, perilaku_kerja: Rating) -> Predikat:
    """The predikat kinerja pegawai from the two ratings: one cell of the nine."""
    return MATRIX[(hasil_kerja, perilaku_kerja)]


def overall_rating(ratings: Iterable[Rating], *, main_below: bool = False) -> Rating:
    """The overall rating from its parts, when the rater gives none (DOMAIN 1.8, ~):
    "di atas" when most are above and none of the main ones below; "di bawah" when
    most are below; otherwise "sesuai"."""
    items = list(ratings)
    if not items:
        return _SESUAI
    above = sum(r is _ATAS for r in items)
    below = sum(r is _BAWAH for r in items)
    if below * 2 > len(items):
        return _BAWAH
    if above * 2 > len(items) and not main_below and below == 0:
        return _ATAS
    return _SESUAI
