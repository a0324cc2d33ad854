"""Testing helpers: the test client, request environs, the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from click.testing import CliRunner as ClickCliRunner
from click.testing import Result
from werkzeug.test import Client as WerkzeugClient
from werkzeug.test import EnvironBuilder as WerkzeugEnvironBuilder
from werkzeug.test import TestResponse

from .globals import _cv_app, _cv_request

if TYPE_CHECKING:
    from .app import App
    from .ctx import AppContext, RequestContext
    from .sessions import SessionMixin


def pushed_contexts() -> list[str]:
    """The kinds of context currently pushed (``["app", "request"]``); empty when none is.

    A test suite can check it after every test, so that no test leaves one behind."""
    return [
        kind
        for kind, var in (("app", _cv_app), ("request", _cv_request))
        if var.get(None) is not None
    ]


class EnvironBuilder(WerkzeugEnvironBuilder):
    """werkzeug's builder with the base URL taken from the app's config (``SERVER_NAME``,
    ``APPLICATION_ROOT``, ``PREFERRED_URL_SCHEME``)."""

    def __init__(
        self,
        app: App,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if base_url is None:
            http_host = app.config.get("SERVER_NAME") or "localhost"
            app_root = app.config["APPLICATION_ROOT"]
            if subdomain:
                http_host = f"{subdomain}.{http_host}"
            if url_scheme is None:
                url_scheme = app.config["PREFERRED_URL_SCHEME"]
            url = urlsplit(path)
            base_url = (
                f"{url.scheme or url_scheme}://{url.netloc or http_host}/{app_root.lstrip('/')}"
            )
            path = url.path
            if url.query:
                path = f"{path}?{url.query}"
        self.app = app
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: Any, **kwargs: Any) -> str:
        return self.app.json.dumps(obj, **kwargs)


def make_environ(app: App, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """A WSGI environ from werkzeug ``EnvironBuilder`` arguments."""
    builder = EnvironBuilder(app, *args, **kwargs)
    try:
        return builder.get_environ()
    finally:
        builder.close()


class Client(WerkzeugClient):
    """werkzeug's test client, with cookies kept, ``json=``, ``follow_redirects=``.

    ``with client:`` keeps the context of the last request pushed until the block ends (or
    the next request), so a test can read ``request``, ``session`` and ``g`` after it;
    :meth:`session_transaction` edits the session cookie directly.
    """

    application: App

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preserve_context = False
        self._preserved: list[tuple[AppContext, RequestContext]] = []
        self._pushed = False
        self._depth = 0
        self.environ_base = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "globals_fw-test"}

    @contextmanager
    def session_transaction(self, *args: Any, **kwargs: Any) -> Iterator[SessionMixin]:
        """Open the session the client's cookies carry; changes are saved back to them."""
        if self._cookies is None:
            raise TypeError("Cookies are disabled. Create a client with 'use_cookies=True'.")
        app = self.application
        ctx = app.test_request_context(*args, **kwargs)
        self._add_cookies_to_wsgi(ctx.request.environ)
        with ctx:
            sess = app.session_interface.open_session(app, ctx.request)
        if sess is None:
            raise RuntimeError(
                "The session backend did not open a session: set app.secret_key first."
            )
        yield sess
        resp = app.response_class()
        if app.session_interface.is_null_session(sess):
            return
        with ctx:
            app.session_interface.save_session(app, sess, resp)
        self._update_cookies_from_response(
            ctx.request.host.partition(":")[0],
            ctx.request.path,
            resp.headers.getlist("Set-Cookie"),
        )

    def _copy_environ(self, other: dict[str, Any]) -> dict[str, Any]:
        out = {**self.environ_base, **other}
        if self.preserve_context:
            out["globals_fw.preserve_context"] = self._keep
        return out

    def _keep(self, app_ctx: AppContext, req_ctx: RequestContext) -> None:
        self._preserved.append((app_ctx, req_ctx))

    def _request_from_builder_args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        kwargs["environ_base"] = self._copy_environ(kwargs.get("environ_base", {}))
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            return builder.get_request()
        finally:
            builder.close()

    def open(
        self, *args: Any, buffered: bool = False, follow_redirects: bool = False, **kwargs: Any
    ) -> TestResponse:
        if args and isinstance(args[0], WerkzeugEnvironBuilder | dict):
            if isinstance(args[0], WerkzeugEnvironBuilder):
                builder = args[0]
                builder.environ_base = self._copy_environ(dict(builder.environ_base or {}))
                request = builder.get_request()
            else:
                request = self._copy_environ(args[0])  # type: ignore[assignment]
                from werkzeug.wrappers import Request as WerkzeugRequest

                request = WerkzeugRequest(request)  # type: ignore[arg-type]
            args = (request, *args[1:])
        elif not (args and hasattr(args[0], "environ")):
            args = (self._request_from_builder_args(args, kwargs),)
            kwargs = {}
        outermost = self._depth == 0
        if outermost:
            self._pop_preserved()
        self._depth += 1
        try:
            response = super().open(
                *args, buffered=buffered, follow_redirects=follow_redirects, **kwargs
            )
        finally:
            self._depth -= 1
        if outermost:
            self._push_preserved()
        return response

    def _push_preserved(self) -> None:
        # Only the last request's contexts are kept; a redirect chain leaves several.
        kept = self._preserved[-1:] if self._preserved else []
        self._preserved = []
        for app_ctx, req_ctx in kept:
            app_ctx._tokens.append(_cv_app.set(app_ctx))
            req_ctx._tokens.append((_cv_request.set(req_ctx), None))
            self._preserved.append((app_ctx, req_ctx))
        self._pushed = bool(kept)

    def _pop_preserved(self) -> None:
        if self._pushed:
            for app_ctx, req_ctx in reversed(self._preserved):
                req_ctx._reset(None)
                app_ctx._reset()
            self._pushed = False
        self._preserved = []

    def __enter__(self) -> Client:
        if self.preserve_context:
            raise RuntimeError("Cannot nest client invocations")
        self.preserve_context = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.preserve_context = False
        self._pop_preserved()


class CliRunner(ClickCliRunner):
    """click's runner invoking the app's CLI (``runner.invoke(args=["hello"])``)."""

    def __init__(self, app: App, **kwargs: Any) -> None:
        self.app = app
        super().__init__(**kwargs)

    def invoke(self, cli: Any = None, args: Any = None, **kwargs: Any) -> Result:  # type: ignore[override]
        """Run ``cli`` (the app's command group by default) with ``args``."""
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            from .cli import ScriptInfo

            kwargs["obj"] = ScriptInfo(create_app=lambda: self.app)
        return super().invoke(cli, args, **kwargs)
