"""Trusted hosts (matrix #51), against both front-ends configured the documented way:
resources_fw with ``check_host`` in a middleware component, globals_fw with ``TRUSTED_HOSTS``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reliability_spec import build_environ, call_wsgi

import globals_fw
import resources_fw as falcon
from resources_fw.core import check_host

TRUSTED = ["good.example", ".api.example"]


def _resources_app() -> Any:
    class Guard:
        def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
            check_host(req, TRUSTED)

    class Where:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"url": req.url}

    app = falcon.App(middleware=[Guard()])
    app.add_route("/where", Where())
    return app


def _globals_app() -> Any:
    app = globals_fw.App("hosts", static_folder=None, template_folder=None)
    app.config["TRUSTED_HOSTS"] = TRUSTED

    @app.get("/where")
    def where() -> Any:
        return {"url": globals_fw.url_for("where", _external=True)}

    return app


BUILDERS: dict[str, Callable[[], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}


@pytest.fixture(params=BUILDERS, scope="module")
def app(request: pytest.FixtureRequest) -> Any:
    return BUILDERS[request.param]()


def _get(app: Any, host: str | None) -> Any:
    environ = build_environ("GET", "/where")
    if host is None:
        del environ["HTTP_HOST"]  # HTTP/1.0: SERVER_NAME (localhost) stands in
    else:
        environ["HTTP_HOST"] = host
    return call_wsgi(app, environ)


@pytest.mark.parametrize("host", ["good.example", "good.example:8080", "x.api.example"])
def test_trusted_hosts_are_served_and_urls_use_them(app: Any, host: str) -> None:
    result = _get(app, host)
    assert result.code == 200
    assert result.json()["url"] == f"http://{host}/where"


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "",
        None,
        "good.example:80@evil.example",
        "evil.example/good.example",
        "good.example.evil.example",
        "[z:443]:8080",
        "good.example, evil.example",
        "good.example\x00",
        "a" * 1024,
        "api.example.evil",
    ],
    ids=repr,
)
def test_untrusted_hosts_are_400(app: Any, host: str | None) -> None:
    result = _get(app, host)
    result.check_error(400)
    assert b"http://" not in result.body  # no URL was built from it


@pytest.mark.parametrize("host", ["GOOD.EXAMPLE", "good.example."])
def test_host_spelling_variants_never_500(app: Any, host: str) -> None:
    # Policy (werkzeug's host_is_trusted, both front-ends): compared as sent, so these are
    # refused; browsers send the lower-case name without the dot.
    result = _get(app, host)
    result.check_error(400)
