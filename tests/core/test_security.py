"""Redirect targets, trusted hosts and cross-site protection."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resources_fw.core import (
    Kernel,
    Request,
    Response,
    Router,
    check_cross_site,
    check_host,
    safe_redirect_target,
)

ALLOWED = ("good.example",)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "\t//evil.example",
        " //evil.example",
        "\r//evil.example",
        "/%2F%2Fok-but-local/..//evil" if False else "///x",
        "https:evil.example",
        "https:/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>",
        "https://user@good.example/",
        "https://good.example@evil.example/",
        "https://good.example.evil.example/",
        "https://evil.example/",
        "ftp://good.example/",
        "//good.example",
        "",
        "relative/path",
        "https://[::1/",
    ],
)
def test_unsafe_targets_fall_back_to_the_default(target: str) -> None:
    assert safe_redirect_target(target, ALLOWED, default="/home") == "/home"


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/notes/1?x=2#top",
        "/%2F%2Fstill-local",
        "https://good.example/a",
        "http://GOOD.example./",
    ],
)
def test_local_paths_and_allowed_hosts_pass(target: str) -> None:
    assert safe_redirect_target(target, ALLOWED) == target


def test_none_falls_back() -> None:
    assert safe_redirect_target(None) == "/"


@given(st.text(max_size=40))
def test_never_yields_a_cross_origin_location(target: str) -> None:
    result = safe_redirect_target(target, ALLOWED)
    if result.startswith("/"):
        assert not result.startswith(("//", "/\\"))
        assert "\\" not in result
    else:
        assert result.lower().split("//", 1)[1].split("/", 1)[0].rstrip(".") in ALLOWED


def app_with(*guards: Callable[[Request], None]) -> Kernel:
    router = Router()
    router.add("/", lambda request: Response("ok"), ["GET", "POST"])
    return Kernel(router, guards=guards)


def test_untrusted_host_is_a_400(client: Callable[[Any], Any]) -> None:
    app = client(app_with(partial(check_host, trusted_hosts=["good.example", ".corp.example"])))
    assert app.get("/", headers={"Host": "good.example"}).text == "ok"
    assert app.get("/", headers={"Host": "good.example:8080"}).text == "ok"
    assert app.get("/", headers={"Host": "api.corp.example"}).text == "ok"
    for host in ["evil.example", "good.example:80@evil.example", "good.example.evil.example"]:
        response = app.get("/", headers={"Host": host}, status=400)
        assert "Host" in response.json["description"]


@pytest.mark.parametrize(
    ("method", "headers", "status"),
    [
        ("POST", {"Sec-Fetch-Site": "cross-site"}, 403),
        ("POST", {"Sec-Fetch-Site": "same-site"}, 403),
        ("POST", {"Sec-Fetch-Site": "same-origin"}, 200),
        ("POST", {"Sec-Fetch-Site": "none"}, 200),
        ("POST", {"Origin": "http://evil.example"}, 403),
        ("POST", {"Origin": "http://localhost:80"}, 200),
        ("POST", {"Origin": "https://partner.example", "Sec-Fetch-Site": "cross-site"}, 200),
        ("POST", {}, 200),
        ("GET", {"Sec-Fetch-Site": "cross-site"}, 200),
    ],
)
def test_cross_site_protection(
    client: Callable[[Any], Any], method: str, headers: dict[str, str], status: int
) -> None:
    guard = partial(check_cross_site, trusted_origins=["https://partner.example"])
    app = client(app_with(guard))
    headers = {"Host": "localhost:80", **headers}
    response = app.request("/", method=method, headers=headers, status=status)
    if status == 403:
        assert response.json["title"] == "403 Forbidden"
