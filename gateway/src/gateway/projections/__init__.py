"""Projections of the event stream into the read model, shared by the live consumer and
the rebuild: `apply_event` is the one entry point."""

from gateway.projections.apply import HANDLED_TYPES, apply_event, consumer_specs

__all__ = ["HANDLED_TYPES", "apply_event", "consumer_specs"]
