from datetime import date

import pytest
from asn_schemas.presensi import LeaveType
from presensi.domain.leave_rules import (
    FORFEITED,
    RESTORED,
    TAKEN,
    LeaveAsk,
    LeaveRefused,
    LedgerEntry,
    Person,
    check_balance,
    check_request,
    service_start_from_nip,
    year_balances,
)

PNS = Person("198503152010011001", "pns", "female", date(2010, 1, 1))
PPPK = Person("199001012022012001", "pppk", "female", date(2022, 1, 1))
NEW_PNS = Person("199801012024121001", "pns", "male", date(2024, 12, 1))


def ask(kind: LeaveType, start: date, end: date, days: int = 3, **kw: object) -> LeaveAsk:
    return LeaveAsk(kind, start, end, days, **kw)  # type: ignore[arg-type]


def refused(person: Person, a: LeaveAsk) -> str:
    with pytest.raises(LeaveRefused) as info:
        check_request(person, a)
    return info.value.code


def test_service_start_from_nip() -> None:
    assert service_start_from_nip("198503152010011001") == date(2010, 1, 1)
    assert service_start_from_nip("198503152022211001") is None  # NI PPPK "2022 21"


def test_tahunan_needs_one_year_and_one_calendar_year() -> None:
    assert refused(NEW_PNS, ask(LeaveType.TAHUNAN, date(2025, 3, 3), date(2025, 3, 5))) == (
        "service_too_short"
    )
    check_request(NEW_PNS, ask(LeaveType.TAHUNAN, date(2025, 12, 1), date(2025, 12, 2)))
    assert refused(PNS, ask(LeaveType.TAHUNAN, date(2025, 12, 30), date(2026, 1, 2))) == (
        "spans_two_years"
    )
    assert refused(PNS, ask(LeaveType.TAHUNAN, date(2025, 3, 8), date(2025, 3, 9), 0)) == (
        "no_working_days"
    )
    assert refused(PNS, ask(LeaveType.TAHUNAN, date(2025, 3, 9), date(2025, 3, 8))) == (
        "dates_out_of_order"
    )


def test_pppk_differences() -> None:
    for kind in (LeaveType.BESAR, LeaveType.ALASAN_PENTING, LeaveType.CLTN):
        assert refused(PPPK, ask(kind, date(2025, 3, 3), date(2025, 3, 5))) == (
            "leave_type_not_allowed"
        )
    check_request(PPPK, ask(LeaveType.TAHUNAN, date(2025, 3, 3), date(2025, 3, 5)))
    sick_month = ask(LeaveType.SAKIT, date(2025, 3, 3), date(2025, 4, 2), has_certificate=True)
    check_request(PPPK, sick_month)
    too_long = ask(LeaveType.SAKIT, date(2025, 3, 3), date(2025, 4, 3), has_certificate=True)
    assert refused(PPPK, too_long) == "leave_too_long"
    check_request(PNS, too_long)  # PNS: up to a year
    year = ask(LeaveType.SAKIT, date(2025, 3, 3), date(2026, 3, 3), has_certificate=True)
    assert refused(PNS, year) == "leave_too_long"


def test_sakit_needs_certificate_beyond_one_day() -> None:
    check_request(PNS, ask(LeaveType.SAKIT, date(2025, 3, 3), date(2025, 3, 3), 1))
    assert refused(PNS, ask(LeaveType.SAKIT, date(2025, 3, 3), date(2025, 3, 4))) == (
        "certificate_required"
    )


def test_besar_five_years_waivers_and_three_months() -> None:
    junior = Person("199001012020011001", "pns", "male", date(2020, 1, 1))
    besar = ask(LeaveType.BESAR, date(2024, 3, 1), date(2024, 5, 31))
    assert refused(junior, besar) == "service_too_short"
    check_request(
        junior, ask(LeaveType.BESAR, date(2024, 3, 1), date(2024, 5, 31), first_hajj=True)
    )
    check_request(PNS, besar)
    assert refused(PNS, ask(LeaveType.BESAR, date(2024, 3, 1), date(2024, 6, 1))) == (
        "leave_too_long"
    )


def test_melahirkan_first_to_third_child() -> None:
    base = {"kind": LeaveType.MELAHIRKAN, "start": date(2025, 3, 1), "end": date(2025, 5, 31)}
    check_request(PNS, ask(**base, child_order=3))  # type: ignore[arg-type]
    assert refused(PNS, ask(**base, child_order=4)) == "leave_type_not_allowed"  # type: ignore[arg-type]
    assert refused(PNS, ask(**base)) == "child_order_required"  # type: ignore[arg-type]
    check_request(PPPK, ask(**base, child_order=1))  # type: ignore[arg-type]
    man = Person("198503152010011001", "pns", "male", date(2010, 1, 1))
    assert refused(man, ask(**base, child_order=1)) == "leave_type_not_allowed"  # type: ignore[arg-type]


def test_cltn_and_alasan_penting() -> None:
    junior = Person("199001012022011001", "pns", "male", date(2022, 1, 1))
    cltn = ask(LeaveType.CLTN, date(2025, 3, 1), date(2026, 2, 28))
    assert refused(junior, cltn) == "service_too_short"
    check_request(PNS, cltn)
    assert refused(PNS, ask(LeaveType.CLTN, date(2025, 3, 1), date(2028, 3, 1))) == (
        "leave_too_long"
    )
    check_request(PNS, ask(LeaveType.ALASAN_PENTING, date(2025, 3, 1), date(2025, 3, 31)))
    assert refused(PNS, ask(LeaveType.ALASAN_PENTING, date(2025, 3, 1), date(2025, 4, 1))) == (
        "leave_too_long"
    )


def taken(year: int, days: int) -> LedgerEntry:
    return LedgerEntry(year, TAKEN, -days, date(year, 6, 1))


def test_first_year_twelve_days() -> None:
    [b] = year_balances(PNS, [], 2025, history_years=0)
    assert (b.entitlement, b.carried_over, b.balance) == (12, 0, 12)


def test_carry_over_capped_at_six_total_eighteen() -> None:
    balances = year_balances(PNS, [taken(2023, 3), taken(2024, 2)], 2025, history_years=2)
    # 2023: 12-3 = 9; 2024: 12 + min(9, 6) - 2 = 16; 2025: 12 + min(16, 6) = 18
    assert [b.balance for b in balances] == [9, 16, 18]
    assert balances[-1].carry_cap == 6


def test_two_unused_years_allow_twenty_four() -> None:
    balances = year_balances(PNS, [taken(2022, 1)], 2025, history_years=3)
    # 2022 used; 2023 and 2024 unused → 2025 may carry up to 12.
    assert [b.balance for b in balances] == [11, 18, 18, 24]
    assert balances[-1].carried_over == 12 and balances[-1].carry_cap == 12
    # Only one unused year → 18.
    one = year_balances(PNS, [taken(2022, 1), taken(2023, 1)], 2025, history_years=3)
    assert one[-1].balance == 18


def test_partial_remainder_carries_at_most_six() -> None:
    balances = year_balances(PNS, [taken(2024, 10)], 2025, history_years=1)
    assert balances[-1].carried_over == 2 and balances[-1].balance == 14


def test_deferred_year_lifts_cap_to_twenty_four() -> None:
    balances = year_balances(PNS, [taken(2023, 12)], 2025, deferred_years=[2024], history_years=2)
    assert balances[-1].balance == 24


def test_cuti_besar_forfeits_tahunan_and_carries_nothing() -> None:
    entries = [LedgerEntry(2024, FORFEITED, -12, date(2024, 3, 1))]
    balances = year_balances(PNS, entries, 2025, history_years=1)
    assert balances[0].balance == 0 and balances[0].besar_taken
    assert balances[1].carried_over == 0 and balances[1].balance == 12


def test_restored_days_return_and_do_not_count_as_used() -> None:
    entries = [taken(2025, 3), LedgerEntry(2025, RESTORED, 3, date(2025, 6, 2))]
    [b] = year_balances(PNS, entries, 2025, history_years=0)
    assert b.balance == 12 and b.used == 0


def test_no_entitlement_before_one_year_and_pppk_same_caps() -> None:
    [b] = year_balances(NEW_PNS, [], 2024, history_years=0)
    assert b.entitlement == 0
    balances = year_balances(PPPK, [taken(2023, 1)], 2025, history_years=2)
    assert balances[-1].balance == 18


def test_balance_check_counts_pending_and_says_the_balance() -> None:
    [b] = year_balances(PNS, [taken(2025, 8)], 2025, history_years=0)
    check_balance(b, reserved=2, asked=2)
    with pytest.raises(LeaveRefused) as info:
        check_balance(b, reserved=2, asked=3)
    assert info.value.code == "insufficient_balance" and "2 hari" in info.value.detail
