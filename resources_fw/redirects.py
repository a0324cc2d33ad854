"""Redirects to raise from a responder: ``raise HTTPSeeOther("/next")``."""

from __future__ import annotations

from .core.errors import HeaderItems, HTTPRedirect


class _Redirect(HTTPRedirect):
    status = 302

    def __init__(self, location: str, headers: HeaderItems | None = None) -> None:
        super().__init__(location, type(self).status, headers=headers)


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
