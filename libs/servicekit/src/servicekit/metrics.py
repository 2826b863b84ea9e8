"""Prometheus metrics of the building blocks; each service process exposes them at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"]
)
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Outbox events acknowledged by Kafka")
RELAY_FAILURES = Counter(
    "outbox_relay_failures_total", "Relay batches that failed and will be retried", ["reason"]
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total", "Events handled by a consumer group", ["group", "outcome"]
)
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered_total", "Events sent to a dead-letter topic", ["group"]
)
CONSUMER_RETRIES = Counter(
    "consumer_retries_total",
    "Failed attempts to apply an event that will be tried again",
    ["group", "reason"],
)
