"""JSON: the app's replaceable provider (``app.json``) and module-level helpers."""

from __future__ import annotations

import dataclasses
import decimal
import json as _json
import uuid
from collections.abc import Callable
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from werkzeug.http import http_date

from resources_fw.core import JSONCodec
from resources_fw.core.media import make_dumps, strict_loads

from .globals import _cv_app

_CORE_CODEC = JSONCodec()

if TYPE_CHECKING:
    from .app import App
    from .wrappers import Response


def _default(o: Any) -> Any:
    if isinstance(o, date):
        return http_date(o)
    if isinstance(o, decimal.Decimal | uuid.UUID):
        return str(o)
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if hasattr(o, "__html__"):
        return str(o.__html__())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON: send null or a number instead")


class JSONProvider:
    """The interface: ``dumps``, ``loads`` and ``response``; subclass and set ``app.json``."""

    def __init__(self, app: App) -> None:
        self._app = app

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        raise NotImplementedError

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON (strictly: ``NaN`` and ``Infinity`` are refused, as the core does);
        ``kwargs`` go to :func:`json.loads` (``object_hook=``, ``parse_float=``...)."""
        if not kwargs:
            return strict_loads(s)
        kwargs.setdefault("parse_constant", _refuse_constant)
        return _json.loads(s, **kwargs)

    def dump(self, obj: Any, fp: IO[str], **kwargs: Any) -> None:
        """Write ``obj`` as JSON to the text file ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def load(self, fp: IO[str] | IO[bytes], **kwargs: Any) -> Any:
        """Read JSON from the file ``fp``."""
        return self.loads(fp.read(), **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response for ``args`` (one value, or a list) or ``kwargs`` (an object)."""
        if args and kwargs:
            raise TypeError("jsonify() takes positional or keyword arguments, not both")
        obj: Any = kwargs if not args else args[0] if len(args) == 1 else list(args)
        return self._app.response_class(self.dumps(obj) + "\n", content_type="application/json")


class DefaultJSONProvider(JSONProvider):
    """Flask's defaults: dates as HTTP dates, decimals and UUIDs as strings, dataclasses as
    objects; keys sorted, ASCII only, compact unless the app is in debug mode."""

    default = staticmethod(_default)
    ensure_ascii = True
    sort_keys = True
    compact: bool | None = None
    mimetype = "application/json"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self._encoders: dict[tuple[Any, ...], Callable[[Any], str]] = {}

    def _encoder(
        self, pretty: bool, separators: tuple[str, str] = (",", ":")
    ) -> Callable[[Any], str]:
        # One encoder per combination of settings: json.dumps() with options builds a new
        # encoder on every call. The compact one is the core's (the C encoder, called
        # directly); indented output needs the stdlib's Python encoder.
        key = (self.default, self.ensure_ascii, self.sort_keys, pretty, separators)
        encoder = self._encoders.get(key)
        if encoder is None:
            if pretty:
                encoder = _json.JSONEncoder(
                    default=self.default,
                    ensure_ascii=self.ensure_ascii,
                    sort_keys=self.sort_keys,
                    indent=2,
                ).encode
            else:
                encoder = make_dumps(
                    self.default,
                    ensure_ascii=self.ensure_ascii,
                    sort_keys=self.sort_keys,
                    separators=separators,
                )
            self._encoders[key] = encoder
        return encoder

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text, spaced like ``json.dumps`` (as Flask's): responses are
        compact, ``dumps`` (the ``tojson`` filter, ``json.dumps``) is not."""
        if not kwargs:
            return self._encoder(False, (", ", ": "))(obj)
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return _json.dumps(obj, **kwargs)

    def body(self, obj: Any) -> bytes:
        """The body of :meth:`response` for ``obj``: UTF-8 JSON and a newline, indented when
        ``compact`` is False (or None in debug mode)."""
        pretty = self.compact is False or (self.compact is None and self._app.debug)
        return (self._encoder(pretty)(obj) + "\n").encode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        if args and kwargs:
            raise TypeError("jsonify() takes positional or keyword arguments, not both")
        obj: Any = kwargs if not args else args[0] if len(args) == 1 else list(args)
        body = self.body(obj)
        response_class = self._app.response_class
        if response_class.lean_init:
            # Nothing for __init__ to do beyond storing these: skip it (and werkzeug's
            # Headers, made only if someone asks for them).
            return response_class.from_parts(body, 200, None, [("Content-Type", self.mimetype)])
        return response_class(body, content_type=self.mimetype)


def dumps(obj: Any, **kwargs: Any) -> str:
    """Serialize with the current app's provider, or the defaults outside a context."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.dumps(obj, **kwargs)
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def loads(s: str | bytes, **kwargs: Any) -> Any:
    """Parse with the current app's provider, or the stdlib outside a context."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        return ctx.app.json.loads(s, **kwargs)
    return _json.loads(s, **kwargs)


def dump(obj: Any, fp: IO[str], **kwargs: Any) -> None:
    """Write ``obj`` as JSON to the text file ``fp``, as :func:`dumps` would."""
    fp.write(dumps(obj, **kwargs))


def load(fp: IO[str] | IO[bytes], **kwargs: Any) -> Any:
    """Read JSON from the file ``fp``, as :func:`loads` would."""
    return loads(fp.read(), **kwargs)


def jsonify(*args: Any, **kwargs: Any) -> Response:
    """A JSON response: ``jsonify(obj)``, ``jsonify(a, b)`` (a list) or ``jsonify(k=v)``."""
    ctx = _cv_app.get(None)
    if ctx is None:
        raise RuntimeError(
            "jsonify() needs an application context: call it from a view or inside "
            "'with app.app_context():'."
        )
    return ctx.app.json.response(*args, **kwargs)


class RequestJSON:
    """``Request.json_module``: request bodies are parsed by the current app's provider
    (``app.json.loads``), so a custom provider decodes as well as encodes. Whatever it
    raises for bad input becomes ``ValueError``, which the request answers with a 400."""

    def loads(self, data: str | bytes, **kwargs: Any) -> Any:
        ctx = _cv_app.get(None)
        if ctx is None:
            return _CORE_CODEC.loads(data)
        try:
            return ctx.app.json.loads(data)
        except ValueError:
            raise
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        except Exception as exc:
            raise ValueError(str(exc)) from exc

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps(obj, **kwargs)
