"""`python -m pegawai`: apply migrations, then serve on ASN_PORT (default 8001)."""

from pegawai.main import run

run()
