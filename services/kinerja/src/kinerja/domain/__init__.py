"""Pure rules of performance management (DOMAIN 1.8): no I/O, unit-tested."""
