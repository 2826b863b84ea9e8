"""Pure rules: working days, clocks, transitions, privacy, tickets (stdlib and asn_schemas only)."""
