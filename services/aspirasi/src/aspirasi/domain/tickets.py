"""Ticket codes people can read aloud, and the secret that goes with them.

The secret is 16 characters of Crockford's base32 (80 random bits), shown once and
stored only as a salted SHA-256: with that much entropy a slow hash adds nothing, and
the comparison is constant-time so a timing side channel reveals no prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_RE = re.compile(r"^SWL-[0-9]{4}-[0-9]{6,}$")
_SECRET_LEN = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def ticket_code(year: int, number: int) -> str:
    return f"SWL-{year:04d}-{number:06d}"


def is_ticket_code(value: str) -> bool:
    return CODE_RE.fullmatch(value) is not None


def new_secret() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_SECRET_LEN))
    return "-".join(raw[i : i + 4] for i in range(0, _SECRET_LEN, 4))


def normalise_secret(value: str) -> str:
    """Read-aloud tolerant: case, dashes, spaces and O/I/L for 0/1 do not matter."""
    return re.sub(r"[\s-]", "", value).upper().translate(_CONFUSABLE)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def hash_secret(secret: str, salt: bytes) -> bytes:
    return hashlib.sha256(salt + normalise_secret(secret).encode()).digest()


def secret_matches(secret: str, salt: bytes, stored: bytes) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt), stored)
