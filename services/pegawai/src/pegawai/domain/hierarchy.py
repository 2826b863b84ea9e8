"""Supervisor chains and unit trees must stay trees: a change that closes a loop is refused."""

from __future__ import annotations

from collections.abc import Sequence


def closes_cycle(subject: str, new_parent: str | None, parent_chain: Sequence[str]) -> bool:
    """Would making `new_parent` the parent of `subject` form a cycle?

    `parent_chain` is `new_parent`'s ancestry upwards (its parent, grandparent, …) as
    stored now; a cycle forms exactly when `subject` is `new_parent` or among them.
    """
    if new_parent is None:
        return False
    return new_parent == subject or subject in parent_chain


def chain_from(start: str, parent_of: dict[str, str | None], limit: int = 10_000) -> list[str]:
    """Walk `parent_of` upwards from `start` (excluded); stops at a root or an existing loop."""
    chain: list[str] = []
    seen = {start}
    current = parent_of.get(start)
    while current is not None and current not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current)
        current = parent_of.get(current)
    return chain
