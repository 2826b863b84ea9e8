"""`python -m pelatihan`: apply migrations, then serve on ASN_PORT (default 8003)."""

from pelatihan.main import run

run()
