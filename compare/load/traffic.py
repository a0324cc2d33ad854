"""What the load generator sends: the good requests (a mix over the reference apps) and the
hostile ones, each with the answer it must get.

Good traffic needs a signed session cookie and its CSRF token; ``prepare`` fetches both from
the server once. Because sessions are signed cookies, that one cookie is valid on every worker.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from compare.load.client import Connection, request_bytes

CLIENT_ERRORS = frozenset(range(400, 500))
TEXT = [("Accept", "text/plain")]
HTML = [("Accept", "text/html")]
JSON_IN = [("Content-Type", "application/json"), ("Accept", "application/json")]
BEARER = [("Authorization", "Bearer alice-token")]
BOUNDARY = "loadboundary"
MULTIPART = [("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")]


@dataclass(frozen=True)
class Spec:
    """One request and the answers it may get.

    ``fresh`` requests go on a new connection that is closed afterwards (hostile requests whose
    framing is broken must not poison a kept-alive connection). ``forbid_header`` names a header
    that must not appear in the reply (a header-injection check).
    """

    name: str
    raw: bytes
    expect: frozenset[int]
    hostile: bool = False
    weight: int = 1
    fresh: bool = False
    head: bool = False
    forbid_header: str | None = None

    def accepts(self, status: int, headers: list[tuple[str, str]]) -> bool:
        """Whether a reply with ``status`` and ``headers`` is the answer this request must get."""
        if self.forbid_header is not None:
            forbidden = self.forbid_header.lower()
            if any(name.lower() == forbidden for name, _ in headers):
                return False
        return status in self.expect


@dataclass(frozen=True)
class Session:
    """A signed session cookie and the CSRF token stored in it."""

    cookie: str
    csrf_token: str


_COOKIE = re.compile(r"^\s*session=([^;]+)")
_TOKEN = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


class PrepareError(RuntimeError):
    """The server did not hand out a session for the form traffic."""


def prepare(host: str, port: int) -> Session:
    """Get a session cookie and its CSRF token from ``/html/login``."""
    connection = Connection(host, port)
    try:
        reply = connection.exchange(request_bytes("GET", "/html/login", HTML, close=True))
    finally:
        connection.close()
    cookies = [_COOKIE.match(v) for k, v in reply.headers if k.lower() == "set-cookie"]
    token = _TOKEN.search(reply.body.decode("utf-8", "replace"))
    cookie = next((m.group(1) for m in cookies if m), None)
    if reply.status != 200 or cookie is None or token is None:
        raise PrepareError(
            f"GET /html/login answered {reply.status} without a session cookie and a "
            "csrf_token field; is the html app mounted at /html?"
        )
    return Session(cookie, token.group(1))


def _multipart(name: str, content: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def good_requests(session: Session) -> list[Spec]:
    """The good traffic: every kind of route the reference apps have."""
    cookie = [("Cookie", f"session={session.cookie}")]
    form = f"csrf_token={session.csrf_token}&username=ann&password=wonderland".encode()
    note = json.dumps({"title": "Call Ada", "body": "about the engine", "tag": "people"}).encode()
    ok = frozenset({200})
    return [
        Spec("plain GET", request_bytes("GET", "/routing/users/7"), ok, weight=3),
        Spec("JSON GET", request_bytes("GET", "/notes/notes?limit=2&tag=shopping"), ok, weight=2),
        # PUT, not POST: creating a note per request would grow the store, and the RSS bar
        # would measure the data instead of a leak.
        Spec("JSON PUT", request_bytes("PUT", "/notes/notes/2", JSON_IN, note), ok),
        Spec(
            "form POST (login)",
            request_bytes(
                "POST",
                "/html/login",
                [*HTML, *cookie, ("Content-Type", "application/x-www-form-urlencoded")],
                form,
            ),
            frozenset({303}),
        ),
        Spec(
            "multipart upload",
            request_bytes("POST", "/files/files", MULTIPART, _multipart("load.txt", b"x" * 4096)),
            frozenset({201}),
        ),
        Spec(
            "static Range",
            request_bytes("GET", "/files/static/hello.txt", [("Range", "bytes=0-4")]),
            frozenset({206}),
        ),
        Spec("session read", request_bytes("GET", "/html/", [*HTML, *cookie]), ok),
        Spec("session write", request_bytes("GET", "/html/login", HTML), ok),
        Spec("file download", request_bytes("GET", "/files/files/welcome.txt"), ok),
        Spec("streamed report", request_bytes("GET", "/files/report.csv"), ok),
        Spec("HEAD", request_bytes("HEAD", "/routing/users/7"), ok, head=True),
        Spec("auth + hooks", request_bytes("GET", "/crosscut/orders", BEARER), ok),
        Spec("health", request_bytes("GET", "/crosscut/health"), ok),
    ]


def _raw(text: str, body: bytes = b"") -> bytes:
    return text.replace("\n", "\r\n").encode("latin-1") + body


def _json_post(body: bytes, content_type: str = "application/json") -> bytes:
    headers = [("Content-Type", content_type), ("Accept", "application/json")]
    return request_bytes("POST", "/notes/notes", headers, body)


def hostile_requests() -> list[Spec]:
    """Bad input from the reliability matrix (§1 #5, #7, #10-13, #37): each gets a 4xx (the
    header-injection probe gets its redirect, without the injected header)."""
    oversized = _multipart("big.txt", b"x" * (80 * 1024))  # over the files app's 64 KiB
    deep = b"[" * 50_000 + b"]" * 50_000
    return [
        Spec("malformed JSON", _json_post(b'{"title": '), CLIENT_ERRORS, hostile=True),
        Spec("deeply nested JSON", _json_post(deep), CLIENT_ERRORS, hostile=True),
        Spec("non-UTF-8 JSON", _json_post(b'{"title": "\xff\xfe"}'), CLIENT_ERRORS, hostile=True),
        Spec("wrong content type", _json_post(b"title=x", "text/plain"), CLIENT_ERRORS, True),
        Spec(
            "oversized body",
            request_bytes("POST", "/files/files", MULTIPART, oversized, close=True),
            frozenset({413}),
            hostile=True,
            fresh=True,
        ),
        Spec(
            "broken multipart",
            request_bytes("POST", "/files/files", MULTIPART, b"--loadboundary\r\nno headers"),
            CLIENT_ERRORS,
            hostile=True,
        ),
        Spec(
            "garbage Content-Length",
            _raw(
                "POST /notes/notes HTTP/1.1\nHost: x\nContent-Length: 12abc\nConnection: close\n\n",
                b"{}",
            ),
            CLIENT_ERRORS,
            hostile=True,
            fresh=True,
        ),
        Spec(
            "conflicting Content-Length",
            _raw(
                "POST /notes/notes HTTP/1.1\nHost: x\nContent-Length: 2\nContent-Length: 7\n"
                "Connection: close\n\n",
                b"{}",
            ),
            CLIENT_ERRORS,
            hostile=True,
            fresh=True,
        ),
        Spec(
            "path traversal (static)",
            request_bytes("GET", "/files/static/..%2f..%2fregistry.py"),
            CLIENT_ERRORS,
            hostile=True,
        ),
        Spec(
            "path traversal (download)",
            request_bytes("GET", "/files/files/..%2F..%2F..%2Fetc%2Fpasswd"),
            CLIENT_ERRORS,
            hostile=True,
        ),
        Spec(
            "CR/LF in request line",
            _raw(
                "GET /routing/search?q=a\rX-Injected:%201 HTTP/1.1\nHost: x\nConnection: close\n\n"
            ),
            CLIENT_ERRORS,
            hostile=True,
            fresh=True,
        ),
        Spec(
            "CR/LF echoed into Location",
            request_bytes("GET", "/routing/docs?next=%0D%0AX-Injected:%201"),
            frozenset({301, 308}),
            hostile=True,
            forbid_header="X-Injected",
        ),
        Spec(
            "huge header",
            request_bytes("GET", "/routing/users/7", [("X-Huge", "a" * 300_000)], close=True),
            CLIENT_ERRORS,
            hostile=True,
            fresh=True,
        ),
        Spec(
            "invalid UTF-8 in path",
            request_bytes("GET", "/routing/users/%ff"),
            CLIENT_ERRORS,
            hostile=True,
        ),
        Spec(
            "unsatisfiable Range",
            request_bytes("GET", "/files/static/hello.txt", [("Range", "bytes=99999-")]),
            frozenset({416}),
            hostile=True,
        ),
        Spec(
            "forged bearer token",
            request_bytes("GET", "/crosscut/orders", [("Authorization", "Bearer forged")]),
            frozenset({401}),
            hostile=True,
        ),
        Spec(
            "garbage method", request_bytes("BREW", "/routing/users/7"), CLIENT_ERRORS, hostile=True
        ),
    ]
