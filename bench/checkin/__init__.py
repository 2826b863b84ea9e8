"""Check-in through the presensi service beside pgbench running the same transaction shape."""
