"""pegawai."""
