"""``app.url_map`` over the core router, and URL building for ``url_for``."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from itertools import chain
from typing import TYPE_CHECKING, Any

from werkzeug.routing import BaseConverter
from werkzeug.routing import BuildError as WerkzeugBuildError

from resources_fw.core import BuildError as CoreBuildError
from resources_fw.core import Router

from .globals import _cv_request
from .wrappers import Rule, rule_of

if TYPE_CHECKING:
    from .app import App


class BuildError(CoreBuildError, WerkzeugBuildError):
    """A URL cannot be built; both the core's and werkzeug's ``BuildError``, so handlers
    written for either catch it."""

    def __init__(self, message: str, endpoint: str, values: dict[str, Any], method: str | None):
        LookupError.__init__(self, message)
        self.message = message
        self.endpoint = endpoint
        self.values = values
        self.method = method

    def __str__(self) -> str:
        return self.message


class UrlMap:
    """What Flask code reads from ``app.url_map``: ``converters`` (add werkzeug
    ``BaseConverter`` subclasses here before adding rules), ``iter_rules()``,
    ``is_endpoint_expecting()``, the router's ``dump()``.

    ``shadowed`` holds the rules that Flask keeps but never matches because an earlier rule
    answers the same paths: a rule without a view (the tutorial's
    ``app.add_url_rule("/", endpoint="index")``) or a blueprint's static route under the
    app's. They are built by ``url_for`` and listed, never routed.
    """

    def __init__(self, router: Router) -> None:
        self.router = router
        self.shadowed = Router(syntax=router.syntax)
        self.shadowed.converters = router.converters  # one registry: converters added later

    @property
    def converters(self) -> MutableMapping[str, type[BaseConverter]]:
        return self.router.converters

    def iter_rules(self, endpoint: str | None = None) -> Iterator[Rule]:
        for route in chain(self.router.routes, self.shadowed.routes):
            if endpoint is None or route.name == endpoint:
                yield rule_of(route)

    def is_endpoint_expecting(self, endpoint: str, *arguments: str) -> bool:
        """Whether a rule of ``endpoint`` has all of ``arguments`` as URL fields (what a
        ``url_defaults`` function asks before adding a value)."""
        wanted = set(arguments)
        return any(wanted <= rule.arguments for rule in self.iter_rules(endpoint))

    def __iter__(self) -> Iterator[Rule]:
        return self.iter_rules()

    def __repr__(self) -> str:
        return f"UrlMap({[r.rule for r in self.iter_rules()]!r})"

    def dump(self) -> str:
        return self.router.dump()


def build_url(
    app: App,
    endpoint: str,
    anchor: str | None,
    method: str | None,
    scheme: str | None,
    external: bool | None,
    values: dict[str, Any],
) -> str:
    """Build a URL for ``endpoint`` in the current request, or from the config
    (``SERVER_NAME``, ``APPLICATION_ROOT``, ``PREFERRED_URL_SCHEME``) outside one."""
    req_ctx = _cv_request.get(None)
    host: str | None
    if req_ctx is not None:
        req = req_ctx.request
        if endpoint[:1] == ".":
            bp = req.blueprint
            endpoint = f"{bp}{endpoint}" if bp else endpoint[1:]
        if external is None:
            external = scheme is not None
        script_name = req.root_path
        host = req.host if external else None
        default_scheme = req.scheme
    else:
        endpoint = endpoint.lstrip(".")
        if external is None:
            external = True
        host = app.config["SERVER_NAME"]
        if external and not host:
            raise RuntimeError(
                "Unable to build URLs outside an active request without 'SERVER_NAME' "
                "configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' "
                "as needed."
            )
        script_name = str(app.config["APPLICATION_ROOT"] or "")
        default_scheme = str(app.config["PREFERRED_URL_SCHEME"])
    if scheme is not None and not external:
        raise ValueError("When specifying '_scheme', '_external' must be True.")
    app.inject_url_defaults(endpoint, values)
    try:
        return app.router.build(
            endpoint,
            values,
            method=method,
            script_name=script_name,
            external=external,
            scheme=scheme or default_scheme,
            host=host,
            anchor=anchor,
        )
    except CoreBuildError as exc:
        options = {"method": method, "script_name": script_name, "external": external}
        options.update(scheme=scheme or default_scheme, host=host, anchor=anchor)
        return _build_shadowed(app, endpoint, values, exc, options)


def _build_shadowed(
    app: App, endpoint: str, values: dict[str, Any], error: Exception, options: dict[str, Any]
) -> str:
    """Build from the rules kept for building only (see :class:`UrlMap`), or raise the main
    router's ``error`` as a :class:`BuildError`."""
    if app.url_map.shadowed.routes:
        try:
            return app.url_map.shadowed.build(endpoint, values, **options)
        except CoreBuildError:
            pass
    raise BuildError(str(error), endpoint, values, options["method"]) from None
