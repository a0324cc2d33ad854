"""Request checks no peer does for you: redirect targets, trusted hosts, cross-site requests.

Each is a plain function of the request (or of a string), so both front-ends can call it from
their own hooks; the kernel can also apply the host and cross-site checks to every request.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

from .errors import BadRequest, HTTPError

if TYPE_CHECKING:
    from .request import Request

# Methods that must not change state, and so need no cross-site check (RFC 9110 9.2.1).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


class Forbidden(HTTPError):
    status = 403
    description = "You are not allowed to do this."


def safe_redirect_target(
    target: str | None, allowed_hosts: Collection[str] = (), default: str = "/"
) -> str:
    """``target`` if it is safe to redirect to, else ``default``.

    Safe means a local path (one leading ``/``, not followed by ``/`` or ``\\``) or an
    ``http(s)`` URL whose host is in ``allowed_hosts``. Anything else — ``//evil``,
    ``/\\evil``, a tab- or space-prefixed ``//evil`` (browsers strip those), ``https:evil``,
    ``javascript:``, ``data:``, a URL with user info — falls back to ``default``.
    """
    if not target or _CONTROL_OR_SPACE.search(target) or "\\" in target:
        return default
    if target.startswith("/"):
        return default if target.startswith("//") else target
    try:
        parts = urlsplit(target)
    except ValueError:
        return default
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return default
    host = parts.hostname.lower().rstrip(".")
    allowed = {h.lower().rstrip(".") for h in allowed_hosts}
    return target if host in allowed else default


def check_host(request: Request, trusted_hosts: Collection[str]) -> None:
    """Raise a 400 unless the request's Host is one of ``trusted_hosts`` (a name starting
    with a dot also accepts its subdomains). The port is ignored."""
    host = request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME")
    if not host_is_trusted(host, list(trusted_hosts)):
        raise BadRequest(description="The Host header does not name a host this server serves.")


def check_cross_site(request: Request, trusted_origins: Collection[str] = ()) -> None:
    """Refuse (403) an unsafe-method request that a browser marks as coming from another site.

    ``Sec-Fetch-Site`` decides when present (``same-origin`` and ``none`` pass); otherwise an
    ``Origin`` must match the request's own origin or one of ``trusted_origins``. Requests
    with neither header (curl, server-to-server) pass: browsers always send one of them.
    """
    if request.method in SAFE_METHODS:
        return
    environ = request.environ
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None and origin in trusted_origins:
        return
    site = environ.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        if site in ("same-origin", "none"):
            return
        raise Forbidden(description="Cross-site requests may not change state here.")
    if origin is None:
        return
    own = f"{request.scheme}://{environ.get('HTTP_HOST') or environ.get('SERVER_NAME', '')}"
    if origin.lower() != own.lower():
        raise Forbidden(description="Cross-origin requests may not change state here.")
