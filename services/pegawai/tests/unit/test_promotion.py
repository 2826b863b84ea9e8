from datetime import date

import pytest
from asn_schemas.golongan import GolonganPns
from asn_schemas.kinerja import Predikat
from asn_schemas.pegawai import AsnType, EmployeeStatus
from pegawai.domain.golongan import Education, next_golongan
from pegawai.domain.promotion import Penalty, PromotionFacts, regular_promotion_reasons

PERIOD = date(2026, 4, 1)
GOOD = {2025: Predikat.BAIK, 2024: Predikat.SANGAT_BAIK}


def facts(**overrides) -> PromotionFacts:
    base = dict(
        asn_type=AsnType.PNS,
        status=EmployeeStatus.AKTIF,
        golongan="III/b",
        tmt_golongan=date(2022, 4, 1),
        education=Education.S1,
        ujian_dinas=0,
        annual_predikat=GOOD,
        penalties=(),
    )
    base.update(overrides)
    return PromotionFacts(**base)


def codes(f: PromotionFacts, period: date = PERIOD) -> list[str]:
    return [r.code for r in regular_promotion_reasons(f, period)]


def test_exactly_four_years_is_eligible():
    assert codes(facts()) == []


def test_four_years_minus_a_day_is_not():
    assert codes(facts(tmt_golongan=date(2022, 4, 2))) == ["min_years_in_golongan"]


def test_leap_day_tmt_reaches_four_years_on_the_next_leap_day():
    f = facts(
        tmt_golongan=date(2024, 2, 29), annual_predikat={2027: Predikat.BAIK, 2026: Predikat.BAIK}
    )
    assert codes(f, date(2028, 3, 1)) == []
    assert codes(f, date(2028, 2, 1)) == ["min_years_in_golongan"]


def test_a_missing_year_of_appraisal_is_named():
    reasons = regular_promotion_reasons(facts(annual_predikat={2025: Predikat.BAIK}), PERIOD)
    assert [r.code for r in reasons] == ["appraisal_missing"]
    assert "2024" in reasons[0].detail


def test_an_appraisal_older_than_the_last_two_years_does_not_count():
    f = facts(annual_predikat={2025: Predikat.BAIK, 2023: Predikat.BAIK})
    assert codes(f) == ["appraisal_missing"]


@pytest.mark.parametrize(
    "predikat", [Predikat.BUTUH_PERBAIKAN, Predikat.KURANG_MISCONDUCT, Predikat.SANGAT_KURANG]
)
def test_predikat_below_baik(predikat):
    f = facts(annual_predikat={2025: Predikat.BAIK, 2024: predikat})
    assert codes(f) == ["predikat_below_baik"]


def test_active_penalty_blocks_and_an_ended_one_does_not():
    assert codes(facts(penalties=(Penalty(date(2026, 1, 1), date(2027, 1, 1)),))) == [
        "active_penalty"
    ]
    assert codes(facts(penalties=(Penalty(date(2025, 1, 1), date(2026, 4, 1)),))) == []
    assert codes(facts(penalties=(Penalty(date(2026, 1, 1), None),))) == ["active_penalty"]


def test_education_ceiling():
    # S1 tops out at III/d for regular promotion.
    assert codes(facts(golongan="III/d")) == ["education_ceiling", "ujian_dinas"]
    assert codes(facts(golongan="III/d", education=Education.S2, ujian_dinas=2)) == []
    assert codes(facts(golongan="II/a", education=Education.SD)) == ["education_ceiling"]


def test_ujian_dinas_needed_to_cross_into_the_next_golongan():
    f = facts(golongan="II/d", education=Education.SLTA)
    assert codes(f) == ["ujian_dinas"]
    assert codes(facts(golongan="II/d", education=Education.SLTA, ujian_dinas=1)) == []


def test_iv_e_is_the_top():
    assert codes(facts(golongan="IV/e", education=Education.S3)) == ["golongan_at_top"]
    assert next_golongan(GolonganPns.IV_E) is None
    assert next_golongan(GolonganPns.II_D) is GolonganPns.III_A


def test_pppk_has_no_promotion():
    assert codes(facts(asn_type=AsnType.PPPK, golongan="IX")) == ["pppk_no_promotion"]


def test_retired_employee_is_not_eligible():
    assert codes(facts(status=EmployeeStatus.PENSIUN)) == ["not_active"]


def test_all_failures_are_listed_together():
    f = facts(
        tmt_golongan=date(2023, 1, 1),
        annual_predikat={},
        penalties=(Penalty(date(2026, 1, 1), None),),
    )
    assert codes(f) == [
        "min_years_in_golongan",
        "appraisal_missing",
        "appraisal_missing",
        "active_penalty",
    ]
