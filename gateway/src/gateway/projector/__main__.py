"""`python -m gateway.projector`: apply migrations, then project (health on ASN_PORT)."""

from gateway.projector import run

run()
