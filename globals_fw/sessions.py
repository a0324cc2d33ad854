"""Signed-cookie sessions (itsdangerous) and the replaceable session interface.

The cookie is only read when the session is first used; a tampered, expired or undecodable
cookie reads as an empty session. ``Vary: Cookie`` is added whenever the session was read,
and no cookie is sent for a session nobody touched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itsdangerous import BadData, URLSafeTimedSerializer
from markupsafe import Markup
from werkzeug.datastructures import CallbackDict
from werkzeug.http import http_date, parse_date

from .globals import _cv_request

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

    from .app import App
    from .wrappers import Request, Response


class SessionMixin(MutableMapping[str, Any]):
    """What every session offers besides being a mapping."""

    @property
    def permanent(self) -> bool:
        """A permanent session outlives the browser (``PERMANENT_SESSION_LIFETIME``)."""
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    new = False
    modified = True
    accessed = True


class SecureCookieSession(CallbackDict[str, Any], SessionMixin):
    """The default session: a dict that records reads (``accessed``) and writes
    (``modified``)."""

    modified = False
    accessed = False

    def __init__(self, initial: Any = None) -> None:
        def on_update(self: SecureCookieSession) -> None:
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)

    def __getitem__(self, key: str) -> Any:
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.accessed = True
        return super().setdefault(key, default)

    def __contains__(self, key: object) -> bool:
        self.accessed = True
        return super().__contains__(key)

    # Any other read also makes the response depend on the cookie (``Vary: Cookie``).

    def __iter__(self) -> Iterator[str]:
        self.accessed = True
        return super().__iter__()

    def __len__(self) -> int:
        self.accessed = True
        return super().__len__()

    def keys(self) -> dict_keys[str, Any]:
        self.accessed = True
        return super().keys()

    def values(self) -> dict_values[str, Any]:
        self.accessed = True
        return super().values()

    def items(self) -> dict_items[str, Any]:
        self.accessed = True
        return super().items()

    def copy(self) -> dict[str, Any]:
        self.accessed = True
        return super().copy()


class NullSession(SecureCookieSession):
    """The session when no secret key is set: readable (empty), but writing says why not."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The session is unavailable because no secret key was set. Set the secret_key "
            "on the application (app.secret_key or config['SECRET_KEY']) to something "
            "unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class TaggedJSONSerializer:
    """JSON that round-trips tuples, bytes, ``Markup``, UUIDs and datetimes."""

    def _tag(self, value: Any) -> Any:
        if isinstance(value, dict):
            tagged = {k: self._tag(v) for k, v in value.items()}
            if len(value) == 1 and next(iter(value)).startswith(" "):
                return {" di": tagged}
            return tagged
        if isinstance(value, tuple):
            return {" t": [self._tag(v) for v in value]}
        if isinstance(value, list):
            return [self._tag(v) for v in value]
        if isinstance(value, bytes):
            return {" b": base64.b64encode(value).decode("ascii")}
        if isinstance(value, Markup):
            return {" m": str(value)}
        if isinstance(value, uuid.UUID):
            return {" u": value.hex}
        if isinstance(value, datetime):
            return {" d": http_date(value)}
        return value

    def _untag(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._untag(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            key, inner = next(iter(value.items()))
            if key == " di":
                return {k: self._untag(v) for k, v in inner.items()}
            decode = _UNTAGGERS.get(key)
            if decode is not None:
                return decode(self, inner)
        return {k: self._untag(v) for k, v in value.items()}

    def dumps(self, value: Any) -> str:
        return json.dumps(self._tag(value), separators=(",", ":"))

    def loads(self, value: str | bytes) -> Any:
        return self._untag(json.loads(value))


_UNTAGGERS: dict[str, Any] = {
    " t": lambda s, v: tuple(s._untag(x) for x in v),
    " b": lambda s, v: base64.b64decode(v),
    " m": lambda s, v: Markup(v),
    " u": lambda s, v: uuid.UUID(v),
    " d": lambda s, v: parse_date(v),
}

session_json_serializer = TaggedJSONSerializer()

_SAMESITE_VALUES = frozenset({"Lax", "Strict", "None"})


class SessionInterface:
    """How sessions are opened and saved; set ``app.session_interface`` to replace it."""

    null_session_class = NullSession

    def make_null_session(self, app: App) -> NullSession:
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: App) -> str:
        return str(app.config["SESSION_COOKIE_NAME"])

    def get_cookie_domain(self, app: App) -> str | None:
        return app.config["SESSION_COOKIE_DOMAIN"] or None

    def get_cookie_path(self, app: App) -> str:
        return str(app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"])

    def get_cookie_httponly(self, app: App) -> bool:
        return bool(app.config["SESSION_COOKIE_HTTPONLY"])

    def get_cookie_secure(self, app: App) -> bool:
        """``SESSION_COOKIE_SECURE``; the cookie is also ``Secure`` whenever the current
        request came over https (behind a TLS proxy, let ProxyFix set the scheme)."""
        if app.config["SESSION_COOKIE_SECURE"]:
            return True
        ctx = _cv_request.get(None)
        return ctx is not None and ctx.request.environ.get("wsgi.url_scheme") == "https"

    def get_cookie_samesite(self, app: App) -> str | None:
        """``SESSION_COOKIE_SAMESITE``: ``"Lax"``, ``"Strict"``, ``"None"`` or ``None``."""
        value = app.config["SESSION_COOKIE_SAMESITE"]
        if not value:
            return None
        if not isinstance(value, str) or value.title() not in _SAMESITE_VALUES:
            raise ValueError(
                f"SESSION_COOKIE_SAMESITE must be 'Lax', 'Strict', 'None' or None, not {value!r}."
            )
        return value.title()

    def get_cookie_partitioned(self, app: App) -> bool:
        return bool(app.config["SESSION_COOKIE_PARTITIONED"])

    def get_expiration_time(self, app: App, session: SessionMixin) -> datetime | None:
        if session.permanent:
            expires: datetime = datetime.now(UTC) + app.permanent_session_lifetime
            return expires
        return None

    def should_set_cookie(self, app: App, session: SessionMixin) -> bool:
        return session.modified or (
            session.permanent and bool(app.config["SESSION_REFRESH_EACH_REQUEST"])
        )

    def open_session(self, app: App, request: Request) -> SessionMixin | None:
        raise NotImplementedError

    def save_session(self, app: App, session: SessionMixin, response: Response) -> None:
        raise NotImplementedError


class SecureCookieSessionInterface(SessionInterface):
    """Sessions in a cookie signed with ``SECRET_KEY`` (older keys from
    ``SECRET_KEY_FALLBACKS`` still verify, for rotation)."""

    salt = "cookie-session"
    digest_method = staticmethod(hashlib.sha1)
    key_derivation = "hmac"
    serializer = session_json_serializer
    session_class = SecureCookieSession

    def get_signing_serializer(self, app: App) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = _fallback_keys(app.config.get("SECRET_KEY_FALLBACKS"))
        keys.append(app.secret_key)  # itsdangerous signs with the last key
        # Building a serializer costs more than signing with it: keep one per key set.
        cache: dict[tuple[Any, ...], URLSafeTimedSerializer] = self.__dict__.setdefault(
            "_serializers", {}
        )
        cache_key = (tuple(keys), self.salt, self.key_derivation)
        cached = cache.get(cache_key)
        if cached is None:
            if len(cache) > 8:  # keys rotated many times: start afresh
                cache.clear()
            cached = cache[cache_key] = self._make_serializer(keys)
        return cached

    def _make_serializer(self, keys: list[str | bytes]) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )

    def open_session(self, app: App, request: Request) -> SecureCookieSession | None:
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = s.loads(val, max_age=max_age)
        except (BadData, ValueError, TypeError, AttributeError):
            # Tampered, expired, or (signed by us, yet) undecodable: a fresh, empty session.
            return self.session_class()
        return self.session_class(data if isinstance(data, dict) else None)

    def save_session(self, app: App, session: SessionMixin, response: Response) -> None:
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        partitioned = self.get_cookie_partitioned(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)
        if session.accessed:
            _vary_cookie(response)
        if not session:
            if session.modified:
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=secure,
                    partitioned=partitioned,
                    samesite=samesite,
                    httponly=httponly,
                )
                _vary_cookie(response)
            return
        if not self.should_set_cookie(app, session):
            return
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return
        val = serializer.dumps(dict(session))
        response.set_cookie(
            name,
            str(val),
            expires=self.get_expiration_time(app, session),
            httponly=httponly,
            domain=domain,
            path=path,
            secure=secure,
            partitioned=partitioned,
            samesite=samesite,
        )
        _vary_cookie(response)


def _fallback_keys(fallbacks: Any) -> list[str | bytes]:
    """``SECRET_KEY_FALLBACKS`` as a list, oldest first; a bare string is refused (it would
    otherwise be taken as one key per character)."""
    if not fallbacks:
        return []
    if isinstance(fallbacks, str | bytes) or not isinstance(fallbacks, list | tuple):
        raise TypeError(
            "SECRET_KEY_FALLBACKS must be a list of old secret keys, not "
            f"{type(fallbacks).__name__}: write SECRET_KEY_FALLBACKS = ['the old key']."
        )
    for key in fallbacks:
        if not isinstance(key, str | bytes) or not key:
            raise TypeError(
                f"SECRET_KEY_FALLBACKS must hold non-empty str or bytes keys, not {key!r}."
            )
    return list(fallbacks)


def _vary_cookie(response: Response) -> None:
    """Add ``Cookie`` to ``Vary`` once, in one header line with whatever was there."""
    existing = response.headers.getlist("Vary")
    if not existing:
        response.headers["Vary"] = "Cookie"
        return
    values = [v.strip() for h in existing for v in h.split(",") if v.strip()]
    lowered = {v.lower() for v in values}
    if "cookie" not in lowered and "*" not in lowered:
        response.headers["Vary"] = ", ".join([*values, "Cookie"])
