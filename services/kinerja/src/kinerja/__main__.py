"""`python -m kinerja`: apply migrations, then serve on ASN_PORT (default 8002)."""

from kinerja.main import run

run()
