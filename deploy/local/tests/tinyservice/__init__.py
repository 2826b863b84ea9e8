"""A stand-in service for the supervisor's tests: `python -m tinyservice`.

It serves /health/live and /health/ready on ASN_PORT like a real service, in a
millisecond instead of a Python service's seconds. ASN_TINY_START_DELAY_S makes it slow
to start (a long delay: it never answers); ASN_TINY_EXIT=<code> makes it fail at start
after that delay, as a service with a broken setting does.
"""
