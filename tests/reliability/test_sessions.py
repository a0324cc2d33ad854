"""globals_fw's signed-cookie sessions under attack: key rotation (matrix row 31), expiry and
replay (32), fixation (33), cookie flags (34), oversized cookies (36), and ``Vary: Cookie``.

Every request goes through WebTest under ``wsgiref.validate``; each call uses a fresh client
and passes the ``Cookie`` header by hand, so a test says exactly which cookie a browser (or
an attacker) sends.
"""

from __future__ import annotations

import base64
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from webtest import TestApp, TestResponse
from werkzeug.http import parse_date

from globals_fw import App, request, session
from globals_fw.sessions import SecureCookieSessionInterface, session_json_serializer

Client = Callable[[Any], TestApp]


@pytest.fixture
def app() -> App:
    app = App("sessions", root_path="/nonexistent", static_folder=None, template_folder=None)
    app.config.update(SECRET_KEY="current key", PERMANENT_SESSION_LIFETIME=timedelta(minutes=10))

    @app.get("/read")
    def read() -> Any:
        return {"user": session.get("user"), "keys": sorted(session.keys())}

    @app.get("/none")
    def untouched() -> Any:
        return "untouched"

    @app.post("/login")
    def login() -> Any:
        # The documented login pattern: drop whatever the browser brought, then set fresh keys.
        session.clear()
        session["user"] = request.args["user"]
        session["csrf"] = "fresh-token"
        return "logged in"

    @app.post("/login-without-clear")
    def login_without_clear() -> Any:
        session["user"] = request.args["user"]
        return "logged in"

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return "logged out"

    @app.post("/permanent")
    def permanent() -> Any:
        session.permanent = True
        session["user"] = "pat"
        return "permanent"

    @app.post("/big")
    def big() -> Any:
        # Incompressible, or itsdangerous' zlib step would shrink it below the limit.
        session["blob"] = base64.b64encode(random.Random(0).randbytes(3750)).decode()
        return "big"

    _add_access_views(app)
    return app


def _add_access_views(app: App) -> None:
    """One view per way of reading or writing the session, for the ``Vary`` checks."""

    @app.get("/contains")
    def contains() -> Any:
        return str("user" in session)

    @app.get("/getitem")
    def getitem() -> Any:
        try:
            return str(session["user"])
        except KeyError:
            return "none"

    @app.get("/iterate")
    def iterate() -> Any:
        return ",".join(session)

    @app.get("/length")
    def length() -> Any:
        return str(len(session)) if session else "empty"

    @app.get("/items")
    def items() -> Any:
        return str(sorted(session.items())) + str(list(session.values()))

    @app.get("/is-permanent")
    def is_permanent() -> Any:
        return str(session.permanent)

    @app.post("/write")
    def write() -> Any:
        session["n"] = session.get("n", 0) + 1
        return "written", 200, {"Vary": "Accept"}

    @app.post("/pop")
    def pop() -> Any:
        return str(session.pop("missing", None))


# -- helpers --------------------------------------------------------------------------------


def send(
    client: Client,
    app: App,
    method: str,
    path: str,
    cookie: str | None = None,
    https: bool = False,
) -> TestResponse:
    """One request from a browser holding ``cookie`` (the session cookie's value) or none."""
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    url = f"https://localhost{path}" if https else path
    response: TestResponse = client(app).request(url, method=method, headers=headers)
    return response


def set_cookies(response: TestResponse) -> list[str]:
    return [v for k, v in response.headerlist if k.lower() == "set-cookie"]


def session_cookie(response: TestResponse) -> str:
    """The value of the one ``Set-Cookie: session=...`` header."""
    (header,) = set_cookies(response)
    name, _, value = header.split(";")[0].partition("=")
    assert name == "session"
    return value


def attributes(header: str) -> dict[str, str]:
    """A ``Set-Cookie`` header's attributes, lower-cased names, without name=value."""
    out = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        out[key.lower()] = value
    return out


def serializer(*keys: str) -> URLSafeTimedSerializer:
    """A serializer like the app's but holding only ``keys`` (the signing key last)."""
    iface = SecureCookieSessionInterface
    return URLSafeTimedSerializer(
        list(keys),
        salt=iface.salt,
        serializer=session_json_serializer,
        signer_kwargs={
            "key_derivation": iface.key_derivation,
            "digest_method": iface.digest_method,
        },
    )


def vary_cookie_count(response: TestResponse) -> int:
    values = [v for k, v in response.headerlist if k.lower() == "vary"]
    return sum(token.strip().lower() == "cookie" for v in values for token in v.split(","))


# -- row 31: key rotation --------------------------------------------------------------------


def test_old_key_verifies_through_fallbacks_and_new_cookies_use_the_current_key_alone(
    app: App, client: Client
) -> None:
    old_cookie = serializer("old key").dumps({"user": "ann"})
    app.config["SECRET_KEY_FALLBACKS"] = ["oldest key", "old key"]
    assert send(client, app, "GET", "/read", old_cookie).json["user"] == "ann"

    new_cookie = session_cookie(send(client, app, "POST", "/write", old_cookie))
    assert serializer("current key").loads(new_cookie) == {"user": "ann", "n": 1}
    # CVE-2025-47278: Flask 3.1.0 signed with the last fallback. Neither fallback signs here.
    for fallback in ("old key", "oldest key"):
        with pytest.raises(BadSignature):
            serializer(fallback).loads(new_cookie)


def test_removing_a_key_invalidates_its_cookies(app: App, client: Client) -> None:
    old_cookie = serializer("old key").dumps({"user": "ann"})
    app.config["SECRET_KEY_FALLBACKS"] = ["old key"]
    assert send(client, app, "GET", "/read", old_cookie).json["user"] == "ann"
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert send(client, app, "GET", "/read", old_cookie).json == {"user": None, "keys": []}


@pytest.mark.parametrize("fallbacks", ["old key", b"old key", {"old key"}, ["ok", ""], [None]])
def test_fallbacks_that_are_not_a_list_of_keys_are_a_config_error(app: App, fallbacks: Any) -> None:
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    iface = app.session_interface
    assert isinstance(iface, SecureCookieSessionInterface)
    with pytest.raises(TypeError, match="SECRET_KEY_FALLBACKS"):
        iface.get_signing_serializer(app)


def test_a_bare_string_fallback_is_not_split_into_one_character_keys(
    app: App, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["SECRET_KEY_FALLBACKS"] = "ab"
    forged = serializer("a").dumps({"user": "mallory"})  # what a 1-char key would accept
    with caplog.at_level(logging.CRITICAL):  # the logged 500 is the expected outcome
        response = client(app).get(
            "/read", headers={"Cookie": f"session={forged}"}, expect_errors=True
        )
    assert response.status_int == 500
    assert b"mallory" not in response.body


# -- row 32: expiry, logout and replay -------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The time itsdangerous signs and checks with; set ``clock[0]`` to move it."""
    now = [1_700_000_000]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now[0])
    return now


@pytest.mark.parametrize("login", ["/login?user=ann", "/permanent"])
def test_a_cookie_older_than_the_lifetime_is_an_empty_session(
    app: App, client: Client, clock: list[int], login: str
) -> None:
    cookie = session_cookie(send(client, app, "POST", login))
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    clock[0] += lifetime
    assert send(client, app, "GET", "/read", cookie).json["keys"] != []
    clock[0] += 1
    assert send(client, app, "GET", "/read", cookie).json == {"user": None, "keys": []}


def test_a_permanent_cookie_expires_with_the_lifetime(app: App, client: Client) -> None:
    response = send(client, app, "POST", "/permanent")
    expires = parse_date(attributes(set_cookies(response)[0])["expires"])
    assert expires is not None
    expected = datetime.now(UTC) + app.permanent_session_lifetime
    assert abs((expires - expected).total_seconds()) < 3600  # not a session-long cookie


@pytest.mark.parametrize("https", [False, True])
def test_logout_expires_the_cookie_with_the_attributes_it_was_set_with(
    app: App, client: Client, https: bool
) -> None:
    login = send(client, app, "POST", "/login?user=ann", https=https)
    cookie = session_cookie(login)
    logout = send(client, app, "POST", "/logout", cookie, https=https)
    (deleted,) = set_cookies(logout)
    assert deleted.startswith("session=;")
    removed = attributes(deleted)
    expires = parse_date(removed.pop("expires"))
    assert expires is not None
    assert expires < datetime.now(UTC)
    assert removed.pop("max-age") == "0"
    assert removed == attributes(set_cookies(login)[0])
    assert vary_cookie_count(logout) == 1


def test_replaying_a_cookie_after_logout_still_works(app: App, client: Client) -> None:
    """The documented limit of client-side sessions (docs/security.md): nothing on the server
    remembers the logout, so a copy of the old cookie stays valid until it expires."""
    cookie = session_cookie(send(client, app, "POST", "/login?user=ann"))
    send(client, app, "POST", "/logout", cookie)
    assert send(client, app, "GET", "/read", cookie).json["user"] == "ann"


# -- row 33: fixation / cookie tossing ------------------------------------------------------


def test_login_clears_keys_planted_in_a_validly_signed_cookie(app: App, client: Client) -> None:
    # A sibling subdomain tosses a cookie the app itself signed (the attacker's own session).
    planted = serializer("current key").dumps({"user": "mallory", "role": "admin", "cart": [1]})
    assert send(client, app, "GET", "/read", planted).json["user"] == "mallory"
    fresh = session_cookie(send(client, app, "POST", "/login?user=ann", planted))
    assert serializer("current key").loads(fresh) == {"user": "ann", "csrf": "fresh-token"}
    assert send(client, app, "GET", "/read", fresh).json["keys"] == ["csrf", "user"]


def test_a_login_that_does_not_clear_keeps_the_planted_keys(app: App, client: Client) -> None:
    """Why the documented login pattern clears first."""
    planted = serializer("current key").dumps({"user": "mallory", "role": "admin"})
    fresh = session_cookie(send(client, app, "POST", "/login-without-clear?user=ann", planted))
    assert serializer("current key").loads(fresh) == {"user": "ann", "role": "admin"}


# -- row 34: cookie flags -------------------------------------------------------------------


def test_default_flags_httponly_lax_and_secure_only_on_https(app: App, client: Client) -> None:
    plain = attributes(set_cookies(send(client, app, "POST", "/login?user=ann"))[0])
    assert plain == {"httponly": "", "path": "/", "samesite": "Lax"}
    secure = attributes(set_cookies(send(client, app, "POST", "/login?user=ann", https=True))[0])
    assert secure == {"httponly": "", "path": "/", "samesite": "Lax", "secure": ""}


def test_configured_flags_on_set_and_delete(app: App, client: Client) -> None:
    app.config.update(
        SESSION_COOKIE_DOMAIN="example.com",
        SESSION_COOKIE_PATH="/app",
        SESSION_COOKIE_HTTPONLY=False,
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="strict",
    )
    login = send(client, app, "POST", "/login?user=ann")
    expected = {"domain": "example.com", "path": "/app", "secure": "", "samesite": "Strict"}
    assert attributes(set_cookies(login)[0]) == expected
    deleted = attributes(
        set_cookies(send(client, app, "POST", "/logout", session_cookie(login)))[0]
    )
    del deleted["expires"], deleted["max-age"]
    assert deleted == expected


def test_partitioned_implies_secure_on_set_and_delete(app: App, client: Client) -> None:
    app.config.update(SESSION_COOKIE_PARTITIONED=True, SESSION_COOKIE_SAMESITE="None")
    login = send(client, app, "POST", "/login?user=ann")
    (header,) = set_cookies(login)
    flags = attributes(header)
    assert {"partitioned", "secure"} <= flags.keys()
    assert flags["samesite"] == "None"
    deleted = attributes(
        set_cookies(send(client, app, "POST", "/logout", session_cookie(login)))[0]
    )
    assert {"partitioned", "secure"} <= deleted.keys()


@pytest.mark.parametrize("value", ["Sometimes", "lax; Secure", 1])
def test_an_invalid_samesite_setting_is_a_value_error(app: App, value: Any) -> None:
    app.config.update(TESTING=True, SESSION_COOKIE_SAMESITE=value)
    with pytest.raises(ValueError, match="SESSION_COOKIE_SAMESITE"):
        app.test_client().post("/login?user=ann")


# -- row 36: oversized cookies --------------------------------------------------------------


def test_an_oversized_session_cookie_is_warned_about(app: App, client: Client) -> None:
    with pytest.warns(UserWarning, match="'session' cookie is too large"):
        response = send(client, app, "POST", "/big")
    assert len(set_cookies(response)[0]) > 5000  # still sent: the warning is the signal


@pytest.mark.parametrize("size", [0, 10_000])
def test_max_cookie_size_setting(app: App, client: Client, size: int) -> None:
    app.config["MAX_COOKIE_SIZE"] = size  # 0 turns the check off; warnings are errors here
    assert len(set_cookies(send(client, app, "POST", "/big"))[0]) > 5000


# -- Vary: Cookie and untouched sessions ----------------------------------------------------

ACCESSES = [
    ("GET", "/read"),
    ("GET", "/contains"),
    ("GET", "/getitem"),
    ("GET", "/iterate"),
    ("GET", "/length"),
    ("GET", "/items"),
    ("GET", "/is-permanent"),
    ("POST", "/write"),
    ("POST", "/pop"),
    ("POST", "/login?user=ann"),
    ("POST", "/logout"),
    ("POST", "/permanent"),
]


@pytest.mark.parametrize(("method", "path"), ACCESSES)
@pytest.mark.parametrize("with_cookie", [False, True], ids=["no-cookie", "cookie"])
def test_vary_cookie_exactly_once_on_every_kind_of_access(
    app: App, client: Client, method: str, path: str, with_cookie: bool
) -> None:
    cookie = serializer("current key").dumps({"user": "ann"}) if with_cookie else None
    response = send(client, app, method, path, cookie)
    assert vary_cookie_count(response) == 1, response.headerlist
    vary = [v for k, v in response.headerlist if k.lower() == "vary"]
    assert len(vary) == 1  # merged into one header line with the view's own Vary


@pytest.mark.parametrize(
    "cookie",
    [None, "ann", "garbage"],
    ids=["no-cookie", "valid-cookie", "bad-cookie"],
)
def test_an_untouched_session_sends_no_cookie_and_no_vary(
    app: App, client: Client, cookie: str | None
) -> None:
    value = serializer("current key").dumps({"user": cookie}) if cookie == "ann" else cookie
    response = send(client, app, "GET", "/none", value)
    assert set_cookies(response) == []
    assert vary_cookie_count(response) == 0


def test_a_permanent_session_is_refreshed_with_vary(app: App, client: Client) -> None:
    cookie = session_cookie(send(client, app, "POST", "/permanent"))
    response = send(client, app, "GET", "/none", cookie)
    assert len(set_cookies(response)) == 1  # SESSION_REFRESH_EACH_REQUEST
    assert vary_cookie_count(response) == 1
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    response = send(client, app, "GET", "/none", cookie)
    assert set_cookies(response) == []
    assert vary_cookie_count(response) == 0
