"""HTTP routes and request bodies of pelatihan."""
