"""Cross-site request protection as a spec run against both front-ends (matrix row 38).

Neither front-end turns it on by itself: the core's ``check_cross_site`` is called from a
middleware component (resources_fw) or a ``before_request`` hook (globals_fw), as
docs/security.md shows. Browsers send ``Sec-Fetch-Site`` (or at least ``Origin``) with every
unsafe request; a request with neither comes from a non-browser client and passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reliability_spec import Result, build_environ, call_wsgi

import globals_fw
import resources_fw as falcon
from globals_fw import request
from resources_fw.core import check_cross_site

TRUSTED = ("https://partner.example",)
UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
SAFE = ["GET", "HEAD", "OPTIONS"]


def _resources_app() -> Any:
    class Guard:
        def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
            check_cross_site(req, TRUSTED)

    class Thing:
        def _ok(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"ok": req.method}

        on_get = on_post = on_put = on_patch = on_delete = _ok

    app = falcon.App(middleware=[Guard()])
    app.add_route("/thing", Thing())
    return app


def _globals_app() -> Any:
    app = globals_fw.App("csrf", static_folder=None, template_folder=None)

    @app.before_request
    def refuse_cross_site() -> None:
        check_cross_site(request._get_current_object(), TRUSTED)  # type: ignore[attr-defined]

    @app.route("/thing", methods=["GET", *UNSAFE])
    def thing() -> Any:
        return {"ok": request.method}

    return app


BUILDERS: dict[str, Callable[[], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}


@pytest.fixture(params=BUILDERS, scope="module")
def app(request: pytest.FixtureRequest) -> Any:
    return BUILDERS[request.param]()


def _send(app: Any, method: str, headers: dict[str, str], scheme: str = "http") -> Result:
    environ = build_environ(method, "/thing", host="shop.example", headers=headers)
    environ["wsgi.url_scheme"] = scheme
    return call_wsgi(app, environ)


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("site", ["cross-site", "same-site", "garbage"])
def test_unsafe_requests_a_browser_marks_foreign_are_403(app: Any, method: str, site: str) -> None:
    _send(app, method, {"Sec-Fetch-Site": site}).check_error(403)


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize("site", ["same-origin", "none"])
def test_same_origin_and_user_initiated_requests_pass(app: Any, method: str, site: str) -> None:
    assert _send(app, method, {"Sec-Fetch-Site": site}).code == 200


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "https://shop.example",  # another scheme is another origin
        "http://shop.example:8080",  # and so is another port
        "http://shop.example.evil.example",
        "null",  # sandboxed frames, data: URLs
    ],
)
def test_an_origin_that_is_not_the_host_is_403(app: Any, origin: str) -> None:
    _send(app, "POST", {"Origin": origin}).check_error(403)


def test_the_own_origin_passes(app: Any) -> None:
    assert _send(app, "POST", {"Origin": "http://shop.example"}).code == 200
    assert _send(app, "POST", {"Origin": "https://shop.example"}, scheme="https").code == 200


def test_sec_fetch_site_decides_over_origin(app: Any) -> None:
    headers = {"Origin": "http://shop.example", "Sec-Fetch-Site": "cross-site"}
    _send(app, "POST", headers).check_error(403)


def test_a_trusted_origin_passes_even_cross_site(app: Any) -> None:
    headers = {"Origin": TRUSTED[0], "Sec-Fetch-Site": "cross-site"}
    assert _send(app, "POST", headers).code == 200


def test_requests_with_neither_header_pass(app: Any) -> None:
    # curl, server-to-server calls: no browser, no ambient cookies to abuse.
    assert _send(app, "POST", {}).code == 200


@pytest.mark.parametrize("method", SAFE)
@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}],
    ids=["sec-fetch-site", "origin"],
)
def test_safe_methods_are_never_blocked(app: Any, method: str, headers: dict[str, str]) -> None:
    assert _send(app, method, headers).code == 200
