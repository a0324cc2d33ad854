"""Sessions as properties (issue 6) and the rest of matrix row 30: any JSON-like session data
round-trips through the signed cookie, and any change to a cookie -- one byte of its payload,
timestamp or signature, another salt, random bytes, bad padding, a validly signed but deeply
nested payload -- reads as an empty session with a 200, never a 500."""

from __future__ import annotations

import base64
import json
import random
import string
from typing import Any
from wsgiref.validate import validator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from webtest import TestApp

from globals_fw import App, request, session
from globals_fw.sessions import SecureCookieSessionInterface, session_json_serializer

KEY = "session-properties key"
SALT = SecureCookieSessionInterface.salt


def _app() -> App:
    app = App("session_properties", static_folder=None, template_folder=None)
    app.secret_key = KEY

    @app.post("/store")
    def store() -> str:
        session["data"] = request.get_json()
        return "stored"

    @app.get("/load")
    def load() -> Any:
        return {"data": session.get("data"), "keys": sorted(session)}

    return app


def _client() -> TestApp:
    return TestApp(validator(_app()))


def _signed(payload: Any, salt: str = SALT, key: str = KEY) -> str:
    serializer = URLSafeTimedSerializer(
        key,
        salt=salt,
        serializer=session_json_serializer,
        signer_kwargs={"key_derivation": "hmac", "digest_method": "sha1"},
    )
    return serializer.dumps(payload)


def _load(cookie: str) -> Any:
    web = _client()
    answer = web.get("/load", headers={"Cookie": f"session={cookie}"}, status=200)
    return answer.json


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_data_round_trips_through_the_cookie(data: Any) -> None:
    web = _client()
    stored = web.post("/store", json.dumps(data), content_type="application/json", status=200)
    cookie = stored.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    assert _load(cookie) == {"data": data, "keys": ["data"]}


def test_the_helper_signs_cookies_the_app_accepts() -> None:
    # Guards the tamper tests below: their starting cookie really is valid.
    assert _load(_signed({"data": "x"})) == {"data": "x", "keys": ["data"]}


def _flip(text: str, index: int) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    old = text[index]
    new = alphabet[(alphabet.index(old) + 1) % len(alphabet)] if old in alphabet else "A"
    return text[:index] + new + text[index + 1 :]


@pytest.mark.parametrize("part", [0, 1, 2], ids=["payload", "timestamp", "signature"])
# Not the last character: its low bits may be base64 padding, decoding to the same bytes.
@pytest.mark.parametrize("where", [0, 2])
def test_one_changed_character_is_an_empty_session(part: int, where: int) -> None:
    cookie = _signed({"data": "admin"})
    pieces = cookie.split(".")
    # The payload may be marked compressed with a leading ".": index from the real parts.
    offset = 1 if cookie.startswith(".") else 0
    target = pieces[part + offset]
    pieces[part + offset] = _flip(target, where % len(target))
    assert _load(".".join(pieces)) == {"data": None, "keys": []}


@pytest.mark.parametrize(
    "cookie",
    [
        _signed({"data": "admin"}, salt="another-salt"),
        _signed({"data": "admin"}, key="another key"),
        _signed({"data": "admin"})[:-5],  # truncated
        "=".join(_signed({"data": "admin"}).split(".", 1)),  # padding inside the payload
        base64.urlsafe_b64encode(random.Random(7).randbytes(6000)).decode(),  # ~8 KB noise
        "." + _signed({"data": "admin"}),  # a forged "compressed" marker
    ],
    ids=["salt", "key", "truncated", "padding", "random-8k", "fake-compressed"],
)
def test_a_forged_cookie_is_an_empty_session(cookie: str) -> None:
    assert _load(cookie) == {"data": None, "keys": []}


def test_a_validly_signed_but_deeply_nested_payload_is_not_a_500() -> None:
    raw = '{"data": ' + "[" * 5000 + '"x"' + "]" * 5000 + "}"
    serializer = URLSafeTimedSerializer(
        KEY, salt=SALT, signer_kwargs={"key_derivation": "hmac", "digest_method": "sha1"}
    )
    # Signed by the real key, so only the decoder stands between it and the app.
    signer = serializer.make_signer()
    payload = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    cookie = signer.sign(payload).decode()
    web = _client()
    answer = web.get("/load", headers={"Cookie": f"session={cookie}"}, expect_errors=True)
    assert answer.status_int == 200
    assert answer.json == {"data": None, "keys": []}
