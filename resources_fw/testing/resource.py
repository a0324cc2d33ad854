"""``SimpleTestResource`` and the hooks that record what a responder received."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..hooks import before
from ..request import Request
from ..response import Response
from .helpers import HeaderArg


def capture_responder_args(
    req: Request, resp: Response, resource: Any, params: Mapping[str, Any]
) -> None:
    """Before hook: store ``req``, ``resp`` and the URI fields on the resource as
    ``captured_req``, ``captured_resp`` and ``captured_kwargs``.

    With a ``Capture-Req-Body-Bytes: N`` request header, the first N bytes of the body are kept
    in ``captured_req_body``; with ``Capture-Req-Media`` (any value), ``captured_req_media``
    holds ``req.get_media()``.
    """
    resource.captured_req = req
    resource.captured_resp = resp
    resource.captured_kwargs = params
    resource.captured_req_media = None
    resource.captured_req_body = None
    num_bytes = req.get_header("Capture-Req-Body-Bytes")
    if num_bytes:
        resource.captured_req_body = req.stream.read(int(num_bytes))
    elif req.get_header("Capture-Req-Media"):
        resource.captured_req_media = req.get_media()


def set_resp_defaults(
    req: Request, resp: Response, resource: Any, params: Mapping[str, Any]
) -> None:
    """Before hook: apply the resource's default status, body and headers (each if not None)."""
    if resource._default_status is not None:
        resp.status = resource._default_status
    if resource._default_body is not None:
        resp.text = resource._default_body
    if resource._default_headers is not None:
        resp.set_headers(resource._default_headers)


class SimpleTestResource:
    """A resource for testing middleware, hooks and the app: ``on_get`` and ``on_post`` do
    nothing but record their arguments (see :func:`capture_responder_args`) and answer with the
    ``status``, ``body`` (or ``json``, serialised) and ``headers`` given here."""

    def __init__(
        self,
        status: str | int | None = None,
        body: str | None = None,
        json: Any = None,
        headers: HeaderArg | None = None,
    ) -> None:
        if json is not None and body is not None:
            raise ValueError("SimpleTestResource takes either json= or body=, not both")
        self._default_status = status
        self._default_headers = headers
        self._default_body = body if json is None else _dumps(json)
        self.captured_req: Request | None = None
        self.captured_resp: Response | None = None
        self.captured_kwargs: Mapping[str, Any] | None = None
        self.captured_req_media: Any = None
        self.captured_req_body: bytes | None = None

    @property
    def called(self) -> bool:
        """Whether a responder has run."""
        return self.captured_req is not None

    @before(capture_responder_args)
    @before(set_resp_defaults)
    def on_get(self, req: Request, resp: Response, **kwargs: Any) -> None:
        """Answer with the defaults."""

    @before(capture_responder_args)
    @before(set_resp_defaults)
    def on_post(self, req: Request, resp: Response, **kwargs: Any) -> None:
        """Answer with the defaults."""


def _dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)
