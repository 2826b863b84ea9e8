"""JP counting (20 a year, flagged from Q3) and the published ranking, at their edges."""

from datetime import UTC, date, datetime

from pelatihan.domain.jp import Credit, compliance, flagged, tally
from pelatihan.domain.ranking import Candidate, rank, score


def test_jp_counts_in_the_year_the_learning_ended_both_kinds():
    credits = [
        Credit(12, True, date(2026, 3, 1)),
        Credit(8, False, date(2026, 12, 31)),
        Credit(30, True, date(2025, 12, 31)),  # last year
    ]
    t = tally(credits, 2026)
    assert (t.klasikal, t.non_klasikal, t.total, t.shortfall, t.compliant) == (12, 8, 20, 0, True)


def test_nineteen_is_short_by_one():
    t = tally([Credit(19, False, date(2026, 1, 5))], 2026)
    assert (t.shortfall, t.compliant) == (1, False)


def test_flagged_from_the_third_quarter_and_after_the_year():
    t = tally([], 2026)
    assert not flagged(t, date(2026, 6, 30))
    assert flagged(t, date(2026, 7, 1))
    assert flagged(t, date(2027, 1, 2))
    assert not flagged(tally([Credit(20, True, date(2026, 2, 1))], 2026), date(2026, 12, 1))


def test_compliance_share():
    c = compliance({"a": 20, "b": 19, "c": 0, "d": 40})
    assert (c.staff, c.compliant, c.share) == (4, 2, 0.5)
    assert compliance({}).share == 1.0


TODAY = date(2026, 8, 1)


def at(minute: int) -> datetime:
    return datetime(2026, 5, 1, 8, minute, tzinfo=UTC)


def test_score_parts():
    never = Candidate("a", jp_this_year=5, open_need=True, last_training=None, requested_at=at(0))
    s = score(never, TODAY)
    assert (s.jp_shortfall, s.training_need, s.years_since_training, s.total) == (15, 10, 10, 35)
    recent = Candidate("b", 25, False, date(2025, 8, 2), at(0))
    assert score(recent, TODAY).total == 0  # not yet a full year ago
    long_ago = Candidate("c", 0, False, date(2010, 1, 1), at(0))
    assert score(long_ago, TODAY).years_since_training == 10  # capped


def test_rank_fills_the_quota_by_score_then_request_time_and_held_seats_stay():
    low_held = Candidate("held", 40, False, date(2026, 3, 1), at(9), held=True)
    high = Candidate("high", 0, True, None, at(5))
    tie_late = Candidate("late", 10, False, date(2024, 7, 1), at(3))
    tie_early = Candidate("early", 10, False, date(2024, 7, 1), at(1))
    ranked = rank([tie_late, high, low_held, tie_early], quota=3, today=TODAY)
    assert [r.candidate.key for r in ranked] == ["held", "high", "early", "late"]
    assert [r.within_quota for r in ranked] == [True, True, True, False]
    assert [r.position for r in ranked] == [1, 2, 3, 4]
