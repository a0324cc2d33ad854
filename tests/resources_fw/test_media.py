"""Media handlers: JSON, urlencoded, multipart body parts, custom handlers, limits."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resources_fw as falcon
from resources_fw import media, testing

Probe = Callable[..., testing.Result]

BOUNDARY = "BOUNDARY"


def multipart(*parts: tuple[str, str | None, str | None, bytes]) -> bytes:
    out = []
    for name, filename, ctype, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disp}\r\n"
        if ctype:
            head += f"Content-Type: {ctype}\r\n"
        out.append(head.encode() + b"\r\n" + data + b"\r\n")
    return b"".join(out) + f"--{BOUNDARY}--\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def test_urlencoded_media(probe: Probe) -> None:
    result = probe(
        lambda r: r.media,
        method="POST",
        body="a=1&a=2&b=&c=%C3%A9",
        content_type=falcon.MEDIA_URLENCODED,
    )
    assert result.json["value"] == {"a": ["1", "2"], "b": "", "c": "é"}
    empty = probe(lambda r: r.media, method="POST", content_type=falcon.MEDIA_URLENCODED)
    assert empty.json["value"] == {}


def test_urlencoded_too_large_is_413() -> None:
    handler = media.URLEncodedFormHandler(max_size=10)
    with pytest.raises(falcon.HTTPContentTooLarge):
        handler.deserialize(io.BytesIO(b"a=" + b"x" * 20), falcon.MEDIA_URLENCODED, 22)
    assert handler.serialize({"a": ["1", "2"]}, falcon.MEDIA_URLENCODED) == b"a=1&a=2"
    with pytest.raises(TypeError):
        handler.serialize([1], falcon.MEDIA_URLENCODED)


def test_json_suffix_types_use_json_handler(probe: Probe) -> None:
    result = probe(
        lambda r: r.media,
        method="POST",
        body='{"x": 1}',
        content_type="application/vnd.api+json; charset=utf-8",
    )
    assert result.json["value"] == {"x": 1}


def test_deeply_nested_json_is_400(probe: Probe) -> None:
    result = probe(
        lambda r: r.media, method="POST", body="[" * 100000, content_type="application/json"
    )
    assert result.status_code == 400


def test_multipart_parts_in_order(probe: Probe) -> None:
    body = multipart(
        ("title", None, None, b"Hello"),
        ("doc", "../../etc/passwd.txt", "text/plain; charset=utf-8", b"caf\xc3\xa9"),
        ("meta", None, "application/json", b'{"k": [1]}'),
        ("blob", "x.bin", "application/octet-stream", b"\x00\x01"),
    )

    def func(r: falcon.Request) -> Any:
        form = r.get_media()
        out = []
        for part in form:
            row: dict[str, Any] = {
                "name": part.name,
                "filename": part.filename,
                "type": part.content_type,
                "size": len(part.data),
            }
            if part.content_type.startswith("text/"):
                row["text"] = part.text
            if part.content_type == "application/json":
                row["media"] = part.media
            if part.filename:
                row["secure"] = part.secure_filename
            out.append(row)
        out.append(form.as_dict()["title"])
        out.append(form.get("blob").data.hex())  # type: ignore[union-attr]
        return out

    got = probe(func, method="POST", body=body, content_type=MULTIPART).json["value"]
    assert got == [
        {"name": "title", "filename": None, "type": "text/plain", "size": 5, "text": "Hello"},
        {
            "name": "doc",
            "filename": "../../etc/passwd.txt",
            "type": "text/plain; charset=utf-8",
            "size": 5,
            "text": "café",
            "secure": "etc_passwd.txt",
        },
        {
            "name": "meta",
            "filename": None,
            "type": "application/json",
            "size": 10,
            "media": {"k": [1]},
        },
        {
            "name": "blob",
            "filename": "x.bin",
            "type": "application/octet-stream",
            "size": 2,
            "secure": "x.bin",
        },
        "Hello",
        "0001",
    ]


def test_multipart_errors(probe: Probe) -> None:
    # no boundary
    result = probe(lambda r: r.media, method="POST", body=b"x", content_type="multipart/form-data")
    assert result.status_code == 400
    # truncated body
    truncated = multipart(("a", None, None, b"1"))[:-10]
    result = probe(lambda r: len(r.media), method="POST", body=truncated, content_type=MULTIPART)
    assert result.status_code == 400
    # unusable file name
    body = multipart(("f", "..", "text/plain", b"x"))
    result = probe(
        lambda r: next(iter(r.media)).secure_filename,
        method="POST",
        body=body,
        content_type=MULTIPART,
    )
    assert result.status_code == 400


def test_multipart_limits() -> None:
    options = media.MultipartParseOptions(max_body_part_count=2, max_body_part_buffer_size=4)
    handler = media.MultipartFormHandler(options)
    three = multipart(("a", None, None, b"1"), ("b", None, None, b"2"), ("c", None, None, b"3"))
    with pytest.raises(falcon.HTTPError) as info:
        handler.deserialize(io.BytesIO(three), MULTIPART, len(three))
    assert info.value.status in (400, 413)
    big = multipart(("a", None, None, b"12345"))
    with pytest.raises(falcon.HTTPContentTooLarge):
        handler.deserialize(io.BytesIO(big), MULTIPART, len(big))
    # file parts are not bounded by the in-memory buffer size
    file_part = multipart(("a", "f.txt", "text/plain", b"123456789"))
    form = handler.deserialize(io.BytesIO(file_part), MULTIPART, len(file_part))
    part = next(iter(form))
    assert part.stream.read() == b"123456789"
    assert repr(part) == "<BodyPart 'a' filename='f.txt'>"
    form.close()
    assert part.stream.closed


class CSVHandler(media.BaseHandler):
    def serialize(self, media: Any, content_type: str) -> bytes:
        return "\n".join(",".join(map(str, row)) for row in media).encode()

    def deserialize(
        self, stream: IO[bytes], content_type: str | None, content_length: int | None
    ) -> Any:
        return [line.split(",") for line in stream.read().decode().splitlines()]


def test_custom_handler_for_requests_and_responses() -> None:
    class Res:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            rows = req.get_media()
            resp.content_type = "text/csv"
            resp.media = [[*row, "!"] for row in rows]

    app = falcon.App()
    app.req_options.media_handlers["text/csv"] = CSVHandler()
    app.resp_options.media_handlers.update({"text/csv": CSVHandler()})
    app.add_route("/", Res())
    result = testing.simulate_post(app, "/", body="a,b\nc,d", content_type="text/csv")
    assert result.text == "a,b,!\nc,d,!"


def test_replacing_json_handler() -> None:
    calls: list[str] = []

    def dumps(obj: Any) -> str:
        calls.append("dumps")
        return '["custom"]'

    app = falcon.App()
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = media.JSONHandler(dumps=dumps)

    class Res:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"ignored": True}

    app.add_route("/", Res())
    assert testing.simulate_get(app, "/").json == ["custom"]
    assert calls == ["dumps"]


def test_handlers_registry_lookup() -> None:
    handlers = media.Handlers()
    assert isinstance(handlers.find("application/JSON; charset=utf-8"), media.JSONHandler)
    assert handlers.find("text/x-none") is None
    handlers["text/csv; charset=utf-8"] = CSVHandler()
    assert isinstance(handlers.find("text/csv"), CSVHandler)
    del handlers["text/csv; charset=utf-8"]
    assert handlers.find("text/csv") is None
    with pytest.raises(falcon.HTTPUnsupportedMediaType):
        handlers._resolve("text/csv")
    with pytest.raises(NotImplementedError):
        media.BaseHandler().serialize({}, "x")
    with pytest.raises(NotImplementedError):
        media.BaseHandler().deserialize(io.BytesIO(), None, None)


def test_body_over_limit_is_413() -> None:
    class Res:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = req.media

    app = falcon.App(limits=falcon.Limits(max_content_length=10))
    app.add_route("/", Res())
    result = testing.simulate_post(app, "/", json={"a": "x" * 50})
    assert result.status_code == 413


@settings(max_examples=200)
@given(st.text(alphabet="ab=&%+,2F é", max_size=30), st.booleans())
def test_parse_query_agrees_with_the_stdlib(text: str, keep_blank: bool) -> None:
    from urllib.parse import parse_qsl

    from resources_fw.media.urlencoded import parse_query

    expected: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=keep_blank):
        if not key:
            continue  # nameless pairs are dropped
        old = expected.get(key)
        if old is None:
            expected[key] = value
        else:
            expected[key] = [*old, value] if isinstance(old, list) else [old, value]
    assert parse_query(text, keep_blank) == expected


def test_form_limits_come_from_the_app_limits() -> None:
    class Res:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"n": len(list(req.get_media()))}

    app = falcon.App(limits=falcon.Limits(max_form_parts=2, max_form_memory_size=8))
    app.add_route("/", Res())
    two = multipart(("a", None, None, b"1"), ("b", None, None, b"2"))
    assert testing.simulate_post(app, "/", body=two, content_type=MULTIPART).json == {"n": 2}
    three = multipart(("a", None, None, b"1"), ("b", None, None, b"2"), ("c", None, None, b"3"))
    assert testing.simulate_post(app, "/", body=three, content_type=MULTIPART).status_code == 413
    big = multipart(("a", None, None, b"123456789"))
    assert testing.simulate_post(app, "/", body=big, content_type=MULTIPART).status_code == 413
    form = testing.simulate_post(app, "/", body="a=123456789", content_type=falcon.MEDIA_URLENCODED)
    assert form.status_code == 413
    unbounded = media.Handlers.from_limits(falcon.Limits(max_form_memory_size=None))
    handler = unbounded.find(falcon.MEDIA_MULTIPART)
    assert isinstance(handler, media.MultipartFormHandler)
    assert handler.parse_options.max_body_part_buffer_size == 2**63


def test_json_is_strict_and_formatted_like_falcon(probe: Probe) -> None:
    for bad in ('{"a": NaN}', "[Infinity]", '"\\ud800"', b'"\xff"'):
        result = probe(lambda r: r.media, method="POST", body=bad, content_type="application/json")
        assert result.status_code == 400, bad
    result = probe(lambda r: r.media, method="POST", json={"a": "é"})
    assert result.text == '{"value": {"a": "é"}}'
