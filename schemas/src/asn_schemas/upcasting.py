"""Adapters that let a consumer written for `vN` of an event type read `vN-1` events.

A breaking change to an event is a new type version, published beside the old one for a
deprecation window (DESIGN.md, Events), and the topics keep every old event for ever. A
consumer built for the new version registers one adapter per step (`v1 → v2`, `v2 → v3`),
each a plain function from the old `data` to the new; `EventReader` chains them, so a
consumer only ever handles the version it was written for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Adapt = Callable[[Mapping[str, Any]], dict[str, Any]]
"""Old `data` → new `data`; must not change its argument."""


@dataclass(frozen=True)
class Upcaster:
    """One step between two versions of one event type."""

    from_type: str
    to_type: str
    adapt: Adapt

    def __post_init__(self) -> None:
        old_base, _, old_version = self.from_type.rpartition(".v")
        new_base, _, new_version = self.to_type.rpartition(".v")
        if old_base != new_base or not old_version.isdigit() or not new_version.isdigit():
            raise ValueError(f"{self.from_type} → {self.to_type} is not one event type")
        if int(new_version) != int(old_version) + 1:
            raise ValueError(f"{self.from_type} → {self.to_type} must be one version up")


class Upcasters:
    """The registered steps, by the type they start from."""

    def __init__(self, steps: Iterable[Upcaster] = ()) -> None:
        self._steps: dict[str, Upcaster] = {}
        for step in steps:
            self.register(step)

    def register(self, step: Upcaster) -> None:
        if step.from_type in self._steps:
            raise ValueError(f"an upcaster from {step.from_type} is registered already")
        self._steps[step.from_type] = step

    def starts_at(self, event_type: str) -> bool:
        """Whether a step leads up from this type."""
        return event_type in self._steps

    def path(self, from_type: str, wanted: Iterable[str]) -> list[Upcaster] | None:
        """The steps from `from_type` to the first wanted type up the chain, or None."""
        targets = set(wanted)
        steps: list[Upcaster] = []
        current = from_type
        while current in self._steps:
            step = self._steps[current]
            steps.append(step)
            current = step.to_type
            if current in targets:
                return steps
        return None

    def __len__(self) -> int:
        return len(self._steps)


def apply(steps: Iterable[Upcaster], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` carried through each step in order."""
    result = dict(data)
    for step in steps:
        result = step.adapt(result)
    return result


UPCASTERS = Upcasters()
"""The suite's own adapters. Empty while every event type is at v1: the first `v2` of a
type registers its `v1 → v2` step here, in the same change."""
