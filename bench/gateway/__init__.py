"""The gateway benchmark (issue 5): profile reads, check-ins through the gateway, and
commit-to-visible latency of the read model, each beside an anchor on the same stack."""
