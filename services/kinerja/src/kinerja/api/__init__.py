"""HTTP routes of kinerja."""
