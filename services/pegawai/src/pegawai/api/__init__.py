"""HTTP routers of the pegawai service."""
