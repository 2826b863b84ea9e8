"""JWT verification: pinned algorithms, issuer, audience and expiry always checked."""

import asyncio
import time

import jwt
import pytest
from servicekit.auth import JwtVerifier
from servicekit.devkeys import DEV_AUDIENCE, DEV_ISSUER, ensure_dev_keys, mint_token
from servicekit.errors import ProblemError


@pytest.fixture
def keys(tmp_path):
    private, public = ensure_dev_keys(tmp_path)
    return private.read_bytes(), public.read_bytes()


@pytest.fixture
def verifier(keys):
    return JwtVerifier(
        issuer=DEV_ISSUER, audience=DEV_AUDIENCE, algorithms=("RS256",), public_key_pem=keys[1]
    )


async def test_a_valid_token_yields_the_identity(keys, verifier):
    token = mint_token(keys[0], sub="198503152010011001", roles=["admin_opd"], unit_id="dinkes")
    identity = await verifier.verify(token)
    assert identity.sub == "198503152010011001"
    assert identity.has_role("admin_opd") and not identity.has_role("bkpsdm")
    assert identity.unit_id == "dinkes"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"aud": "another-app"}, "audience"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"exp": int(time.time()) - 10}, "expired"),
    ],
)
async def test_wrong_audience_issuer_or_expiry_is_refused(keys, verifier, change, reason):
    claims = {
        "iss": DEV_ISSUER,
        "aud": DEV_AUDIENCE,
        "sub": "198503152010011001",
        "roles": ["pegawai"],
        "exp": int(time.time()) + 60,
    }
    claims.update(change)
    token = jwt.encode(claims, keys[0], algorithm="RS256")
    with pytest.raises(ProblemError) as error:
        await verifier.verify(token)
    assert error.value.status == 401 and error.value.code == "unauthenticated", reason


async def test_a_token_signed_with_an_unpinned_algorithm_is_refused(keys, verifier):
    # The classic confusion attack: HS256 keyed with the public key.
    claims = {"iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "sub": "x", "exp": int(time.time()) + 60}
    forged = jwt.api_jws.PyJWS().encode(
        jwt.utils.force_bytes(__import__("json").dumps(claims)),
        key=b"a-shared-secret-that-is-long-enough-32b",
        algorithm="HS256",
    )
    with pytest.raises(ProblemError):
        await verifier.verify(forged)


async def test_a_token_from_another_key_is_refused(tmp_path, verifier):
    other_private, _ = ensure_dev_keys(tmp_path / "other")
    token = mint_token(other_private.read_bytes(), sub="x", roles=["bkpsdm"])
    with pytest.raises(ProblemError):
        await verifier.verify(token)


def test_dev_tokens_are_never_minted_in_production(keys, monkeypatch):
    monkeypatch.setenv("ASN_ENVIRONMENT", "production")
    with pytest.raises(RuntimeError, match="production"):
        mint_token(keys[0], sub="x", roles=["bkpsdm"])


def test_dev_keys_are_generated_once(tmp_path):
    first = ensure_dev_keys(tmp_path)
    content = first[0].read_bytes()
    assert ensure_dev_keys(tmp_path)[0].read_bytes() == content


async def test_a_verified_token_is_refused_once_it_expires_even_if_cached(keys, verifier):
    # `exp` is whole seconds: a 1 s token may be valid for only a moment, so give it 3.
    token = mint_token(keys[0], sub="198503152010011001", roles=["pegawai"], ttl_s=3)
    assert (await verifier.verify(token)).sub == "198503152010011001"
    assert (await verifier.verify(token)).sub == "198503152010011001"  # from the cache
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(expires - time.time() + 0.2)
    with pytest.raises(ProblemError) as error:
        await verifier.verify(token)
    assert error.value.code == "unauthenticated"


async def test_ed25519_keys_from_earlier_versions_still_sign_and_verify(tmp_path):
    """Dev key folders made before RS256 hold Ed25519 pairs; both algorithms are accepted."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verifier = JwtVerifier(
        issuer=DEV_ISSUER,
        audience=DEV_AUDIENCE,
        algorithms=("EdDSA", "RS256"),
        public_key_pem=public,
    )
    token = mint_token(private, sub="198503152010011001", roles=["pegawai"])
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    assert (await verifier.verify(token)).sub == "198503152010011001"


def _verifier_with_claims(keys, **names: str) -> JwtVerifier:
    return JwtVerifier(
        issuer=DEV_ISSUER,
        audience=DEV_AUDIENCE,
        algorithms=("RS256",),
        public_key_pem=keys[1],
        **names,
    )


def _signed(keys, **claims: object) -> str:
    base = {"iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": int(time.time()) + 60}
    return jwt.encode({**base, **claims}, keys[0], algorithm="RS256")


async def test_the_nip_roles_and_unit_come_from_the_configured_claims(keys):
    # An IdP whose `sub` is its own account id, with the NIP in an attribute and roles
    # nested as Keycloak puts them.
    verifier = _verifier_with_claims(
        keys, nip_claim="nip", roles_claim="realm_access.roles", unit_claim="opd"
    )
    token = _signed(
        keys,
        sub="3f1c0a2e-account",
        nip="198503152010011001",
        realm_access={"roles": ["admin_opd"]},
        opd="dinkes",
    )
    identity = await verifier.verify(token)
    assert identity.sub == "198503152010011001"
    assert identity.roles == frozenset({"admin_opd"})
    assert identity.unit_id == "dinkes"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "account-1"},  # no NIP claim at all
        {"sub": "account-1", "nip": 198503152010011001},  # a number, not text
        {"sub": "account-1", "nip": "198503152010011001", "roles": "bkpsdm"},
        {"sub": "account-1", "nip": "198503152010011001", "unit_id": ["dinkes"]},
    ],
)
async def test_a_token_without_a_usable_nip_roles_or_unit_is_refused(keys, claims):
    verifier = _verifier_with_claims(keys, nip_claim="nip")
    with pytest.raises(ProblemError) as error:
        await verifier.verify(_signed(keys, **claims))
    assert error.value.status == 401 and error.value.code == "unauthenticated"
