"""`python -m gateway`: apply migrations, then serve on ASN_PORT (default 8000)."""

from gateway.main import run

run()
