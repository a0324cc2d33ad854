"""Simulated requests: ``simulate_get(app, "/")`` or ``TestClient(app).get("/")``.

The app always runs under :func:`wsgiref.validate.validator`, so a response that breaks
PEP 3333 fails the test that produced it.
"""

from __future__ import annotations

import json as _json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.cookies import Morsel, SimpleCookie
from typing import Any
from wsgiref.validate import validator

from werkzeug.datastructures import Headers
from werkzeug.http import parse_options_header

from ..util import to_query_str
from .helpers import DEFAULT_HOST, CookieArg, HeaderArg, create_environ

WSGIApp = Callable[..., Iterable[bytes]]


class ResultHeaders(Headers):
    """The response headers: werkzeug ``Headers`` (case-insensitive, ``getlist`` for repeated
    names), plus ``lower_items()`` as on Falcon's ``Result.headers``."""

    def lower_items(self) -> Iterator[tuple[str, str]]:
        """``(lower-cased name, value)`` pairs."""
        return ((name.lower(), value) for name, value in self.items())


class Cookie:
    """A cookie the app set: name, value and its attributes."""

    def __init__(self, morsel: Morsel[str], partitioned: bool = False) -> None:
        self.name = morsel.key
        self.value = morsel.value
        self._morsel = morsel
        self._partitioned = partitioned

    def __repr__(self) -> str:
        return f"<Cookie {self.name}={self.value!r}>"

    @property
    def expires(self) -> datetime | None:
        raw = self._morsel["expires"]
        return parsedate_to_datetime(raw) if raw else None

    @property
    def path(self) -> str | None:
        return self._morsel["path"] or None

    @property
    def domain(self) -> str | None:
        return self._morsel["domain"] or None

    @property
    def max_age(self) -> int | None:
        raw = self._morsel["max-age"]
        return int(raw) if raw else None

    @property
    def secure(self) -> bool:
        return bool(self._morsel["secure"])

    @property
    def http_only(self) -> bool:
        return bool(self._morsel["httponly"])

    @property
    def same_site(self) -> str | None:
        return self._morsel["samesite"] or None

    @property
    def partitioned(self) -> bool:
        return self._partitioned


class Result:
    """A simulated response: ``status`` (line), ``status_code``, ``headers``, ``content``,
    ``text``, ``json``, ``cookies``."""

    def __init__(self, chunks: Iterable[bytes], status: str, headers: list[tuple[str, str]]):
        self.content = b"".join(chunks)
        self.status = status
        self.status_code = int(status[:3])
        self.headers = ResultHeaders(headers)

    def __repr__(self) -> str:
        return f"<Result {self.status}>"

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")

    @property
    def encoding(self) -> str | None:
        ct = self.content_type
        return parse_options_header(ct)[1].get("charset") if ct else None

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8")

    @property
    def json(self) -> Any:
        """The body decoded as JSON; ``None`` for an empty body."""
        return _json.loads(self.content.decode()) if self.content else None

    @property
    def cookies(self) -> dict[str, Cookie]:
        found: dict[str, Cookie] = {}
        for raw in self.headers.getlist("Set-Cookie"):
            # The stdlib parser (3.11) does not know the Partitioned attribute.
            attrs = [a.strip() for a in raw.split(";")]
            partitioned = any(a.lower() == "partitioned" for a in attrs[1:])
            jar: SimpleCookie = SimpleCookie()
            jar.load("; ".join(a for a in attrs if a.lower() != "partitioned"))
            for morsel in jar.values():
                found[morsel.key] = Cookie(morsel, partitioned)
        return found


def simulate_request(
    app: WSGIApp,
    method: str = "GET",
    path: str = "/",
    query_string: str | None = None,
    headers: HeaderArg | None = None,
    content_type: str | None = None,
    body: str | bytes | None = None,
    json: Any = None,
    file_wrapper: Callable[..., Any] | None = None,
    wsgierrors: Any = None,
    params: Mapping[str, Any] | None = None,
    params_csv: bool = False,
    protocol: str = "http",
    host: str = DEFAULT_HOST,
    remote_addr: str | None = None,
    extras: Mapping[str, Any] | None = None,
    http_version: str = "1.1",
    port: int | None = None,
    root_path: str | None = None,
    cookies: CookieArg | None = None,
) -> Result:
    """Call ``app`` once, under ``wsgiref.validate``, and collect its :class:`Result`."""
    if query_string is not None and params is not None:
        raise ValueError("pass query_string= or params=, not both")
    if "?" in path and (query_string is not None or params is not None):
        raise ValueError("the path has a query string; do not also pass query_string/params")
    if json is not None:
        # As in Falcon, json= wins over body= and decides the type (headers included).
        body = _json.dumps(json, ensure_ascii=False)
        content_type = "application/json"
    if params is not None:
        query_string = to_query_str(params, comma_delimited_lists=params_csv, prefix=False)
    all_headers: list[tuple[str, str]] = []
    if headers:
        all_headers.extend(headers.items() if isinstance(headers, Mapping) else headers)
    if content_type is not None:
        all_headers.append(("Content-Type", content_type))
    env = create_environ(
        path=path,
        query_string=query_string or "",
        http_version=http_version,
        scheme=protocol,
        host=host,
        port=port,
        headers=all_headers,
        body=body or b"",
        method=method,
        wsgierrors=wsgierrors,
        file_wrapper=file_wrapper,
        remote_addr=remote_addr,
        root_path=root_path,
        cookies=cookies,
    )
    if extras:
        env.update(extras)
    return _run(app, env)


def _run(app: WSGIApp, env: dict[str, Any]) -> Result:
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"] = status
        captured["headers"] = headers
        return lambda data: None

    iterable = validator(app)(env, start_response)
    try:
        chunks = list(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    return Result(chunks, captured["status"], captured["headers"])


def _method(name: str) -> Callable[..., Result]:
    def simulate(app: WSGIApp, path: str = "/", **kwargs: Any) -> Result:
        return simulate_request(app, name, path, **kwargs)

    simulate.__name__ = f"simulate_{name.lower()}"
    simulate.__doc__ = f"Simulate a {name} request (keyword arguments as simulate_request)."
    return simulate


simulate_get = _method("GET")
simulate_head = _method("HEAD")
simulate_post = _method("POST")
simulate_put = _method("PUT")
simulate_patch = _method("PATCH")
simulate_delete = _method("DELETE")
simulate_options = _method("OPTIONS")


class SimulateMethods:
    """``simulate_get`` ... ``simulate_options`` on top of a ``simulate_request`` method."""

    def simulate_request(self, method: str = "GET", path: str = "/", **kwargs: Any) -> Result:
        raise NotImplementedError

    def simulate_get(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("GET", path, **kwargs)

    def simulate_head(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("HEAD", path, **kwargs)

    def simulate_post(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("POST", path, **kwargs)

    def simulate_put(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("PUT", path, **kwargs)

    def simulate_patch(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("PATCH", path, **kwargs)

    def simulate_delete(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("DELETE", path, **kwargs)

    def simulate_options(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("OPTIONS", path, **kwargs)


class TestClient(SimulateMethods):
    """Simulate requests against one app; ``headers`` are sent with every request."""

    __test__ = False  # not a pytest test class

    def __init__(self, app: WSGIApp, headers: HeaderArg | None = None) -> None:
        self.app = app
        self._default_headers = dict(
            headers.items() if isinstance(headers, Mapping) else headers or ()
        )

    def simulate_request(self, method: str = "GET", path: str = "/", **kwargs: Any) -> Result:
        if self._default_headers:
            merged = dict(self._default_headers)
            extra = kwargs.get("headers") or {}
            merged.update(extra.items() if isinstance(extra, Mapping) else extra)
            kwargs["headers"] = merged
        return simulate_request(self.app, method, path, **kwargs)

    get = SimulateMethods.simulate_get
    head = SimulateMethods.simulate_head
    post = SimulateMethods.simulate_post
    put = SimulateMethods.simulate_put
    patch = SimulateMethods.simulate_patch
    delete = SimulateMethods.simulate_delete
    options = SimulateMethods.simulate_options
    request = simulate_request
