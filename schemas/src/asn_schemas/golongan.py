"""Golongan and pangkat vocabularies (DOMAIN 1.2, 1.3)."""

from __future__ import annotations

from enum import StrEnum


class GolonganPns(StrEnum):
    """PNS golongan/ruang, the 17 steps of PP 99/2000, written as on an SK."""

    I_A = "I/a"
    I_B = "I/b"
    I_C = "I/c"
    I_D = "I/d"
    II_A = "II/a"
    II_B = "II/b"
    II_C = "II/c"
    II_D = "II/d"
    III_A = "III/a"
    III_B = "III/b"
    III_C = "III/c"
    III_D = "III/d"
    IV_A = "IV/a"
    IV_B = "IV/b"
    IV_C = "IV/c"
    IV_D = "IV/d"
    IV_E = "IV/e"

    @property
    def rank(self) -> int:
        """1 (I/a) to 17 (IV/e): compares seniority without parsing the code."""
        return list(GolonganPns).index(self) + 1


class GolonganPppk(StrEnum):
    """PPPK golongan I–XVII. A separate vocabulary: PPPK have no pangkat (DOMAIN 1.3)."""

    I = "I"  # noqa: E741 - the regulation's own name
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"
    VII = "VII"
    VIII = "VIII"
    IX = "IX"
    X = "X"
    XI = "XI"
    XII = "XII"
    XIII = "XIII"
    XIV = "XIV"
    XV = "XV"
    XVI = "XVI"
    XVII = "XVII"


class Pangkat(StrEnum):
    """PNS rank titles; each belongs to exactly one golongan (`PANGKAT_BY_GOLONGAN`)."""

    JURU_MUDA = "Juru Muda"
    JURU_MUDA_TINGKAT_I = "Juru Muda Tingkat I"
    JURU = "Juru"
    JURU_TINGKAT_I = "Juru Tingkat I"
    PENGATUR_MUDA = "Pengatur Muda"
    PENGATUR_MUDA_TINGKAT_I = "Pengatur Muda Tingkat I"
    PENGATUR = "Pengatur"
    PENGATUR_TINGKAT_I = "Pengatur Tingkat I"
    PENATA_MUDA = "Penata Muda"
    PENATA_MUDA_TINGKAT_I = "Penata Muda Tingkat I"
    PENATA = "Penata"
    PENATA_TINGKAT_I = "Penata Tingkat I"
    PEMBINA = "Pembina"
    PEMBINA_TINGKAT_I = "Pembina Tingkat I"
    PEMBINA_UTAMA_MUDA = "Pembina Utama Muda"
    PEMBINA_UTAMA_MADYA = "Pembina Utama Madya"
    PEMBINA_UTAMA = "Pembina Utama"


PANGKAT_BY_GOLONGAN: dict[GolonganPns, Pangkat] = dict(zip(GolonganPns, Pangkat, strict=True))
"""Both enums list the 17 steps in the same order, so zipping them is the table in 1.2."""
