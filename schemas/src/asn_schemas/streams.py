"""Where each event type travels and who reads it: topic, Kafka key, producer, consumers.

The one place that says so (DESIGN.md, Events). The AsyncAPI document and the catalogue
page are generated from it, and a suite test checks `CONSUMERS` against the handlers the
services and the gateway actually register, so the catalogue cannot drift from the code.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from asn_schemas.aspirasi import UnitSignalComputedV1
from asn_schemas.base import EventPayload
from asn_schemas.kinerja import AppraisalFinalizedV1
from asn_schemas.pegawai import PEGAWAI_EVENTS, UnitCreatedV1, UnitUpdatedV1
from asn_schemas.pelatihan import TrainingCompletedV1
from asn_schemas.presensi import HolidayDeclaredV1, HolidayRemovedV1
from asn_schemas.registry import EVENT_TYPES

PRODUCERS: tuple[str, ...] = ("pegawai", "kinerja", "pelatihan", "presensi", "aspirasi")
"""The producing services, each with one topic."""


def topic_for(service: str) -> str:
    """A producing service's topic: `<service>.events`."""
    return f"{service}.events"


def producer_of(event_type: str) -> str:
    """The producing service: the first segment of the type."""
    return event_type.split(".", 1)[0]


def topic_of(event_type: str) -> str:
    return topic_for(producer_of(event_type))


@dataclass(frozen=True)
class KeySpec:
    """The Kafka message key (= the envelope's `subject`) of an event type.

    `template` names payload fields (dotted paths) in `str.format` style, so the key of
    any payload can be computed and checked; `meaning` says it in words.
    """

    template: str
    meaning: str

    def fields(self) -> list[str]:
        return [f for _, f, _, _ in string.Formatter().parse(self.template) if f]

    def key_of(self, payload: EventPayload) -> str:
        data = payload.model_dump(mode="json")
        values = {f: str(_lookup(data, f)) for f in self.fields()}
        out = self.template
        for name, value in values.items():
            out = out.replace("{" + name + "}", value)
        return out


def _lookup(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[part]
    return value


_NIP = KeySpec("{nip}", "the employee's NIP, so that one person's events stay in order")
# First match wins (prefixes of the type); the rest are about one employee.
_KEYS: tuple[tuple[str, KeySpec], ...] = (
    ("pegawai.unit.", KeySpec("{unit.code}", "the unit code")),
    ("pegawai.employee.", KeySpec("{employee.nip}", _NIP.meaning)),
    ("presensi.calendar.", KeySpec("{date}", "the calendar date, YYYY-MM-DD")),
    ("presensi.roster.", KeySpec("{unit_code}/{month}", "the unit code and month, `UNIT/YYYY-MM`")),
    ("aspirasi.submission.", KeySpec("{submission.code}", "the ticket code")),
    ("aspirasi.sla.", KeySpec("{code}", "the ticket code")),
    ("aspirasi.forum.", KeySpec("{forum_id}", "the forum session's id")),
    ("aspirasi.unit.", KeySpec("{unit_code}", "the unit code")),
    ("pelatihan.program.", KeySpec("{program_id}", "the program's id")),
    ("pelatihan.budget.", KeySpec("{budget.unit_code}", "the unit code of the budget")),
    ("", _NIP),
)


def key_spec(event_type: str) -> KeySpec:
    return next(spec for prefix, spec in _KEYS if event_type.startswith(prefix))


def event_key(payload: EventPayload) -> str:
    """The Kafka key (and `subject`) a producer uses for this payload."""
    return key_spec(payload.event_type).key_of(payload)


def _types(*models: type[EventPayload]) -> frozenset[str]:
    return frozenset(m.event_type for m in models)


_NOT_PROJECTED = frozenset({"aspirasi.forum.held.v1", "presensi.discipline.threshold_reached.v1"})

CONSUMERS: dict[str, frozenset[str]] = {
    "pegawai": _types(AppraisalFinalizedV1, TrainingCompletedV1),
    "kinerja": _types(*PEGAWAI_EVENTS, UnitSignalComputedV1),
    "pelatihan": _types(*PEGAWAI_EVENTS, AppraisalFinalizedV1),
    "presensi": _types(*PEGAWAI_EVENTS),
    "aspirasi": _types(UnitCreatedV1, UnitUpdatedV1, HolidayDeclaredV1, HolidayRemovedV1),
    "gateway": frozenset(EVENT_TYPES) - _NOT_PROJECTED,
}
"""Consumer group → the event types it handles (others on its topics it skips)."""

CONSUMER_PURPOSES: dict[str, str] = {
    "pegawai": "promotion eligibility from final predikat; leadership training for the DUK",
    "kinerja": "the employee and unit replica; citizens' unit signals as organisation context",
    "pelatihan": "the employee and unit replica; training needs from final appraisals",
    "presensi": "the employee and unit replica (who works where, under whom)",
    "aspirasi": "the units tickets are routed to; the holiday calendar for SLA working days",
    "gateway": "the portal's read model: profiles, dashboards, inbox, search",
}


def consumers_of(event_type: str) -> list[str]:
    """The consumer groups of the suite that handle this type, by name."""
    return sorted(group for group, types in CONSUMERS.items() if event_type in types)


def topics_consumed(group: str) -> list[str]:
    """The topics a consumer group has to subscribe to for its types."""
    return sorted({topic_of(t) for t in CONSUMERS[group]})


def meaning_of(event_type: str) -> str:
    """What the event says, from its model's own docstring (first paragraph, one line)."""
    doc = EVENT_TYPES[event_type].__dict__.get("__doc__") or ""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())
