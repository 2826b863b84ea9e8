"""Per-request (or per-message) context carried implicitly through async code.

Logs, the unit of work and the outbox read it; middleware and the consumer
runner set it. Kept in contextvars so concurrent requests never mix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog

from servicekit.tracing import TraceParent, new_traceparent

_traceparent: ContextVar[TraceParent | None] = ContextVar("traceparent", default=None)
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_traceparent() -> TraceParent:
    """The active trace; code running outside a request starts a trace of its own."""
    tp = _traceparent.get()
    if tp is None:
        tp = new_traceparent()
        _traceparent.set(tp)
    return tp


def current_request_id() -> str | None:
    return _request_id.get()


@contextmanager
def bound_context(
    *, traceparent: TraceParent | None, request_id: str | None = None, **log_fields: object
) -> Iterator[None]:
    """Bind trace and request id for the duration of a request or a handled message."""
    tp = traceparent or new_traceparent()
    tp_token = _traceparent.set(tp)
    rid_token = _request_id.set(request_id)
    fields: dict[str, object] = {"trace_id": tp.trace_id, "span_id": tp.span_id, **log_fields}
    if request_id is not None:
        fields["request_id"] = request_id
    with structlog.contextvars.bound_contextvars(**fields):
        try:
            yield
        finally:
            _request_id.reset(rid_token)
            _traceparent.reset(tp_token)
