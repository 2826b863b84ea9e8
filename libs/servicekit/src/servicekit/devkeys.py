"""Development signing keys and tokens: local and test runs only, never production.

The key pair is generated on the first local run into a git-ignored folder; the
services verify with its public half exactly as they would with the city's IdP.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

DEV_ISSUER = "https://sso.sawahlunto.go.id"
DEV_AUDIENCE = "asn-suite"
PRIVATE_NAME, PUBLIC_NAME = "jwt-private.pem", "jwt-public.pem"


def ensure_dev_keys(directory: Path) -> tuple[Path, Path]:
    """Create the RSA pair once; later calls return the same files.

    RS256, as most identity providers sign by default, and because every service
    verifies every new token while only the login signs it: on this CPU an RSA-2048
    verification costs ~24 µs against Ed25519's ~113 µs. Ed25519 pairs made by earlier
    versions keep working (`mint_token` signs with whatever the file holds).
    """
    private, public = directory / PRIVATE_NAME, directory / PUBLIC_NAME
    if private.exists() and public.exists():
        return private, public
    directory.mkdir(parents=True, exist_ok=True)
    key = generate_private_key(public_exponent=65537, key_size=2048)
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def mint_token(
    private_key_pem: bytes,
    *,
    sub: str,
    roles: Sequence[str],
    unit_id: str | None = None,
    ttl_s: int = 8 * 3600,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
) -> str:
    if os.environ.get("ASN_ENVIRONMENT") == "production":
        raise RuntimeError("dev tokens are never minted in production")
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": audience,
        "sub": sub,
        "roles": list(roles),
        "iat": now,
        "exp": now + ttl_s,
    }
    if unit_id is not None:
        claims["unit_id"] = unit_id
    return jwt.encode(claims, private_key_pem, algorithm=signing_algorithm(private_key_pem))


def signing_algorithm(private_key_pem: bytes) -> str:
    """The JWT `alg` for a dev private key: EdDSA for Ed25519, RS256 for RSA."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    return "EdDSA" if isinstance(key, Ed25519PrivateKey) else "RS256"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="asn-token", description="Mint a development JWT for the local suite."
    )
    parser.add_argument("--sub", "--nip", dest="sub", required=True, help="NIP (18 digits)")
    parser.add_argument(
        "--roles", default="pegawai", help="comma-separated: pegawai,admin_opd,bkpsdm,auditor"
    )
    parser.add_argument("--unit", dest="unit_id", help="unit code, for admin_opd")
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="seconds until expiry")
    parser.add_argument(
        "--keys", type=Path, default=Path(os.environ.get("ASN_DEV_KEYS_DIR", ".dev-keys"))
    )
    args = parser.parse_args(argv)
    if os.environ.get("ASN_ENVIRONMENT") == "production":
        print("asn-token: refused: ASN_ENVIRONMENT is production", file=sys.stderr)
        return 2
    private, _ = ensure_dev_keys(args.keys)
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    print(
        mint_token(
            private.read_bytes(), sub=args.sub, roles=roles, unit_id=args.unit_id, ttl_s=args.ttl
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
