"""`asn`: the suite's operator command line (issue 16)."""
