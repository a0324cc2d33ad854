"""Second batch of fixes found by running more of Falcon 4.4's test modules against
resources_fw (imports changed only). Each test pins one fix, in our words."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from webtest import TestApp

import resources_fw as falcon
from resources_fw import testing, uri
from resources_fw.forwarded import parse_forwarded_header
from resources_fw.request import RequestOptions
from resources_fw.response import ResponseOptions

Client = Callable[[Any], TestApp]


def _req(**kwargs: Any) -> falcon.Request:
    return falcon.Request(testing.create_environ(**kwargs))


# -- proxies -------------------------------------------------------------------------------


def test_root_path_without_leading_slash_is_a_mount_point() -> None:
    req = _req(host="example.com", path="/languages", root_path="backoffice")
    assert req.root_path == "/backoffice"
    assert req.uri == "http://example.com/backoffice/languages"
    assert req.forwarded_uri == req.uri
    assert req.forwarded_prefix == "http://example.com/backoffice"


def test_forwarded_host_and_scheme_come_from_the_first_hop_only() -> None:
    # The second hop's host is what the first proxy was asked for, not what the client typed.
    req = _req(
        host="inner.test", headers={"Forwarded": "for=203.0.113.9,host=outer.test;proto=https"}
    )
    assert (req.forwarded_host, req.forwarded_scheme) == ("inner.test", "http")
    req = _req(host="inner.test", headers={"Forwarded": "host=outer.test;proto=HTTPS"})
    assert (req.forwarded_host, req.forwarded_scheme) == ("outer.test", "https")
    # A Forwarded header wins over the X-Forwarded-* ones even when it lacks the field.
    req = _req(
        host="inner.test",
        headers={
            "Forwarded": "for=1.2.3.4",
            "X-Forwarded-Host": "x.test",
            "X-Forwarded-Proto": "https",
        },
    )
    assert (req.forwarded_host, req.forwarded_scheme) == ("inner.test", "http")


@pytest.mark.parametrize(
    ("header", "dest"),
    [
        ('for=1.2.3.4;by="', None),  # an unterminated quoted string is no value
        ("for=1.2.3.4;by=5\\.6.7.8rest=x", "5"),  # a token stops at the first bad character
        ('for=1.2.3.4;by="5.6\\.7.8"junk=x', "5.6.7.8"),  # escapes undone, junk dropped
        ('for=1.2.3.4;by="5.6.7.8" junk="x"', "5.6.7.8"),
    ],
)
def test_forwarded_parser_follows_the_rfc_grammar(header: str, dest: str | None) -> None:
    (hop,) = parse_forwarded_header(header)
    assert (hop.src, hop.dest) == ("1.2.3.4", dest)


def test_forwarded_elements_keep_their_position() -> None:
    hops = parse_forwarded_header("for=10.0.0.1, host=b.test, by=x, garbage, for=10.0.0.2")
    assert [(h.src, h.host, h.dest) for h in hops] == [
        ("10.0.0.1", None, None),
        (None, "b.test", None),
        (None, None, "x"),
        ("10.0.0.2", None, None),
    ]


def test_access_route_uses_only_the_forwarded_header_when_present() -> None:
    headers = {"Forwarded": 'for="[2001:db8::17]:555", for=unknown', "X-Forwarded-For": "9.9.9.9"}
    assert _req(headers=headers).access_route == ["2001:db8::17", "unknown"]
    # A malformed Forwarded is not papered over with X-Forwarded-For.
    bad = {"Forwarded": "for", "X-Forwarded-For": "9.9.9.9"}
    assert _req(headers=bad, remote_addr="10.1.1.1").access_route == ["10.1.1.1"]


# -- request -------------------------------------------------------------------------------


def test_log_error_writes_to_wsgi_errors(client: Client) -> None:
    class Resource:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            req.log_error("disk nearly full: \x80")

    app = falcon.App()
    app.add_route("/logger", Resource())
    errors = io.StringIO()
    result = testing.simulate_get(app, "/logger", query_string="amount=10", wsgierrors=errors)
    assert result.status_code == 200
    line = errors.getvalue()
    assert line.endswith("GET /logger?amount=10 => disk nearly full: \x80\n")
    assert "[ERROR]" in line


def test_request_repr_names_method_and_url() -> None:
    req = _req(host="example.com", path="/a", query_string="b=1", method="POST")
    assert repr(req) == "<Request: POST 'http://example.com/a?b=1'>"


@pytest.mark.parametrize("options", [RequestOptions, ResponseOptions])
def test_a_misspelt_option_is_an_error(options: type[Any]) -> None:
    opts = options()
    with pytest.raises(AttributeError, match="no option 'default_media_typ'; the options are"):
        opts.default_media_typ = "text/plain"  # a typo must not pass silently
    opts.default_media_type = "text/plain"
    assert opts.default_media_type == "text/plain"


def test_falcon_options_not_provided_say_so() -> None:
    app = falcon.App()
    app.req_options.auto_parse_form_urlencoded = False  # what the app does anyway
    with pytest.raises(ValueError, match=r"auto_parse_form_urlencoded .*get_media\(\)"):
        app.req_options.auto_parse_form_urlencoded = True
    assert app.req_options.auto_parse_form_urlencoded is False
    # Accepted both ways (Falcon apps set it); errors stay JSON or HTML.
    app.resp_options.xml_error_serialization = False
    app.resp_options.xml_error_serialization = True
    app.add_route("/", testing.SimpleTestResource())
    result = testing.simulate_get(app, "/nowhere", headers={"Accept": "application/xml"})
    assert result.status_code == 404
    assert not result.headers["Content-Type"].endswith("xml")


def test_csv_query_values_split_on_bare_commas_only() -> None:
    qs = "tags=a,,b%2Cc&one=x%2Cy"
    assert uri.parse_query_string(qs, keep_blank=True, csv=True) == {
        "tags": ["a", "", "b,c"],
        "one": "x,y",
    }
    assert uri.parse_query_string(qs, csv=True)["tags"] == ["a", "b,c"]
    app = falcon.App()
    app.req_options.auto_parse_qs_csv = True
    seen: dict[str, Any] = {}

    class Resource:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            seen["tags"] = req.get_param("tags")
            seen["list"] = req.get_param_as_list("tags")

    app.add_route("/", Resource())
    testing.simulate_get(app, "/", query_string="tags=x%2Cy")
    assert seen["tags"] == "x,y"


# -- context, etags, testing ---------------------------------------------------------------


def test_context_copy_clear_and_pop_default() -> None:
    class Custom(falcon.Context):
        pass

    ctx = Custom()
    ctx.user = "ada"
    ctx["n"] = 1
    twin = ctx.copy()
    assert isinstance(twin, Custom)
    assert twin == ctx
    twin.pop("user")
    assert twin != ctx
    assert ctx.pop("missing") is None
    assert ctx.pop("missing", "dflt") == "dflt"
    ctx.clear()
    assert len(ctx) == 0
    ctx["k"] = "v"
    assert ctx.popitem() == ("k", "v")
    with pytest.raises(KeyError):
        ctx.popitem()


def test_etag_strong_compare() -> None:
    strong = falcon.ETag.loads('"v1"')
    weak = falcon.ETag.loads('W/"v1"')
    assert strong.strong_compare(falcon.ETag.loads('"v1"'))
    assert not strong.strong_compare(weak)
    assert not weak.strong_compare(weak)
    assert not strong.strong_compare(falcon.ETag.loads('"v2"'))


def test_simulate_json_overrides_body_and_content_type() -> None:
    resource = testing.SimpleTestResource()
    app = falcon.App()
    app.add_route("/", resource)
    testing.simulate_post(
        app,
        "/",
        body="ignored",
        json={"k": [1, 2]},
        headers={"Content-Type": "text/plain", "Capture-Req-Media": "y"},
    )
    assert resource.captured_req_media == {"k": [1, 2]}
    assert resource.captured_req is not None
    assert resource.captured_req.content_type == "application/json"


def test_status_codes_lists_its_constants() -> None:
    from resources_fw import status_codes

    assert "HTTP_404" in status_codes.__all__
    assert "HTTP_NOT_FOUND" in status_codes.__all__
    assert all(name.startswith("HTTP_") for name in status_codes.__all__)


# -- content negotiation (falcon.mediatypes) -----------------------------------------------

RFC_9110_ACCEPT = (
    "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, "
    "text/plain;format=fixed;q=0.4, */*;q=0.5"
)


@pytest.mark.parametrize(
    ("media_type", "q"),
    [
        ("text/plain;format=flowed", 1.0),
        ("text/plain", 0.7),
        ("text/html", 0.3),
        ("image/jpeg", 0.5),
        ("text/plain;format=fixed", 0.4),
        ("text/html;level=3", 0.3),
    ],
)
def test_quality_takes_the_most_specific_range(media_type: str, q: float) -> None:
    assert falcon.mediatypes.quality(media_type, RFC_9110_ACCEPT) == pytest.approx(q)


def test_best_match_and_no_match() -> None:
    best_match = falcon.mediatypes.best_match
    assert best_match(["application/json", "text/yaml"], "text/*, */*;q=0.1") == "text/yaml"
    assert best_match(["application/json"], "application/json; charset=utf-8") == "application/json"
    assert best_match(["application/json"], "text/*") == ""
    assert best_match([], "*/*") == ""
    # A parameter that disagrees rules the range out.
    assert best_match(["a/b; load=light"], "a/b; load=heavy") == ""


@pytest.mark.parametrize("header", ["", "text", "text/plain; q=high", "*/*; q=nan", "a/b; q=2"])
def test_a_malformed_accept_is_invalid_media_range(header: str) -> None:
    with pytest.raises(falcon.InvalidMediaRange):
        falcon.mediatypes.quality("text/plain", header)
    with pytest.raises(falcon.InvalidMediaRange):
        falcon.mediatypes.best_match(iter(["text/plain"]), header)


def test_a_malformed_candidate_is_invalid_media_type() -> None:
    with pytest.raises(falcon.InvalidMediaType):
        falcon.mediatypes.quality("word document", "*/*")


@given(header=st.text(max_size=40), media_type=st.text(max_size=20))
def test_quality_is_a_q_value_or_a_value_error(header: str, media_type: str) -> None:
    try:
        q = falcon.mediatypes.quality(media_type, header)
    except falcon.InvalidMediaType:  # InvalidMediaRange included
        return
    assert 0.0 <= q <= 1.0


# -- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "max_length", "safe"),
    [
        ("hello.txt", None, "hello.txt"),
        ("/etc/shadow", None, "etc_shadow"),
        ("hello.txt", 8, "hell.txt"),
        ("hello.txt", 5, "h.txt"),
        ("hello.txt", 4, "hell"),
        ("hello.txt", 0, "hello.txt"),
    ],
)
def test_secure_filename_takes_max_length(name: str, max_length: int | None, safe: str) -> None:
    assert falcon.secure_filename(name, max_length) == safe


@pytest.mark.parametrize("name", ["", ".", "..", "/"])
def test_secure_filename_is_never_empty(name: str) -> None:
    # An empty result joined to an upload directory would name the directory itself.
    with pytest.raises(ValueError, match="usable"):
        falcon.secure_filename(name)


@pytest.mark.parametrize("base", [falcon.Request, falcon.Response])
def test_a_context_type_that_cannot_make_a_context_is_refused_at_definition(base: type) -> None:
    with pytest.raises(TypeError, match="context_type"):
        type("Custom", (base,), {"context_type": False})
    # A factory function is fine (it receives the request or response).
    custom = type("Custom", (base,), {"context_type": lambda owner: {"owner": owner}})
    assert callable(custom.context_type)


def test_secure_filename_refuses_a_negative_max_length() -> None:
    with pytest.raises(ValueError, match="max_length"):
        falcon.secure_filename("report.pdf", -1)
