"""One small app per front-end, built the same way in each style, for the shared bad-input spec.

The ``front`` fixture is parametrised over ``resources_fw`` (Falcon style) and ``globals_fw``
(Flask style). Both apps answer the same URLs:

==========================  ============================================================
``GET /hello``              plain text ``hello``
``POST /echo``              the JSON body, echoed as JSON
``POST /form``              the urlencoded form, as JSON
``POST /upload``            multipart: ``{"fields": {...}, "files": {name: size}}``
``POST /raw``               the body, read with one ``stream.read(content_length)``
``GET /items/<int:id>``     ``{"id": id}``
``GET /go?next=...``        303 to ``safe_redirect_target(next, ALLOWED_HOSTS)``
``GET /static/<path>``      files from a temporary directory (``hello.txt``...)
``GET /boom``               raises ``RuntimeError(SECRET)``
``GET /echo-header?v=...``  copies ``v`` into the ``X-Echo`` response header (unsafe on purpose)
``GET /raw-redirect?to=``   redirects to ``to`` unchecked (unsafe on purpose)
``GET /cookie?v=...``        sets cookie ``c`` to ``v`` (quoted or refused, never injected)
``GET /whoami``             the user name of a Basic ``Authorization`` header, or null
``GET|POST /session``       globals_fw only: read / increment a counter in the session
==========================  ============================================================

Apps are built once per session (they hold no per-test state) so that hypothesis tests can use
them. Requests go through WebTest under ``wsgiref.validate`` (``front.client``) or, for environs
the validator itself refuses, through :func:`call_wsgi` with a hand-built environ.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.validate import validator

import pytest
import wsgi_support as support
from webtest import TestApp
from wsgi_support import Environ, WSGIApp

import globals_fw
import resources_fw as falcon
from globals_fw.testing import pushed_contexts
from resources_fw.core import Limits, safe_redirect_target

SECRET = "s3cr3t-token-7f1e /srv/app/private_settings.py"
ALLOWED_HOSTS = ("good.example",)
MAX_CONTENT_LENGTH = 256 * 1024
# Above werkzeug's 64 KiB multipart read size: see test_bodies.py::test_small_form_memory_limit...
MAX_FORM_MEMORY = 80_000
MAX_FORM_PARTS = 20
STATIC_TEXT = b"0123456789abcdefghij" * 10  # 200 bytes

# pytest's importlib mode puts no test directory on sys.path: this name lets the spec modules
# import the helpers and limits below (``from reliability_spec import Front, ...``).
sys.modules.setdefault("reliability_spec", sys.modules[__name__])


class Result(support.Result):
    """What a WSGI app answered to a hand-built environ."""

    def check_error(self, *codes: int) -> None:
        """The answer is one of ``codes`` with a readable body that leaks nothing."""
        assert self.code in codes, (self.status, self.body[:300])
        check_no_leak(self.body)
        content_type = self.header("Content-Type") or ""
        if content_type.startswith("application/json"):
            assert "title" in self.json(), self.body[:300]
        else:
            assert content_type.startswith("text/html"), content_type
            assert b"<h1>" in self.body, self.body[:300]


def check_no_leak(body: bytes) -> None:
    """No traceback, secret, file path or interpreter version in a response body."""
    for needle in (b"Traceback", b"s3cr3t", b".py", b'File "', b"Python/3", b"werkzeug/"):
        assert needle not in body, (needle, body[:300])


@dataclass
class Front:
    """One front-end's app, and what the spec needs to know about it."""

    name: str
    app: WSGIApp
    static_dir: Path
    routes: tuple[str, ...] = field(default=())

    @property
    def client(self) -> TestApp:
        """A WebTest client over the app wrapped in ``wsgiref.validate``."""
        return TestApp(validator(self.app))

    def call(self, environ: Environ, validate: bool = True) -> Result:
        return call_wsgi(self.app, environ, validate)

    def send(
        self,
        path: str,
        method: str = "GET",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> Result:
        """One request through WebTest under ``wsgiref.validate``."""
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        response = self.client.request(
            path, method=method, body=body, headers=all_headers, expect_errors=True
        )
        return Result(response.status, list(response.headerlist), response.body)


def build_environ(
    method: str = "GET", path: str = "/", body: bytes = b"", **kwargs: Any
) -> Environ:
    """:func:`wsgi_support.build_environ` with ``Host: localhost``, as a browser sends it."""
    kwargs.setdefault("host", "localhost")
    return support.build_environ(method, path, body, **kwargs)


def call_wsgi(app: WSGIApp, environ: Environ, validate: bool = True) -> Result:
    """:func:`wsgi_support.call_wsgi`, answering with this spec's :class:`Result`."""
    return support.call_wsgi(app, environ, validate, Result)


# -- resources_fw (Falcon style) -----------------------------------------------------------


class _Hello:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "hello"


class _Echo:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = req.get_media()


class _Form:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = req.get_media()


class _Upload:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        mimetype = (req.content_type or "").split(";")[0].strip().lower()
        if mimetype != falcon.MEDIA_MULTIPART:
            # Other forms decode to a dict, not to parts.
            raise falcon.HTTPUnsupportedMediaType(description="Send a multipart/form-data body.")
        fields: dict[str, Any] = {}
        files: dict[str, int] = {}
        for part in req.get_media():
            if part.filename is None:
                fields[part.name] = part.get_data().decode("utf-8", "replace")
            else:
                files[part.name] = len(part.get_data())
        resp.media = {"fields": fields, "files": files}


class _Raw:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = "application/octet-stream"
        resp.data = req.bounded_stream.read(req.content_length or 0)


class _Item:
    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        resp.media = {"id": id}


class _Go:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPSeeOther(safe_redirect_target(req.get_param("next"), ALLOWED_HOSTS))


class _Boom:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise RuntimeError(SECRET)


class _EchoHeader:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_header("X-Echo", req.get_param("v") or "")
        resp.text = "ok"


class _WhoAmI:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        auth = req.authorization
        resp.media = {"user": auth.username if auth is not None else None}


class _Cookie:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_cookie("c", req.get_param("v") or "", secure=False)
        resp.text = "ok"


class _RawRedirect:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPFound(req.get_param("to") or "/")


def make_resources_app(static_dir: Path) -> falcon.App:
    limits = Limits(MAX_CONTENT_LENGTH, MAX_FORM_MEMORY, MAX_FORM_PARTS)
    app = falcon.App(limits=limits)
    app.add_route("/hello", _Hello())
    app.add_route("/echo", _Echo())
    app.add_route("/form", _Form())
    app.add_route("/upload", _Upload())
    app.add_route("/raw", _Raw())
    app.add_route("/items/{id:int}", _Item())
    app.add_route("/go", _Go())
    app.add_route("/boom", _Boom())
    app.add_route("/echo-header", _EchoHeader())
    app.add_route("/raw-redirect", _RawRedirect())
    app.add_route("/whoami", _WhoAmI())
    app.add_route("/cookie", _Cookie())
    app.add_static_route("/static", static_dir)
    return app


# -- globals_fw (Flask style) --------------------------------------------------------------


def make_globals_app(static_dir: Path) -> globals_fw.App:
    app = globals_fw.App(
        "reliability",
        root_path=str(static_dir.parent),
        static_folder=static_dir.name,
        template_folder=None,
    )
    app.config.update(
        SECRET_KEY="reliability secret",
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        MAX_FORM_MEMORY_SIZE=MAX_FORM_MEMORY,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
    )
    _add_body_views(app)
    _add_other_views(app)
    return app


def _add_body_views(app: globals_fw.App) -> None:
    from globals_fw import jsonify, request

    @app.get("/hello")
    def hello() -> Any:
        return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.post("/echo")
    def echo() -> Any:
        return jsonify(request.get_json())

    @app.post("/form")
    def form() -> Any:
        return dict(request.form)

    @app.post("/upload")
    def upload() -> Any:
        files = {name: len(f.read()) for name, f in request.files.items()}
        return {"fields": dict(request.form), "files": files}

    @app.post("/raw")
    def raw() -> Any:
        data = request.stream.read(request.content_length or 0)
        return data, 200, {"Content-Type": "application/octet-stream"}


def _add_other_views(app: globals_fw.App) -> None:
    from globals_fw import redirect, request, session

    @app.get("/items/<int:id>")
    def item(id: int) -> Any:
        return {"id": id}

    @app.get("/go")
    def go() -> Any:
        return redirect(safe_redirect_target(request.args.get("next"), ALLOWED_HOSTS), 303)

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError(SECRET)

    @app.get("/echo-header")
    def echo_header() -> Any:
        return "ok", 200, {"X-Echo": request.args.get("v", "")}

    @app.get("/raw-redirect")
    def raw_redirect() -> Any:
        return redirect(request.args.get("to", "/"))

    @app.get("/cookie")
    def cookie() -> Any:
        response = app.make_response("ok")
        response.set_cookie("c", request.args.get("v", ""))
        return response

    @app.get("/whoami")
    def whoami() -> Any:
        auth = request.authorization
        return {"user": auth.username if auth is not None else None}

    @app.route("/session", methods=["GET", "POST"])
    def counter() -> Any:
        if request.method == "POST":
            session["n"] = session.get("n", 0) + 1
        return {"n": session.get("n", 0)}


GET_ROUTES = ("/hello", "/items/7", "/go?next=/x", "/static/hello.txt", "/boom", "/whoami")
FRONT_NAMES = ("resources_fw", "globals_fw")


@pytest.fixture(scope="session")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<tmp>/public/static`` holding ``hello.txt`` and ``empty.txt``, with a secret next to
    it (``<tmp>/public/secret.txt``) and one above the root (``<tmp>/secret.txt``)."""
    root = tmp_path_factory.mktemp("reliability")
    public = root / "public"
    directory = public / "static"
    directory.mkdir(parents=True)
    (directory / "hello.txt").write_bytes(STATIC_TEXT)
    (directory / "empty.txt").write_bytes(b"")
    (public / "secret.txt").write_text("TOP SECRET next to static")
    (root / "secret.txt").write_text("TOP SECRET above static")
    return directory


@pytest.fixture(scope="session")
def fronts(static_dir: Path) -> dict[str, Front]:
    resources = make_resources_app(static_dir)
    globals_app = make_globals_app(static_dir)
    return {
        "resources_fw": Front("resources_fw", resources, static_dir, GET_ROUTES),
        "globals_fw": Front("globals_fw", globals_app, static_dir, (*GET_ROUTES, "/session")),
    }


@pytest.fixture(params=FRONT_NAMES)
def front(request: pytest.FixtureRequest, fronts: dict[str, Front]) -> Front:
    """The shared spec's app, once per front-end."""
    return fronts[request.param]


@pytest.fixture
def globals_front(fronts: dict[str, Front]) -> Front:
    return fronts["globals_fw"]


@pytest.fixture(autouse=True)
def _no_context_leak() -> Iterator[None]:
    """Fail any test that leaves a globals_fw context pushed, whatever the request did."""
    yield
    leaked = pushed_contexts()
    if leaked:
        pytest.fail(f"the test left {' and '.join(leaked)} context(s) pushed")
