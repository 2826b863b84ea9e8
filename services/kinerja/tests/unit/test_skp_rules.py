"""The SKP state machine, the split on mutasi, periods, raters, keberatan, distribution."""

from datetime import date

import pytest
from asn_schemas.kinerja import PeriodKind, Predikat
from kinerja.domain.distribution_rules import OrganisationPredikat, distribution_warnings
from kinerja.domain.objection import objection_deadline, within_deadline
from kinerja.domain.periods import clipped_period, period_bounds
from kinerja.domain.raters import may_rate, objection_decider, rater_of
from kinerja.domain.skp import (
    TRANSITIONS,
    SkpAction,
    SkpStatus,
    TransitionRefused,
    next_status,
    split_at,
)

D, S, A, R = SkpStatus.DRAFT, SkpStatus.SUBMITTED, SkpStatus.APPROVED, SkpStatus.RETURNED


def test_the_happy_path_and_the_way_back():
    status = D
    for action, expected in [
        (SkpAction.EDIT, D),
        (SkpAction.SUBMIT, S),
        (SkpAction.RETURN, R),
        (SkpAction.EDIT, R),
        (SkpAction.SUBMIT, S),
        (SkpAction.APPROVE, A),
    ]:
        status = next_status(status, action)
        assert status is expected


@pytest.mark.parametrize("status", list(SkpStatus))
@pytest.mark.parametrize("action", list(SkpAction))
def test_every_other_transition_is_refused(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) is TRANSITIONS[(status, action)]
    else:
        with pytest.raises(TransitionRefused):
            next_status(status, action)


def test_an_approved_skp_is_final():
    for action in SkpAction:
        with pytest.raises(TransitionRefused):
            next_status(A, action)


def test_a_mid_year_change_splits_the_skp():
    cut = split_at(date(2026, 1, 1), date(2026, 12, 31), date(2026, 7, 1))
    assert cut is not None
    assert cut.earlier_end == date(2026, 6, 30)
    assert (cut.new_start, cut.new_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert split_at(date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 1)) is None
    assert split_at(date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1)) is None


def test_quarterly_and_monthly_periods():
    assert period_bounds(PeriodKind.QUARTERLY, 2026, 2) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_bounds(PeriodKind.MONTHLY, 2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds(PeriodKind.ANNUAL, 2026, None) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError, match="numbered"):
        period_bounds(PeriodKind.QUARTERLY, 2026, 5)
    with pytest.raises(ValueError, match="no number"):
        period_bounds(PeriodKind.ANNUAL, 2026, 1)


def test_a_period_is_clipped_to_the_skp():
    span = (date(2026, 7, 15), date(2026, 12, 31))
    q3 = clipped_period(PeriodKind.QUARTERLY, 2026, 3, span)
    assert q3 is not None and (q3.start, q3.end) == (date(2026, 7, 15), date(2026, 9, 30))
    assert clipped_period(PeriodKind.QUARTERLY, 2026, 1, span) is None


def test_raters():
    chain = ["B", "C", "D"]
    assert rater_of(chain, {"B": "aktif", "C": "aktif"}) == "B"
    assert rater_of(chain, {"B": "cltn", "C": "aktif"}) == "C"  # the next one up
    assert rater_of(chain, {"B": "pensiun"}) is None
    assert rater_of([], {}) is None
    assert may_rate("B", "A", chain, {"B": "aktif"})
    assert not may_rate("C", "A", chain, {"B": "aktif", "C": "aktif"})
    assert not may_rate("A", "A", ["A"], {"A": "aktif"})
    assert objection_decider("B", ["C", "D"], {"C": "aktif", "D": "aktif"}) == "C"
    assert objection_decider("B", ["C", "D"], {"C": "pensiun", "D": "aktif"}) == "D"
    assert objection_decider("B", [], {}) is None


def test_the_objection_window():
    finalized = date(2026, 1, 20)
    assert objection_deadline(finalized, 14) == date(2026, 2, 3)
    assert within_deadline(finalized, date(2026, 2, 3), 14)
    assert not within_deadline(finalized, date(2026, 2, 4), 14)
    assert not within_deadline(finalized, date(2026, 1, 19), 14)


def test_distribution_warns_but_the_limits_are_data():
    org = OrganisationPredikat
    sb, b, bp = Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN
    assert [w.code for w in distribution_warnings(org.ISTIMEWA, {sb: 8, b: 2})] == [
        "sangat_baik_above_max"
    ]
    assert distribution_warnings(org.ISTIMEWA, {sb: 7, b: 3}) == []
    codes = [w.code for w in distribution_warnings(org.BAIK, {b: 8, sb: 2})]
    assert codes == ["baik_above_max", "needs_improvement_missing"]
    assert distribution_warnings(org.BAIK, {b: 7, sb: 2, bp: 1}) == []
    codes = [w.code for w in distribution_warnings(org.SANGAT_KURANG, {sb: 1, b: 1})]
    assert codes == ["sangat_kurang_below_min", "sangat_baik_not_allowed"]
    assert distribution_warnings(org.KURANG, {b: 10}) == []  # no numbers known (⚠)
    assert distribution_warnings(org.BAIK, {}) == []
