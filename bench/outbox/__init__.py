"""`python -m bench.outbox`: the transactional outbox, relay and inbox consumer on a real stack.

Three measures — pipeline throughput, commit-to-consumed latency, backlog drain — each
printed beside what Kafka's own tools reach on the same broker in the same run.
"""
