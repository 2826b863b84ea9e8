"""HTTP routes: public (no token) and staff."""
