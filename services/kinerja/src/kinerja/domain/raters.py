"""Who rates whom: the direct supervisor, or the next one up when the direct one is absent
(not in service) or for a keberatan (DOMAIN 1.8). Nobody rates themselves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

ACTIVE = "aktif"


def rater_of(chain: Sequence[str], status: Mapping[str, str]) -> str | None:
    """The first person up the supervisor chain (direct supervisor first) who is in active
    service; None when there is nobody (the top of the tree, or nobody present)."""
    for nip in chain:
        if status.get(nip) == ACTIVE:
            return nip
    return None


def may_rate(who: str, employee: str, chain: Sequence[str], status: Mapping[str, str]) -> bool:
    return who != employee and rater_of(chain, status) == who


def objection_decider(
    rater: str, rater_chain: Sequence[str], status: Mapping[str, str]
) -> str | None:
    """The atasan pejabat penilai: the first active person above the rater."""
    decider = rater_of(rater_chain, status)
    return decider if decider != rater else None
