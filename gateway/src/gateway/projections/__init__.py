"""Projections of the event stream into the read model, shared by the live consumer and
the rebuild: `apply_events` (a batch, in order) and `apply_event` are the entry points."""

from gateway.projections.apply import (
    HANDLED_TYPES,
    apply_event,
    apply_events,
    consumer_specs,
    purge_applied_events,
)

__all__ = ["HANDLED_TYPES", "apply_event", "apply_events", "consumer_specs", "purge_applied_events"]
