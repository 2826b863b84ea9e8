"""asn_schemas."""
