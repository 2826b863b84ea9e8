"""The golongan ladders and the education ceiling for regular promotion (DOMAIN 1.2, 1.3)."""

from __future__ import annotations

from enum import StrEnum

from asn_schemas.golongan import PANGKAT_BY_GOLONGAN, GolonganPns, GolonganPppk, Pangkat

PNS_LADDER: tuple[GolonganPns, ...] = tuple(GolonganPns)
PPPK_LADDER: tuple[GolonganPppk, ...] = tuple(GolonganPppk)
TOP_PNS = GolonganPns.IV_E


class Education(StrEnum):
    """Highest certificate, as in the Kep. Ka BKN 12/2002 table (DOMAIN 1.2)."""

    SD = "sd"
    SLTP = "sltp"
    SLTP_KEJURUAN = "sltp_kejuruan"
    SLTA = "slta"
    D1 = "d1"
    D2 = "d2"
    D3 = "d3"
    SARJANA_MUDA = "sarjana_muda"
    S1 = "s1"
    D4 = "d4"
    S2 = "s2"
    DOKTER = "dokter"
    APOTEKER = "apoteker"
    S3 = "s3"


G = GolonganPns
# (starting golongan, regular-promotion ceiling); ~ per DOMAIN 1.2: the 2002 table was
# revoked in 2025 but the ceiling concept remains, so it stays data, not branching code.
EDUCATION_TABLE: dict[Education, tuple[GolonganPns, GolonganPns]] = {
    Education.SD: (G.I_A, G.II_A),
    Education.SLTP: (G.I_C, G.II_C),
    Education.SLTP_KEJURUAN: (G.I_C, G.II_D),
    Education.SLTA: (G.II_A, G.III_B),
    Education.D1: (G.II_A, G.III_B),
    Education.D2: (G.II_B, G.III_B),
    Education.D3: (G.II_C, G.III_C),
    Education.SARJANA_MUDA: (G.II_C, G.III_C),
    Education.S1: (G.III_A, G.III_D),
    Education.D4: (G.III_A, G.III_D),
    Education.S2: (G.III_B, G.IV_A),
    Education.DOKTER: (G.III_B, G.IV_A),
    Education.APOTEKER: (G.III_B, G.IV_A),
    Education.S3: (G.III_C, G.IV_B),
}

EDUCATION_RANK: dict[Education, int] = {
    Education.SD: 1,
    Education.SLTP: 2,
    Education.SLTP_KEJURUAN: 2,
    Education.SLTA: 3,
    Education.D1: 4,
    Education.D2: 5,
    Education.D3: 6,
    Education.SARJANA_MUDA: 6,
    Education.S1: 7,
    Education.D4: 7,
    Education.S2: 8,
    Education.DOKTER: 8,
    Education.APOTEKER: 8,
    Education.S3: 9,
}
"""Higher is more; used by the DUK's education key (DOMAIN 1.11)."""


def pangkat_of(golongan: GolonganPns) -> Pangkat:
    return PANGKAT_BY_GOLONGAN[golongan]


def next_golongan(golongan: GolonganPns) -> GolonganPns | None:
    """One step up the ladder; None at IV/e."""
    index = PNS_LADDER.index(golongan)
    return PNS_LADDER[index + 1] if index + 1 < len(PNS_LADDER) else None


def education_ceiling(education: Education) -> GolonganPns:
    return EDUCATION_TABLE[education][1]


def crosses_into(from_golongan: GolonganPns, to_golongan: GolonganPns) -> int | None:
    """The ujian dinas level a step needs: 1 for II→III, 2 for III→IV (DOMAIN 1.4)."""
    roman_from = from_golongan.value.split("/")[0]
    roman_to = to_golongan.value.split("/")[0]
    if (roman_from, roman_to) == ("II", "III"):
        return 1
    if (roman_from, roman_to) == ("III", "IV"):
        return 2
    return None


def golongan_rank(golongan: str) -> int:
    """1–17 on either ladder; PPPK I–XVII line up with PNS I/a–IV/e on pay (⚠ DOMAIN 1.3)."""
    if golongan in GolonganPns._value2member_map_:
        return GolonganPns(golongan).rank
    return PPPK_LADDER.index(GolonganPppk(golongan)) + 1
