"""`python -m presensi`: apply migrations, then serve on ASN_PORT (default 8004)."""

from presensi.main import run

run()
