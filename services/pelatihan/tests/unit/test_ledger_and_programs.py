"""The budget ledger and the program life cycle, at their edges."""

from datetime import date

import pytest
from asn_schemas.kinerja import CoreValue, Rating
from pelatihan.domain.ledger import Ledger, OverBudget
from pelatihan.domain.needs_rules import HASIL_KERJA, competencies_needed, matches
from pelatihan.domain.programs_rules import Action, ProgramStatus, agreement_covers, next_status


def test_commit_up_to_exactly_the_remaining_amount():
    ledger = Ledger(allocated=10_000_000).commit(6_000_000).commit(4_000_000)
    assert (ledger.committed, ledger.remaining) == (10_000_000, 0)


def test_one_rupiah_over_is_refused_with_what_remains():
    ledger = Ledger(allocated=10_000_000, committed=6_000_000, spent=1_000_000)
    with pytest.raises(OverBudget) as caught:
        ledger.commit(3_000_001)
    assert (caught.value.needed, caught.value.remaining) == (3_000_001, 3_000_000)


def test_release_and_spend_move_money_from_committed():
    ledger = Ledger(allocated=10, committed=8)
    assert ledger.release(3) == Ledger(10, 5, 0)
    assert ledger.spend(8) == Ledger(10, 0, 8)
    with pytest.raises(ValueError, match="release more"):
        ledger.release(9)


def test_a_reallocation_may_not_drop_below_what_is_used():
    ledger = Ledger(allocated=10, committed=4, spent=3)
    assert ledger.reallocate(7).remaining == 0
    with pytest.raises(OverBudget):
        ledger.reallocate(6)


def test_a_free_program_needs_no_budget():
    assert Ledger().commit(0) == Ledger()


def test_program_transitions():
    assert next_status(ProgramStatus.DRAFT, Action.PUBLISH) is ProgramStatus.PUBLISHED
    assert next_status(ProgramStatus.PUBLISHED, Action.START) is ProgramStatus.RUNNING
    assert next_status(ProgramStatus.PUBLISHED, Action.COMPLETE) is None
    assert next_status(ProgramStatus.COMPLETED, Action.CANCEL) is None
    assert next_status(ProgramStatus.RUNNING, Action.CANCEL) is ProgramStatus.CANCELLED


def test_the_agreement_must_cover_every_day_of_the_program():
    assert agreement_covers(
        date(2026, 1, 1), date(2026, 6, 30), date(2026, 1, 1), date(2026, 6, 30)
    )
    assert not agreement_covers(
        date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 1), date(2026, 7, 1)
    )


def test_needs_from_an_appraisal():
    perilaku = [
        (CoreValue.AKUNTABEL, Rating.DI_BAWAH_EKSPEKTASI),
        (CoreValue.LOYAL, Rating.SESUAI_EKSPEKTASI),
    ]
    assert competencies_needed(Rating.DI_BAWAH_EKSPEKTASI, perilaku) == [HASIL_KERJA, "akuntabel"]
    assert competencies_needed(Rating.SESUAI_EKSPEKTASI, perilaku[1:]) == []
    assert matches(["Akuntabel", "pengadaan"], ["akuntabel"])
    assert not matches(["pengadaan"], [HASIL_KERJA])
