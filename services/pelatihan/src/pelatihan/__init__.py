"""pelatihan: competency development (DOMAIN 1.9)."""
