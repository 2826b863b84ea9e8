"""Training budgets per OPD and year: BKPSDM allocates; enrolments commit, release and
spend through the ledger, always under the budget line's row lock."""

from __future__ import annotations

from typing import Literal

from asn_schemas.pelatihan import BudgetAllocatedV1, BudgetLine
from servicekit.errors import ProblemError
from servicekit.uow import UnitOfWork

from pelatihan import access, store
from pelatihan.domain.ledger import OverBudget
from pelatihan.models import Enrollment, TrainingBudget


def line_of(b: TrainingBudget) -> BudgetLine:
    return BudgetLine(
        unit_code=b.unit_code,
        year=b.year,
        allocated=b.allocated,
        committed=b.committed,
        spent=b.spent,
        version=b.version,
    )


def _rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def over_budget(exc: OverBudget, unit_code: str, year: int) -> ProblemError:
    return ProblemError(
        409,
        "over_budget",
        "Anggaran pelatihan tidak cukup",
        f"Biaya {_rupiah(exc.needed)} melebihi sisa anggaran pelatihan {unit_code} tahun {year}: "
        f"{_rupiah(max(exc.remaining, 0))}.",
        remaining=max(exc.remaining, 0),
        needed=exc.needed,
    )


async def allocate(uow: UnitOfWork, unit_code: str, year: int, allocated: int) -> TrainingBudget:
    access.require_bkpsdm(uow.actor, "menetapkan anggaran pelatihan")
    unit = await store.unit_by_code(uow.session, unit_code)
    budget = await store.budget_for_update(uow.session, unit_code, year)
    try:
        ledger = store.ledger_of(budget).reallocate(allocated)
    except OverBudget as exc:
        raise ProblemError(
            409,
            "allocation_below_use",
            "Anggaran lebih kecil dari yang sudah dipakai",
            f"Sudah terikat dan terpakai {_rupiah(exc.needed)}; alokasi {_rupiah(allocated)} "
            "tidak cukup.",
            used=exc.needed,
        ) from exc
    store.set_ledger(budget, ledger)
    uow.add_event(
        BudgetAllocatedV1(
            unit_id=unit.id if unit else None, budget=line_of(budget), allocated_by=uow.actor.sub
        ),
        subject=unit_code,
    )
    return budget


async def move(
    uow: UnitOfWork, e: Enrollment, op: Literal["commit", "release", "spend"]
) -> BudgetLine:
    """Move an enrolment's cost on its budget line; returns the line after the move."""
    budget = await store.budget_for_update(uow.session, e.budget_unit_code, e.budget_year)
    ledger = store.ledger_of(budget)
    try:
        if op == "commit":
            ledger = ledger.commit(e.cost)
        elif op == "release":
            ledger = ledger.release(e.cost)
        else:
            ledger = ledger.spend(e.cost)
    except OverBudget as exc:
        raise over_budget(exc, e.budget_unit_code, e.budget_year) from exc
    store.set_ledger(budget, ledger)
    e.cost_state = {"commit": "committed", "release": "released", "spend": "spent"}[op]
    return line_of(budget)
