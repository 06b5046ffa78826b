"""Only a token signed by the trusted identity provider, for these services, unexpired and with
the claims a role needs, gets anyone in; every other token is a 401 that explains nothing
internal. Keys published at a JWKS address are rotated without a restart."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from shared.settings import DEV_KEY_DIR
from shared.testing.fixtures import TEST_AUDIENCE, TEST_ISSUER

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import create_children_table, create_security_test_app  # noqa: E402

# Everything a refused caller may be told. Nothing from the library, no key, no claim value.
SAFE_DETAILS = {
    "a bearer token is required",
    "the token is malformed",
    "the token's algorithm is not accepted",
    "the token's signing key is not known",
    "the token has expired",
    "the token is not for this service",
    "the token was not issued by the trusted identity provider",
    "the token's signature is not valid",
    "the token is not valid",
    "the token's subject is empty",
    "the token carries no recognised role",
    "a designated teacher's token must carry their school's 6-digit urn",
    "the token's scope claim is malformed",
} | {f"the token lacks the {claim!r} claim" for claim in ("exp", "iat", "iss", "aud", "sub")}


@pytest.fixture(autouse=True)
async def children(pool):
    await create_children_table(pool, [])


def claims(**overrides) -> dict:
    now = int(time.time())
    base = {
        "sub": "alice",
        "role": "virtual_school_head",
        "iss": TEST_ISSUER,
        "aud": TEST_AUDIENCE,
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict, payload: dict, signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}.{b64(signature)}"


def hs256_with_public_key(payload: dict) -> str:
    """The classic confusion attack: HMAC 'signed' with the verifier's own public key."""
    public_pem = (DEV_KEY_DIR / "dev-signing-key.pub.pem").read_bytes()
    head_and_body = unsigned({"alg": "HS256", "typ": "JWT", "kid": "dev-1"}, payload).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, head_and_body.encode(), hashlib.sha256).digest()
    return f"{head_and_body}.{b64(signature)}"


def untrusted_tokens(signing_key: bytes) -> dict[str, str]:
    def signed(payload: dict, key=signing_key, algorithm="RS256") -> str:
        return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": "dev-1"})

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "expired": signed(claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
        "signed by another key": signed(claims(), key=stranger),
        "tampered after signing": _tampered(signed(claims(role="social_worker"))),
        "for another audience": signed(claims(aud="payroll-services")),
        "from another issuer": signed(claims(iss="https://evil.example/")),
        "without exp": signed(claims(exp=None)),
        "without iat": signed(claims(iat=None)),
        "without iss": signed(claims(iss=None)),
        "without aud": signed(claims(aud=None)),
        "without sub": signed(claims(sub=None)),
        "with an empty sub": signed(claims(sub="  ")),
        "without a role": signed(claims(role=None)),
        "with an unknown role": signed(claims(role="superuser")),
        "not yet valid": signed(claims(nbf=int(time.time()) + 3600)),
        "alg none": unsigned({"alg": "none", "typ": "JWT"}, claims()),
        "alg None with a signature": unsigned({"alg": "None"}, claims(), b"sig"),
        "HS256 signed with the public key": hs256_with_public_key(claims()),
        "ES256 against an RSA key": signed(
            claims(), key=ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"
        ),
        "designated teacher without a urn": signed(claims(role="designated_teacher")),
        "designated teacher with a malformed urn": signed(claims(role="designated_teacher", urn="11800")),
        "designated teacher with a numeric urn": signed(claims(role="designated_teacher", urn=118000)),
        "service with a malformed scope": signed(claims(role="service", scope={"schools": "read"})),
        "garbage": "not-a-token",
        "three dots of nothing": "..",
        "a valid header over a garbage body": _tampered(signed(claims()), body="!!!"),
    }


def _tampered(token: str, body: str | None = None) -> str:
    header, payload, signature = token.split(".")
    if body is None:
        data = json.loads(base64.urlsafe_b64decode(payload + "=="))
        data["role"] = "virtual_school_head"
        body = b64(json.dumps(data).encode())
    return f"{header}.{body}.{signature}"


def assert_refused_without_leaking(answer, token: str) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert set(body) <= {"type", "title", "status", "detail", "instance"}
    assert body["detail"] in SAFE_DETAILS
    if len(token) > 8:
        assert token not in answer.text and token.split(".")[0] not in answer.text


@pytest.mark.parametrize("keys_from", ["the development key", "a JWKS address"])
async def test_every_untrustworthy_token_is_refused_with_401_and_no_internal_detail(
    service_client, signing_key, monkeypatch, keys_from
):
    key_set = KeySet()
    key_set.publish(("dev-1", serialization.load_pem_private_key(signing_key, password=None)))
    with identity_provider(key_set) as jwks_url:
        if keys_from == "a JWKS address":
            monkeypatch.setenv("JWKS_URL", jwks_url)
        async with service_client(create_security_test_app) as client:
            trusted = claims(role="auditor")
            admitted = await client.get("/children/C1", headers=bearer(jwt.encode(
                trusted, signing_key, algorithm="RS256", headers={"kid": "dev-1"})))
            assert admitted.status_code == 404  # the same key does let a good token in
            for case, token in untrusted_tokens(signing_key).items():
                answer = await client.get("/children/C1", headers=bearer(token))
                try:
                    assert_refused_without_leaking(answer, token)
                except AssertionError as failure:
                    raise AssertionError(f"token {case}: {failure}") from failure


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "Token abc.def.ghi", "bearer"]
)
async def test_a_request_without_a_bearer_token_is_refused_with_401(service_client, header):
    async with service_client(create_security_test_app) as client:
        answer = await client.get("/children/C1", headers={"Authorization": header} if header else {})
        assert_refused_without_leaking(answer, header)
        assert answer.json()["detail"] == "a bearer token is required"


async def test_a_trustworthy_token_is_admitted_and_a_designated_teacher_needs_a_valid_urn(
    service_client, signing_key, token
):
    async with service_client(create_security_test_app) as client:
        good = await client.get("/children/C1", headers={"Authorization": f"Bearer {token('auditor')}"})
        assert good.status_code == 404  # admitted: there is simply no such child
        teacher = await client.get(
            "/children", headers={"Authorization": f"Bearer {token('designated_teacher', urn='118000')}"}
        )
        assert teacher.status_code == 200
        no_urn = await client.get(
            "/children", headers={"Authorization": f"Bearer {token('designated_teacher')}"}
        )
        assert no_urn.status_code == 401
        assert no_urn.json()["detail"] == "a designated teacher's token must carry their school's 6-digit urn"


# -- the identity provider's key set, served for real on 127.0.0.1 ---------------------------


class KeySet:
    """What the identity provider publishes, and how often it was asked."""

    def __init__(self) -> None:
        self.keys: list[dict] = []
        self.fetches = 0

    def publish(self, *keys: tuple[str, object]) -> None:
        self.keys = [public_jwk(kid, key) for kid, key in keys]


def public_jwk(kid: str, private_key) -> dict:
    if isinstance(private_key, rsa.RSAPrivateKey):
        jwk = RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk["alg"] = "RS256"
    else:
        jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk["alg"] = "ES256"
    return {**jwk, "kid": kid, "use": "sig"}


@contextmanager
def identity_provider(key_set: KeySet) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            key_set.fetches += 1
            body = json.dumps({"keys": key_set.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def idp_token(kid: str, key, **overrides) -> str:
    algorithm = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
    return jwt.encode(claims(**overrides), key, algorithm=algorithm, headers={"kid": kid})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_token_signed_with_a_rotated_in_key_is_accepted_once_the_key_set_changes(
    service_client, monkeypatch
):
    old_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    new_key = ec.generate_private_key(ec.SECP256R1())
    key_set = KeySet()
    key_set.publish(("idp-2026-1", old_key))
    with identity_provider(key_set) as jwks_url:
        monkeypatch.setenv("JWKS_URL", jwks_url)
        monkeypatch.setenv("JWKS_REFRESH_COOLDOWN_SECONDS", "0")
        async with service_client(create_security_test_app) as client:
            old_token, new_token = idp_token("idp-2026-1", old_key), idp_token("idp-2026-2", new_key)
            assert (await client.get("/children/C1", headers=bearer(old_token))).status_code == 404
            refused = await client.get("/children/C1", headers=bearer(new_token))
            assert refused.status_code == 401
            assert refused.json()["detail"] == "the token's signing key is not known"

            # The identity provider rotates: the new key is published, the old one withdrawn.
            key_set.publish(("idp-2026-2", new_key))
            assert (await client.get("/children/C1", headers=bearer(new_token))).status_code == 404
            withdrawn = await client.get("/children/C1", headers=bearer(old_token))
            assert withdrawn.status_code == 401

            # A token claiming the new key id but signed with the withdrawn key is a forgery.
            forged = idp_token("idp-2026-2", old_key)
            assert (await client.get("/children/C1", headers=bearer(forged))).status_code == 401


async def test_made_up_key_ids_do_not_make_us_hammer_the_identity_provider(service_client, monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_set = KeySet()
    key_set.publish(("idp-2026-1", key))
    with identity_provider(key_set) as jwks_url:
        monkeypatch.setenv("JWKS_URL", jwks_url)
        async with service_client(create_security_test_app) as client:
            assert (await client.get("/children/C1", headers=bearer(idp_token("idp-2026-1", key)))).status_code == 404
            for _ in range(20):
                made_up = idp_token(f"kid-{uuid.uuid4()}", key)
                assert (await client.get("/children/C1", headers=bearer(made_up))).status_code == 401
            assert key_set.fetches == 1  # the key set is cached; refetches wait for the cooldown


async def test_when_the_identity_provider_cannot_be_reached_callers_are_told_to_retry(
    service_client, monkeypatch
):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_set = KeySet()
    with identity_provider(key_set) as jwks_url:
        pass  # the provider has gone away: nothing listens at its address any more
    monkeypatch.setenv("JWKS_URL", jwks_url)
    async with service_client(create_security_test_app) as client:
        answer = await client.get("/children/C1", headers=bearer(idp_token("idp-2026-1", key)))
        assert answer.status_code == 503
        assert answer.headers["retry-after"]
        assert "127.0.0.1" not in answer.text
