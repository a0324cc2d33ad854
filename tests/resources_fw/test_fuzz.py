"""Open-ended input never yields a 500: random requests against a representative app."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resources_fw as falcon
from resources_fw import testing


class Everything:
    def on_get(self, req: falcon.Request, resp: falcon.Response, **params: Any) -> None:
        resp.media = {
            "n": req.get_param_as_int("n", min_value=0, max_value=10),
            "f": req.get_param_as_float("f"),
            "b": req.get_param_as_bool("b"),
            "l": req.get_param_as_list("l", int),
            "d": str(req.get_param_as_date("d")),
            "j": req.get_param_as_json("j"),
            "u": str(req.get_param_as_uuid("u")),
            "range": req.range,
            "ims": str(req.if_modified_since),
            "inm": [str(t) for t in req.if_none_match or []],
            "fwd": req.forwarded_host,
            "route": req.access_route,
            "len": req.content_length,
            "params": {k: str(v) for k, v in params.items()},
        }

    def on_post(self, req: falcon.Request, resp: falcon.Response, **params: Any) -> None:
        media = req.get_media(default_when_empty=None)
        if hasattr(media, "parts"):
            media = [[p.name, p.filename, len(p.data)] for p in media]
        resp.media = {"media": media}


app = falcon.App()
app.add_route("/e", Everything())
app.add_route("/e/{id:int(min=1)}/{day:dt('%Y-%m-%d')}", Everything())

TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
HEADERS = st.sampled_from(
    [
        "Range",
        "If-Modified-Since",
        "If-None-Match",
        "Forwarded",
        "X-Forwarded-For",
        "Content-Type",
        "Accept",
        "Cookie",
    ]
)
TYPES = st.sampled_from(
    [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=b",
        "text/plain",
        "application/x+json",
        "",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "HEAD", "OPTIONS"]),
    path=st.sampled_from(["/e", "/e/1/2024-01-01", "/e/0/2024-13-01", "/e/x/y", "/nope", "/"]),
    query=st.dictionaries(st.sampled_from("nfbldju"), TEXT, max_size=4),
    headers=st.dictionaries(HEADERS, TEXT, max_size=3),
    content_type=TYPES,
    body=st.binary(max_size=200),
)
def test_no_input_gives_a_500(
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    content_type: str,
    body: bytes,
) -> None:
    headers = {k: v for k, v in headers.items() if k != "Content-Type"}
    result = testing.simulate_request(
        app,
        method,
        path,
        params=query,
        headers=headers,
        body=body,
        content_type=content_type or None,
    )
    assert result.status_code < 500, result.text
