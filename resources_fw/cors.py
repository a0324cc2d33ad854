"""CORS: ``App(cors_enable=True)`` or ``App(middleware=[CORSMiddleware(...)])``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .request import Request
from .response import Response


class CORSMiddleware:
    """Add CORS headers to responses for cross-origin requests, and answer preflights.

    ``allow_origins``: ``"*"`` or the allowed origins; ``expose_headers``: response headers
    scripts may read; ``allow_credentials``: ``"*"`` or the origins allowed to send
    credentials (the response then names the origin, never ``*``).
    """

    def __init__(
        self,
        allow_origins: str | Iterable[str] = "*",
        expose_headers: str | Iterable[str] | None = None,
        allow_credentials: str | Iterable[str] | None = None,
        allow_private_network: bool = False,
        max_age: int = 86400,
    ) -> None:
        self.allow_origins = _normalize(allow_origins, "allow_origins")
        self.expose_headers = (
            expose_headers
            if isinstance(expose_headers, str) or expose_headers is None
            else ", ".join(expose_headers)
        )
        self.allow_credentials = (
            _normalize(allow_credentials, "allow_credentials") if allow_credentials else None
        )
        self.allow_private_network = allow_private_network
        self.max_age = max_age

    def process_response(
        self, req: Request, resp: Response, resource: object, req_succeeded: bool
    ) -> None:
        origin = req.environ.get("HTTP_ORIGIN")
        if not origin or not _allowed(self.allow_origins, origin):
            return
        # A responder that set the header itself has decided; leave its answer alone.
        if resp.get_header("Access-Control-Allow-Origin") is None:
            credentials = self.allow_credentials is not None and _allowed(
                self.allow_credentials, origin
            )
            if self.allow_origins == "*" and not credentials:
                resp.set_header("Access-Control-Allow-Origin", "*")
            else:
                resp.set_header("Access-Control-Allow-Origin", origin)
                _vary(resp, "Origin")
            if credentials:
                resp.set_header("Access-Control-Allow-Credentials", "true")
        if self.expose_headers:
            resp.set_header("Access-Control-Expose-Headers", self.expose_headers)
        if (
            req_succeeded
            and req.method == "OPTIONS"
            and req.environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        ):
            self._preflight(req, resp)

    def _preflight(self, req: Request, resp: Response) -> None:
        allow = resp.get_header("Allow")
        if not allow:
            # The resource answered OPTIONS itself without an Allow header (or a sink did):
            # no methods are granted, so no CORS grant is made either.
            for name in _PREFLIGHT_HEADERS:
                resp.delete_header(name)
            return
        resp.delete_header("Allow")
        resp.set_header("Access-Control-Allow-Methods", allow)
        wanted = req.environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
        resp.set_header("Access-Control-Allow-Headers", wanted or "*")
        resp.set_header("Access-Control-Max-Age", str(self.max_age))
        if self.allow_private_network and req.environ.get(
            "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"
        ):
            resp.set_header("Access-Control-Allow-Private-Network", "true")


_PREFLIGHT_HEADERS = (
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
)


def _normalize(value: str | Iterable[str], argument: str) -> Any:
    # Origins are compared exactly, as browsers serialise them (and as Falcon does).
    if isinstance(value, str):
        return "*" if value == "*" else frozenset({value})
    origins = frozenset(value)
    if "*" in origins:
        raise ValueError(
            f'the wildcard "*" may only be passed to {argument} as the string "*", not '
            "inside a list of origins"
        )
    return origins


def _allowed(allowed: Any, origin: str) -> bool:
    return allowed == "*" or origin in allowed


def _vary(resp: Response, name: str) -> None:
    current = resp.get_header("Vary")
    if not current:
        resp.set_header("Vary", name)
    elif name.lower() not in (v.strip().lower() for v in current.split(",")):
        resp.set_header("Vary", f"{current}, {name}")
