"""Rendering an HTTP error for the client that asked: JSON for API clients, HTML for browsers."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import HTTPError, HTTPException, HTTPRedirect
from .media import make_dumps
from .response import Response

if TYPE_CHECKING:
    from .request import Request

_OFFERS = ["application/json", "text/html"]
# ASCII output, as json.dumps gives: safe in any client's charset handling.
_dumps = make_dumps(ensure_ascii=True)


def wants_html(request: Request) -> bool:
    """True when the client prefers HTML to JSON (a browser); API clients and clients that
    send no Accept get JSON."""
    accept = request.environ.get("HTTP_ACCEPT")
    if not accept or accept == "*/*":
        return False
    return _prefers_html(accept)


@lru_cache(maxsize=256)
def _prefers_html(accept: str) -> bool:
    # Clients send a handful of distinct Accept values; parsing one costs ~10 us.
    best = parse_accept_header(accept, MIMEAccept).best_match(_OFFERS, default=_OFFERS[0])
    return best == "text/html"


def error_body(error: HTTPError, request: Request, debug: bool = False) -> tuple[bytes, str]:
    """The body and content type for ``error``, negotiated on the request's Accept."""
    detail = error.debug_detail if debug else None
    if wants_html(request):
        parts = [f"<h1>{escape(str(error.title))}</h1>"]
        if error.description:
            parts.append(f"<p>{escape(error.description)}</p>")
        if detail:
            parts.append(f"<pre>{escape(detail)}</pre>")
        html = (
            "<!doctype html>\n<html lang=en>\n<meta charset=utf-8>\n"
            f"<title>{escape(str(error.title))}</title>\n" + "\n".join(parts) + "\n</html>\n"
        )
        return html.encode(), "text/html; charset=utf-8"
    payload = error.to_dict()
    if detail:
        payload["detail"] = detail
    return _dumps(payload).encode(), "application/json"


def render_exception(
    exc: HTTPException,
    request: Request,
    debug: bool = False,
    response_class: type[Response] = Response,
) -> Response:
    """A response for any :class:`HTTPException`: errors get a negotiated body, redirects and
    other statuses an empty one."""
    headers = list(exc.headers)
    body = None
    if isinstance(exc, HTTPError) and not isinstance(exc, HTTPRedirect):
        body, content_type = error_body(exc, request, debug)
        headers.append(("Content-Type", content_type))
    if response_class.lean_init:
        return response_class.from_parts(body, exc.status, None, headers)
    return response_class(body, exc.status, headers)
