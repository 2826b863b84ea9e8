"""`python -m aspirasi`: apply migrations, then serve on ASN_PORT (default 8005)."""

from aspirasi.main import run

run()
