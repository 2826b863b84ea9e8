"""Leave (cuti) rules of DOMAIN 1.6 with the PNS/PPPK differences, and the tahunan ledger.

Pure functions: the caller supplies the person (from the replica), the request, the
number of working days it covers, and the ledger entries; nothing here reads a clock.

Decisions where the rules are silent or unconfirmed (⚠, documented in the API too):
- Years of service run from TMT CPNS: pegawai's record (the snapshot's `tmt_cpns`), else
  NIP digits 9–14 (DOMAIN 1.1); when neither gives a date (some NI PPPK), the
  service-length rules are not applied.
- Cuti tahunan is requested within one calendar year; a request that spans two years is
  split by the person into two.
- Cuti besar takes the place of that year's tahunan: on approval the year's remaining
  tahunan is forfeited (a ledger entry) and nothing carries over from that year.
- A deferred (ditangguhkan) tahunan lets the next year reach 24 days (PP 11/2017).
- Sick leave of 2 days or more needs a certificate; it stays in this service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from asn_schemas.presensi import LeaveType

from presensi.domain.calendar import add_months, full_years_between

TAHUNAN_DAYS = 12
CARRY_OVER_MAX = 6  # → total at most 18
CARRY_OVER_MAX_LONG = 12  # → total at most 24, after 2+ unused years or a deferral
TAHUNAN_MIN_SERVICE_YEARS = 1
BESAR_MIN_SERVICE_YEARS = 5
CLTN_MIN_SERVICE_YEARS = 5

NEEDS_BKPSDM: frozenset[LeaveType] = frozenset({LeaveType.CLTN, LeaveType.BESAR})
"""Types with a second step by BKPSDM after the supervisor (CLTN needs a BKN pertek too)."""

ALLOWED: Mapping[str, frozenset[LeaveType]] = {
    "pns": frozenset(LeaveType),
    # PP 49/2018 + Peraturan BKN 7/2022: no cuti besar, CAP or CLTN for PPPK (DOMAIN 4).
    "pppk": frozenset({LeaveType.TAHUNAN, LeaveType.SAKIT, LeaveType.MELAHIRKAN}),
}

# Longest single request, in months of calendar time, per ASN type.
MAX_MONTHS: Mapping[tuple[str, LeaveType], int] = {
    ("pns", LeaveType.BESAR): 3,
    ("pns", LeaveType.SAKIT): 12,  # + 6 months on the tim penguji kesehatan's advice
    ("pppk", LeaveType.SAKIT): 1,
    ("pns", LeaveType.MELAHIRKAN): 3,
    ("pppk", LeaveType.MELAHIRKAN): 3,
    ("pns", LeaveType.ALASAN_PENTING): 1,
    ("pns", LeaveType.CLTN): 36,  # extendable by 1 year with a new request
}


@dataclass(frozen=True, slots=True)
class Person:
    nip: str
    asn_type: str  # "pns" | "pppk"
    sex: str  # "male" | "female"
    service_start: date | None


@dataclass(frozen=True, slots=True)
class LeaveAsk:
    leave_type: LeaveType
    start: date
    end: date
    working_days: int
    child_order: int | None = None
    first_hajj: bool = False
    has_certificate: bool = False


class LeaveRefused(Exception):
    """A rule refuses the request; `code` is stable, `detail` says why (Indonesian)."""

    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


def service_start_from_nip(nip: str) -> date | None:
    """TMT CPNS from NIP digits 9–14 (`YYYYMM`, always the 1st); None if not a date."""
    try:
        return date(int(nip[8:12]), int(nip[12:14]), 1)
    except (ValueError, IndexError):
        return None


def years_of_service(person: Person, on: date) -> int | None:
    if person.service_start is None:
        return None
    return full_years_between(person.service_start, on)


def _require_service(person: Person, on: date, years: int, what: str) -> None:
    served = years_of_service(person, on)
    if served is not None and served < years:
        raise LeaveRefused(
            "service_too_short",
            f"{what} baru dapat diambil setelah {years} tahun masa kerja "
            f"(masa kerja pada {on.isoformat()}: {served} tahun).",
            "leave_type",
        )


def check_request(person: Person, ask: LeaveAsk) -> None:
    """Raise `LeaveRefused` unless the person has a right to this leave as asked."""
    kind = ask.leave_type
    if ask.end < ask.start:
        raise LeaveRefused(
            "dates_out_of_order", "Tanggal selesai sebelum tanggal mulai.", "end_date"
        )
    if kind not in ALLOWED.get(person.asn_type, frozenset()):
        hint = (
            " PPPK dapat memakai cuti tahunan untuk alasan penting."
            if (person.asn_type == "pppk" and kind is LeaveType.ALASAN_PENTING)
            else ""
        )
        raise LeaveRefused(
            "leave_type_not_allowed",
            f"Cuti {kind.value} tidak berlaku bagi {person.asn_type.upper()}.{hint}",
            "leave_type",
        )
    months = MAX_MONTHS.get((person.asn_type, kind))
    if months is not None and ask.end >= add_months(ask.start, months):
        raise LeaveRefused(
            "leave_too_long", f"Cuti {kind.value} paling lama {months} bulan.", "end_date"
        )
    if kind is LeaveType.TAHUNAN:
        _require_service(person, ask.start, TAHUNAN_MIN_SERVICE_YEARS, "Cuti tahunan")
        if ask.start.year != ask.end.year:
            raise LeaveRefused(
                "spans_two_years",
                "Cuti tahunan diajukan per tahun kalender; pisahkan menjadi dua permohonan.",
                "end_date",
            )
    elif kind is LeaveType.BESAR:
        waived = ask.first_hajj or (ask.child_order or 0) >= 4
        if not waived:
            _require_service(person, ask.start, BESAR_MIN_SERVICE_YEARS, "Cuti besar")
    elif kind is LeaveType.SAKIT:
        if (ask.end - ask.start).days >= 1 and not ask.has_certificate:
            raise LeaveRefused(
                "certificate_required",
                "Cuti sakit lebih dari 1 hari memerlukan surat keterangan dokter.",
                "certificate_ref",
            )
    elif kind is LeaveType.MELAHIRKAN:
        if person.sex != "female":
            raise LeaveRefused(
                "leave_type_not_allowed",
                "Cuti melahirkan untuk pegawai perempuan; suami memakai cuti alasan penting.",
                "leave_type",
            )
        if ask.child_order is None or ask.child_order < 1:
            raise LeaveRefused(
                "child_order_required", "Sebutkan anak ke berapa (child_order).", "child_order"
            )
        if ask.child_order > 3:
            use = "cuti besar" if person.asn_type == "pns" else "tidak tersedia bagi PPPK"
            raise LeaveRefused(
                "leave_type_not_allowed",
                f"Cuti melahirkan hanya untuk anak ke-1 sampai ke-3; anak ke-4 dst.: {use}.",
                "child_order",
            )
    elif kind is LeaveType.CLTN:
        _require_service(person, ask.start, CLTN_MIN_SERVICE_YEARS, "CLTN")
    if kind is LeaveType.TAHUNAN and ask.working_days < 1:
        raise LeaveRefused(
            "no_working_days", "Rentang tanggal tidak memuat hari kerja.", "start_date"
        )


# The tahunan ledger -------------------------------------------------------------------

TAKEN, RESTORED, FORFEITED, ADJUSTMENT = "taken", "restored", "forfeited_cuti_besar", "adjustment"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    year: int
    kind: str  # taken | restored | forfeited_cuti_besar | adjustment
    days: int  # signed: taken and forfeited are negative
    on: date
    request_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class YearBalance:
    year: int
    entitlement: int
    carried_over: int
    carry_cap: int
    used: int
    movements: int
    balance: int
    besar_taken: bool
    deferred: bool
    entries: tuple[LedgerEntry, ...] = field(default=())

    @property
    def unused(self) -> bool:
        """Entitled and not a single day used (the condition for the 24-day total)."""
        return self.entitlement > 0 and self.used == 0 and not self.besar_taken


def entitled_in(person: Person, year: int) -> int:
    """12 days in a year in which the person completes (or has) one year of service."""
    if person.service_start is None:
        return TAHUNAN_DAYS
    served = full_years_between(person.service_start, date(year, 12, 31))
    return TAHUNAN_DAYS if served >= TAHUNAN_MIN_SERVICE_YEARS else 0


def carry_over(prev: YearBalance | None, before_prev: YearBalance | None) -> tuple[int, int]:
    """(days carried into the next year, the cap that applied).

    At most 6 unused days (total 18); at most 12 (total 24) when the previous two years
    both went unused or the previous year's tahunan was deferred; nothing after cuti besar.
    """
    if prev is None or prev.besar_taken:
        return 0, 0
    long = prev.deferred or (prev.unused and before_prev is not None and before_prev.unused)
    cap = CARRY_OVER_MAX_LONG if long else CARRY_OVER_MAX
    return min(max(prev.balance, 0), cap), cap


def year_balances(
    person: Person,
    entries: Iterable[LedgerEntry],
    upto_year: int,
    *,
    deferred_years: Iterable[int] = (),
    besar_years: Iterable[int] = (),
    history_years: int | None = None,
) -> list[YearBalance]:
    """Balances from a few years back up to `upto_year`, each with the entries that made it.

    Replayable: the same entries (and rule constants) always give the same balances.
    The history starts at the first year with entries (or `history_years` back): years
    before the service kept a ledger carry nothing over.
    """
    by_year: dict[int, list[LedgerEntry]] = {}
    for entry in entries:
        by_year.setdefault(entry.year, []).append(entry)
    deferred, besar = set(deferred_years), set(besar_years)
    first = min([upto_year - (history_years or 0), *by_year])
    if person.service_start is not None:
        first = max(first, person.service_start.year)
    first = min(first, upto_year)
    result: list[YearBalance] = []
    for year in range(first, upto_year + 1):
        items = tuple(sorted(by_year.get(year, []), key=lambda e: e.on))
        prev = result[-1] if result else None
        before_prev = result[-2] if len(result) > 1 else None
        carried, cap = carry_over(prev, before_prev)
        entitlement = entitled_in(person, year)
        movements = sum(e.days for e in items)
        used = -sum(e.days for e in items if e.kind in (TAKEN, RESTORED))
        result.append(
            YearBalance(
                year=year,
                entitlement=entitlement,
                carried_over=carried,
                carry_cap=cap,
                used=used,
                movements=movements,
                balance=entitlement + carried + movements,
                besar_taken=year in besar or any(e.kind == FORFEITED for e in items),
                deferred=year in deferred,
                entries=items,
            )
        )
    return result


def check_balance(balance: YearBalance, reserved: int, asked: int) -> None:
    """Refuse a tahunan request beyond what is left (pending requests count as reserved)."""
    available = balance.balance - reserved
    if asked > available:
        raise LeaveRefused(
            "insufficient_balance",
            f"Sisa cuti tahunan {balance.year}: {available} hari kerja "
            f"(saldo {balance.balance}, menunggu persetujuan {reserved}); diminta {asked}.",
            "end_date",
        )
