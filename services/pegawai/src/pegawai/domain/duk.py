"""Daftar Urut Kepangkatan ordering, PP 15/1979 (DOMAIN 1.11).

Keys in fixed order: pangkat (higher, then longer held), jabatan (higher), masa kerja
(longer), latihan jabatan (has it, earlier first), pendidikan (higher), usia (older).
The NIP breaks any remaining tie so the list is stable between runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asn_schemas.golongan import GolonganPns
from asn_schemas.pegawai import PositionKind, PositionLevel

from pegawai.domain.golongan import EDUCATION_RANK, Education

K, L = PositionKind, PositionLevel

# Jabatan seniority. Fungsional levels sit with the structural level they were equated
# to in the 2019–2021 penyetaraan (ahli madya ≈ administrator, ahli muda ≈ pengawas);
# ⚠ an assumption to confirm with BKPSDM, kept as data for that reason.
JABATAN_RANK: dict[tuple[PositionKind, PositionLevel | None], int] = {
    (K.JPT, L.UTAMA): 10,
    (K.JPT, L.MADYA): 9,
    (K.JPT, L.PRATAMA): 8,
    (K.FUNGSIONAL, L.AHLI_UTAMA): 8,
    (K.ADMINISTRATOR, None): 7,
    (K.FUNGSIONAL, L.AHLI_MADYA): 7,
    (K.PENGAWAS, None): 6,
    (K.FUNGSIONAL, L.AHLI_MUDA): 6,
    (K.FUNGSIONAL, L.AHLI_PERTAMA): 5,
    (K.FUNGSIONAL, L.PENYELIA): 4,
    (K.FUNGSIONAL, L.MAHIR): 3,
    (K.FUNGSIONAL, L.TERAMPIL): 2,
    (K.FUNGSIONAL, L.PEMULA): 1,
    (K.PELAKSANA, None): 1,
}


def jabatan_rank(kind: PositionKind, level: PositionLevel | None) -> int:
    return JABATAN_RANK.get((kind, level), JABATAN_RANK.get((kind, None), 0))


@dataclass(frozen=True, slots=True)
class DukEntry:
    nip: str
    golongan: GolonganPns
    tmt_golongan: date
    position_kind: PositionKind
    position_level: PositionLevel | None
    tmt_cpns: date
    leadership_training: date | None
    education: Education
    birth_date: date


def duk_key(e: DukEntry) -> tuple[int, int, int, int, int, int, int, int, str]:
    """Ascending sort key: every "higher/longer/older first" is a negated or earlier value."""
    return (
        -e.golongan.rank,
        e.tmt_golongan.toordinal(),
        -jabatan_rank(e.position_kind, e.position_level),
        e.tmt_cpns.toordinal(),
        0 if e.leadership_training is not None else 1,
        e.leadership_training.toordinal() if e.leadership_training else 0,
        -EDUCATION_RANK[e.education],
        e.birth_date.toordinal(),
        e.nip,
    )


def duk_order(entries: list[DukEntry]) -> list[DukEntry]:
    return sorted(entries, key=duk_key)
