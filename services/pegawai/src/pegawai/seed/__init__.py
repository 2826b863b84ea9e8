"""DEMO DATA — a made-up workforce shaped like Kota Sawahlunto's, for local runs and demos.

The units follow the city's real organisation (kecamatan Barangin, Lembah Segar,
Silungkang and Talawi with their kelurahan, the sekretariat, badan, dinas and RSUD);
the people are fictional. Every row is flagged `demo = true` and every event's actor is
`system:demo-seed`, so demo records can be told apart and removed. Load it with
`python -m pegawai.seed` (idempotent: a second run adds nothing and publishes nothing).
"""
