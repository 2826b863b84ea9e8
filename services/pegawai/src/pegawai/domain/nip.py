"""NIP and NI PPPK: structure, refusal of malformed numbers, and warnings (DOMAIN 1.1).

A malformed number (length, non-digits, impossible dates) is refused. A well-formed
number whose encoded birth date, TMT CPNS or sex disagrees with the master record is
accepted with warnings, because legacy records have such errors and BKN fixes them
through MyASN self-updates rather than by reissuing the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asn_schemas.pegawai import AsnType, Sex

_SEX_BY_DIGIT = {"1": Sex.MALE, "2": Sex.FEMALE}
_EARLIEST_BIRTH_YEAR = 1900


class InvalidNip(ValueError):
    """The number cannot be an NIP: `code` says why, for the API's `errors` list."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class NipInfo:
    """What an 18-digit number encodes. `appointed` is the TMT CPNS (1st of the month) for
    a PNS; for a PPPK only the year is reliable, so it is the 1st of January of it."""

    birth_date: date
    appointed: date
    sex: Sex
    sequence: int


@dataclass(frozen=True, slots=True)
class NipWarning:
    code: str
    field: str
    message: str


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_nip(nip: str, asn_type: AsnType = AsnType.PNS) -> NipInfo:
    """Parse and validate; raises `InvalidNip` for anything that cannot be a real number."""
    if len(nip) != 18:
        raise InvalidNip("nip_length", f"NIP harus 18 digit, bukan {len(nip)}.")
    if not nip.isascii() or not nip.isdigit():
        raise InvalidNip("nip_not_digits", "NIP hanya berisi angka 0–9.")
    birth = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None or birth.year < _EARLIEST_BIRTH_YEAR:
        raise InvalidNip("nip_birth_date", f"Digit 1–8 ({nip[0:8]}) bukan tanggal lahir yang sah.")
    year = int(nip[8:12])
    if asn_type is AsnType.PNS:
        appointed = _date_or_none(year, int(nip[12:14]), 1)
        if appointed is None:
            raise InvalidNip(
                "nip_tmt_cpns", f"Digit 9–14 ({nip[8:14]}) bukan tahun-bulan TMT CPNS."
            )
    else:
        # NI PPPK digits 13–14 are disputed (DOMAIN 1.1 ⚠): only the year is checked.
        appointed = date(year, 1, 1) if year >= _EARLIEST_BIRTH_YEAR else date(1, 1, 1)
    if appointed <= birth:
        raise InvalidNip(
            "nip_tmt_before_birth", "Tahun pengangkatan pada NIP tidak mungkin sebelum lahir."
        )
    sex = _SEX_BY_DIGIT.get(nip[14])
    if sex is None:
        raise InvalidNip(
            "nip_sex_digit", f"Digit 15 harus 1 (pria) atau 2 (wanita), bukan {nip[14]}."
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise InvalidNip("nip_sequence", "Nomor urut (digit 16–18) dimulai dari 001.")
    return NipInfo(birth_date=birth, appointed=appointed, sex=sex, sequence=sequence)


def nip_warnings(
    info: NipInfo,
    *,
    asn_type: AsnType,
    birth_date: date,
    sex: Sex,
    tmt_cpns: date | None,
) -> list[NipWarning]:
    """Where the master record disagrees with what the number encodes."""
    warnings: list[NipWarning] = []
    if info.birth_date != birth_date:
        warnings.append(
            NipWarning(
                "nip_birth_date_mismatch",
                "birth_date",
                f"Tanggal lahir {birth_date.isoformat()} berbeda dengan NIP "
                f"({info.birth_date.isoformat()}).",
            )
        )
    if info.sex is not sex:
        warnings.append(
            NipWarning("nip_sex_mismatch", "sex", "Jenis kelamin berbeda dengan digit 15 NIP.")
        )
    if tmt_cpns is not None:
        same = (
            (tmt_cpns.year, tmt_cpns.month) == (info.appointed.year, info.appointed.month)
            if asn_type is AsnType.PNS
            else tmt_cpns.year == info.appointed.year
        )
        if not same:
            warnings.append(
                NipWarning(
                    "nip_tmt_cpns_mismatch",
                    "tmt_cpns",
                    f"TMT {tmt_cpns.isoformat()} berbeda dengan yang tertulis di NIP.",
                )
            )
    return warnings
