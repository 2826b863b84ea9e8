"""A unit's month in figures for the board and the signal."""

from datetime import date

from aspirasi.domain.figures import ClockFacts, TicketFacts, unit_figures

NOV = "2026-11"
TODAY = date(2026, 12, 1)


def test_an_empty_month():
    figures = unit_figures(NOV, [], [], set(), TODAY)
    assert figures.received == 0
    assert figures.sla_compliance is None
    assert figures.reopen_rate is None
    assert figures.average_rating is None
    assert figures.median_days_to_follow_up is None


def test_figures_over_tickets_and_clocks():
    tickets = [
        TicketFacts(
            received_on=date(2026, 11, 2),
            routed_on=date(2026, 11, 3),
            first_follow_up_on=date(2026, 11, 5),  # 2 working days
            closed_on=date(2026, 11, 20),  # 18 days after receipt
            answered=(date(2026, 11, 6), date(2026, 11, 12)),
            reopened=(date(2026, 11, 9),),
            rating=4,
            rated_on=date(2026, 11, 20),
        ),
        TicketFacts(
            received_on=date(2026, 10, 30),
            routed_on=date(2026, 11, 2),
            first_follow_up_on=date(2026, 11, 9),  # 5 working days
            answered=(date(2026, 11, 10),),
            rating=2,
            rated_on=date(2026, 10, 31),  # another month's rating
        ),
        TicketFacts(received_on=date(2026, 10, 1), routed_on=date(2026, 10, 2)),
    ]
    clocks = [
        ClockFacts(due_on=date(2026, 11, 5), breached_on=None),
        ClockFacts(due_on=date(2026, 11, 6), breached_on=date(2026, 11, 9)),
        ClockFacts(due_on=date(2026, 10, 30), breached_on=date(2026, 11, 2)),
        ClockFacts(due_on=date(2026, 10, 5), breached_on=None),
    ]
    figures = unit_figures(NOV, tickets, clocks, set(), TODAY)
    assert figures.received == 2
    assert figures.resolved == 1
    assert figures.median_days_to_follow_up == 3.5
    assert figures.median_days_to_resolution == 18.0
    assert figures.sla_compliance == round(1 / 3, 4)
    assert figures.reopen_rate == round(1 / 3, 4)
    assert figures.average_rating == 4.0


def test_a_clock_still_running_is_not_counted():
    clocks = [ClockFacts(due_on=date(2026, 11, 30), breached_on=None)]
    assert unit_figures(NOV, [], clocks, set(), date(2026, 11, 20)).sla_compliance is None
