"""A unit's training budget for a year: allocated, committed (approved, not yet held),
spent (held). BKPSDM's final approval commits the cost; rejection, withdrawal or
cancellation releases it; completion spends it. Amounts are whole rupiah.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


class OverBudget(Exception):
    def __init__(self, needed: int, remaining: int) -> None:
        super().__init__(f"needs {needed}, {remaining} remains")
        self.needed = needed
        self.remaining = remaining


@dataclass(frozen=True, slots=True)
class Ledger:
    allocated: int = 0
    committed: int = 0
    spent: int = 0

    @property
    def remaining(self) -> int:
        return self.allocated - self.committed - self.spent

    def commit(self, amount: int) -> Ledger:
        _amount(amount)
        if amount > self.remaining:
            raise OverBudget(amount, self.remaining)
        return replace(self, committed=self.committed + amount)

    def release(self, amount: int) -> Ledger:
        _amount(amount)
        if amount > self.committed:
            raise ValueError("cannot release more than is committed")
        return replace(self, committed=self.committed - amount)

    def spend(self, amount: int) -> Ledger:
        """A committed cost becomes spent (the participant held the seat)."""
        _amount(amount)
        if amount > self.committed:
            raise ValueError("cannot spend more than is committed")
        return replace(self, committed=self.committed - amount, spent=self.spent + amount)

    def reallocate(self, allocated: int) -> Ledger:
        """A new allocation may not fall below what is already committed or spent."""
        _amount(allocated)
        if allocated < self.committed + self.spent:
            raise OverBudget(self.committed + self.spent, allocated)
        return replace(self, allocated=allocated)


def _amount(value: int) -> None:
    if value < 0:
        raise ValueError("amounts are ≥ 0")
