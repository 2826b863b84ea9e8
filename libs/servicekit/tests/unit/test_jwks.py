"""Keys from the identity provider's JWKS URL, served here by a loopback HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from servicekit.auth import JwtVerifier
from servicekit.devkeys import DEV_AUDIENCE, DEV_ISSUER, ensure_dev_keys, mint_token
from servicekit.errors import ProblemError


@pytest.fixture
def jwks_server(tmp_path):
    private, public = ensure_dev_keys(tmp_path)
    key = serialization.load_pem_public_key(public.read_bytes())
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    jwk.update({"kid": "dev-1", "use": "sig", "alg": "RS256"})
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jwks.json", private.read_bytes()
    server.shutdown()


async def test_tokens_verify_against_the_jwks_url(jwks_server):
    url, private = jwks_server
    verifier = JwtVerifier(
        issuer=DEV_ISSUER, audience=DEV_AUDIENCE, algorithms=("RS256",), jwks_url=url
    )
    claims = {"sub": "198503152010011001", "roles": ["bkpsdm"]}
    token = jwt.encode(
        {**claims, "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": 4102444800},
        private,
        algorithm="RS256",
        headers={"kid": "dev-1"},
    )
    identity = await verifier.verify(token)
    assert identity.sub == "198503152010011001"
    assert identity.has_role("bkpsdm")


async def test_a_token_whose_key_id_is_not_published_is_refused(jwks_server):
    url, private = jwks_server
    verifier = JwtVerifier(
        issuer=DEV_ISSUER, audience=DEV_AUDIENCE, algorithms=("RS256",), jwks_url=url
    )
    token = mint_token(private, sub="198503152010011001", roles=["bkpsdm"])  # no kid
    with pytest.raises(ProblemError) as error:
        await verifier.verify(token)
    assert error.value.status == 401
