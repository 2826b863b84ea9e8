"""aspirasi: citizens' voice on public service (DOMAIN 1.10)."""
