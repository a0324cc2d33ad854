"""Redirects to raise from a responder: ``raise HTTPSeeOther("/next")``."""

from __future__ import annotations

import re
from urllib.parse import quote

from .core.errors import HeaderItems, HTTPRedirect

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def uri_encode_text(location: str) -> str:
    """Percent-encode the non-ASCII text of a URI (``/café`` -> ``/caf%C3%A9``), as Falcon
    does for Location. Control characters are left for the header check to refuse."""
    return _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), location)


class _Redirect(HTTPRedirect):
    status = 302

    def __init__(self, location: str, headers: HeaderItems | None = None) -> None:
        super().__init__(uri_encode_text(location), type(self).status, headers=headers)


class HTTPMovedPermanently(_Redirect):
    """301: the resource moved for good (clients may change POST to GET)."""

    status = 301


class HTTPFound(_Redirect):
    """302: found elsewhere for now."""

    status = 302


class HTTPSeeOther(_Redirect):
    """303: see another URL with GET (after a POST, say)."""

    status = 303


class HTTPTemporaryRedirect(_Redirect):
    """307: temporarily elsewhere; the method and body are kept."""

    status = 307


class HTTPPermanentRedirect(_Redirect):
    """308: elsewhere for good; the method and body are kept."""

    status = 308
