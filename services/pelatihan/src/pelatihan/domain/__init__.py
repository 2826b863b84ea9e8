"""Pure rules of pelatihan: stdlib and asn_schemas only."""
