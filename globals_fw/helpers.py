"""Helpers used from views: responses, redirects, errors, URLs, flashing, files."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NoReturn

import werkzeug.utils
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.wrappers import Response as WerkzeugResponse

from resources_fw.core import Response as CoreResponse

from . import signals
from .globals import _cv_app, current_app, request, request_ctx, session
from .wrappers import from_werkzeug_response

if TYPE_CHECKING:
    from .wrappers import Response


def make_response(*args: Any) -> Response:
    """Turn a view's return value into a response you can modify: ``make_response(body,
    status, headers)``, or a new empty response without arguments."""
    if not args:
        return current_app.response_class()
    if len(args) == 1:
        args = args[0]
    return current_app.make_response(args)


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: Any,
) -> str:
    """The URL of ``endpoint`` (``"index"``, ``"bp.view"``, ``".view"`` within the current
    blueprint, ``"static"``); extra values become the query string."""
    return current_app.url_for(
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )


def redirect(location: str, code: int = 302, Response: type[Response] | None = None) -> Response:
    """A redirect response to ``location`` (302 unless ``code``)."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.redirect(location, code)
    from .wrappers import Response as DefaultResponse

    return _redirect(location, code, Response or DefaultResponse)


def _redirect(location: str, code: int, response_class: type[Response]) -> Response:
    from html import escape

    from werkzeug.urls import iri_to_uri

    safe = escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target "
        f'URL: <a href="{safe}">{safe}</a>. If not, click the link.\n'
    )
    return response_class(body, code, headers=[("Location", iri_to_uri(location))])


def abort(code: int | WerkzeugResponse | Response, *args: Any, **kwargs: Any) -> NoReturn:
    """Raise the werkzeug HTTP exception for ``code`` (``abort(404)``, ``abort(400,
    description="...")``), or end the request with a ready response (``abort(response)``)."""
    if isinstance(code, CoreResponse):
        raise WerkzeugHTTPException(response=code)  # type: ignore[arg-type]
    _wz_abort(code, *args, **kwargs)


def flash(message: str, category: str = "message") -> None:
    """Keep ``message`` in the session for the next request's ``get_flashed_messages``."""
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if signals.message_flashed.receivers:
        signals.message_flashed.send(app, message=message, category=category)


def get_flashed_messages(
    with_categories: bool = False, category_filter: Any = ()
) -> list[str] | list[tuple[str, str]]:
    """The flashed messages, removed from the session (and kept for the rest of the
    request); ``(category, message)`` pairs with ``with_categories``."""
    ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    flashes = getattr(ctx, "flashes", None)
    if flashes is None:
        flashes = list(session.pop("_flashes")) if "_flashes" in session else []
        ctx.flashes = flashes
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    if not with_categories:
        return [x[1] for x in flashes]
    return [(c, m) for c, m in flashes]


def _from_werkzeug(rv: WerkzeugResponse) -> Response:
    return from_werkzeug_response(rv, current_app.response_class)


def _range_checked(environ: dict[str, Any]) -> dict[str, Any]:
    """Where werkzeug departs from RFC 9110 14.1-14.2 on ``Range``: a unit other than bytes
    must be ignored (werkzeug answers 416), and a zero-length suffix (``bytes=-0``) is
    unsatisfiable (werkzeug sends the whole file as a 206)."""
    value = environ.get("HTTP_RANGE")
    if value is None:
        return environ
    unit, _, ranges = value.partition("=")
    if unit.strip().lower() != "bytes":
        return {k: v for k, v in environ.items() if k != "HTTP_RANGE"}
    if ranges.replace(" ", "") == "-0":
        raise RequestedRangeNotSatisfiable()
    return environ


def send_file(
    path_or_file: os.PathLike[str] | str | IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: int | Callable[[str | None], int | None] | None = None,
) -> Response:
    """Send a file's contents (werkzeug's ``send_file``: ETag, 304, Range)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    rv = werkzeug.utils.send_file(
        path_or_file,
        _range_checked(request.environ),
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=download_name,
        conditional=conditional,
        etag=etag,
        last_modified=last_modified,
        max_age=max_age if max_age is not None else app.get_send_file_max_age,
        use_x_sendfile=bool(app.config["USE_X_SENDFILE"]),
        _root_path=app.root_path,
    )
    return _from_werkzeug(rv)


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: Any
) -> Response:
    """Send ``path`` from inside ``directory``; a path escaping it, or a missing file, is a
    404 (werkzeug's ``safe_join``)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kwargs.setdefault("max_age", app.get_send_file_max_age)
    kwargs.setdefault("use_x_sendfile", bool(app.config["USE_X_SENDFILE"]))
    rv = werkzeug.utils.send_from_directory(
        directory, path, _range_checked(request.environ), _root_path=app.root_path, **kwargs
    )
    return _from_werkzeug(rv)


def get_template_attribute(template_name: str, attribute: str) -> Any:
    """A macro or variable exported by a template (``get_template_attribute("m.html",
    "hello")``)."""
    return getattr(current_app.jinja_env.get_template(template_name).module, attribute)
