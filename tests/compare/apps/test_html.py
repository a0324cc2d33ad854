"""Behaviour spec of the HTML guestbook (templates, login, flash, CSRF), run against both."""

from __future__ import annotations

import re

import pytest
from webtest import TestApp, TestResponse

from .conftest import MakeApp

APP = "html"


@pytest.fixture
def browser(app: TestApp) -> TestApp:
    """The app, visited by a browser (which asks for HTML)."""
    app.extra_environ["HTTP_ACCEPT"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
    return app


def flashes(page: TestResponse) -> list[tuple[str, str]]:
    return [(" ".join(li["class"]), li.text) for li in page.html.select("ul.flashes li")]


def sign_in(browser: TestApp, password: str = "wonderland") -> TestResponse:
    form = browser.get("/login").forms["login"]
    form["username"] = "ann"
    form["password"] = password
    return form.submit()


def test_anonymous_index(browser: TestApp) -> None:
    page = browser.get("/")
    assert page.content_type == "text/html"
    assert page.html.h1.text == "Guestbook"
    assert page.html.select_one("ol.entries li").text == "admin: Welcome! Sign in to write here."
    assert page.html.select_one('nav a[href="/login"]').text == "Sign in"
    assert "entry" not in page.forms
    assert flashes(page) == []


def test_session_cookie_is_signed_httponly_lax(browser: TestApp) -> None:
    cookie = browser.get("/login").headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=Lax", cookie, re.IGNORECASE)
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # the default config is for plain-HTTP development


def test_pages_vary_by_cookie(browser: TestApp) -> None:
    for path in ("/", "/login"):
        for _ in range(2):  # with and without a session cookie
            vary = browser.get(path).headers["Vary"]
            assert "cookie" in vary.lower().replace(" ", "").split(","), vary


def test_login_form_has_a_csrf_token(browser: TestApp) -> None:
    form = browser.get("/login").forms["login"]
    assert len(form["csrf_token"].value) >= 20
    # the same session keeps its token
    assert browser.get("/login").forms["login"]["csrf_token"].value == form["csrf_token"].value


def test_sign_in_flashes_once(browser: TestApp) -> None:
    before = browser.get("/login").forms["login"]["csrf_token"].value
    response = sign_in(browser)
    assert response.status_int == 303
    assert response.headers["Location"].endswith("/")
    page = response.follow()
    assert page.html.select_one("nav .user").text == "Signed in as ann"
    assert flashes(page) == [("message", "Welcome, ann!")]
    assert flashes(browser.get("/")) == []
    assert "entry" in page.forms
    assert page.forms["entry"]["csrf_token"].value != before  # a new token after login


def test_wrong_password_shows_the_form_again(browser: TestApp) -> None:
    page = sign_in(browser, password="nope")
    assert page.status_int == 200
    assert page.html.select_one("p.error").text == "Invalid username or password."
    assert page.forms["login"]["username"].value == "ann"
    assert page.html.select_one("nav .user") is None


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_post_without_the_csrf_token_is_a_400(browser: TestApp, token: str | None) -> None:
    browser.get("/login")
    fields = {"username": "ann", "password": "wonderland"}
    if token is not None:
        fields["csrf_token"] = token
    page = browser.post("/login", fields, status=400)
    assert page.content_type == "text/html"
    assert "CSRF token" in page.text
    assert browser.get("/").html.select_one("nav .user") is None


def test_sign_the_book(browser: TestApp) -> None:
    page = sign_in(browser).follow()
    form = page.forms["entry"]
    form["text"] = "  <script>alert(1)</script> hi  "
    response = form.submit()
    assert response.status_int == 303
    page = response.follow()
    assert flashes(page) == [("message", "Thanks for signing!")]
    first = page.html.select_one("ol.entries li")
    assert first.text == "ann: <script>alert(1)</script> hi"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hi" in page.text  # escaped by Jinja
    assert "<script>" not in page.text


def test_blank_entry_flashes_an_error(browser: TestApp) -> None:
    page = sign_in(browser).follow()
    page = page.forms["entry"].submit().follow()
    assert flashes(page) == [("error", "Write something first.")]
    assert len(page.html.select("ol.entries li")) == 1


def test_anonymous_cannot_post(browser: TestApp) -> None:
    token = browser.get("/login").forms["login"]["csrf_token"].value
    page = browser.post("/entries", {"text": "hi", "csrf_token": token}, status=403)
    assert "Sign in to write in the guestbook." in page.text


def test_sign_out(browser: TestApp) -> None:
    page = sign_in(browser).follow()
    logout = page.forms[0]
    assert logout.action == "/logout"
    response = logout.submit()
    assert response.status_int == 303
    page = response.follow()
    assert page.html.select_one("nav .user") is None
    assert flashes(page) == [("message", "Signed out.")]


def test_tampered_cookie_is_an_empty_session(browser: TestApp) -> None:
    sign_in(browser)
    value = browser.cookies["session"]
    assert browser.get("/").html.select_one("nav .user") is not None
    browser.reset()  # drop the cookie jar, then send a tampered copy
    browser.set_cookie("session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    page = browser.get("/")
    assert page.status_int == 200
    assert page.html.select_one("nav .user") is None


def test_cookie_signed_with_another_key_is_ignored(make_app: MakeApp) -> None:
    one, other = make_app(secret_key="one"), make_app(secret_key="other")
    form = one.get("/login").forms["login"]
    form["username"], form["password"] = "ann", "wonderland"
    form.submit()
    assert one.get("/").html.select_one("nav .user") is not None
    other.set_cookie("session", one.cookies["session"])
    assert other.get("/").html.select_one("nav .user") is None


def test_secure_cookies_on_request(make_app: MakeApp) -> None:
    cookie = make_app(secure_cookies=True).get("/login").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_unknown_page_is_an_html_404(browser: TestApp) -> None:
    page = browser.get("/nowhere", status=404)
    assert page.content_type == "text/html"
    assert "404 Not Found" in page.text
