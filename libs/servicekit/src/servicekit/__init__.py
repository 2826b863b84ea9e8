"""Building blocks shared by every service of the ASN suite.

Settings, JSON logs with trace context, the unit of work with its transactional
outbox, the outbox relay, the consumer runner with its inbox and dead letters,
JWT auth and the web defaults (problem+json, health, metrics).
"""
