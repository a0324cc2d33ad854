"""What an app is made of: routes and their responders, sinks, static routes, middleware
and error handlers. ``python -m resources_fw.inspect package.module:app`` prints it."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from .responders import ResourceRoute

if TYPE_CHECKING:
    from .app import App


def _name(obj: Any) -> str:
    func = getattr(obj, "__func__", obj)
    qual = getattr(func, "__qualname__", None) or type(obj).__qualname__
    return f"{getattr(func, '__module__', '?')}.{qual}"


@dataclass
class RouteInfo:
    path: str
    resource: str
    responders: dict[str, str]


@dataclass
class AppInfo:
    routes: list[RouteInfo] = field(default_factory=list)
    sinks: list[tuple[str, str]] = field(default_factory=list)
    static_routes: list[tuple[str, str]] = field(default_factory=list)
    middleware: list[tuple[str, list[str]]] = field(default_factory=list)
    error_handlers: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = ["Routes:"]
        for route in self.routes:
            lines.append(f"  {route.path} -> {route.resource}")
            lines.extend(f"    {m} -> {name}" for m, name in sorted(route.responders.items()))
        if self.sinks:
            lines.append("Sinks:")
            lines.extend(f"  {prefix} -> {name}" for prefix, name in self.sinks)
        if self.static_routes:
            lines.append("Static routes:")
            lines.extend(f"  {prefix} -> {directory}" for prefix, directory in self.static_routes)
        lines.append("Middleware (process_response runs in reverse):")
        for name, methods in self.middleware:
            lines.append(f"  {name}: {', '.join(methods)}")
        lines.append("Error handlers:")
        lines.extend(f"  {exc} -> {name}" for exc, name in self.error_handlers)
        return "\n".join(lines)


def inspect_app(app: App) -> AppInfo:
    """Describe ``app`` (the order is the order requests see)."""
    info = AppInfo()
    for route in app.router.routes:
        target = route.target
        if isinstance(target, ResourceRoute):
            responders = {m: _name(r) for m, r in target.responders.items()}
            info.routes.append(RouteInfo(target.uri_template, _name(target.resource), responders))
    info.sinks = [(s.regex.pattern, _name(s.func)) for s in app._sinks]
    info.static_routes = [(r.prefix, r.directory) for r in app._static_routes]
    for component in app._components:
        methods = [
            m
            for m in ("process_request", "process_resource", "process_response")
            if hasattr(component, m)
        ]
        info.middleware.append((_name(component), methods))
    info.error_handlers = [
        (exc.__qualname__, _name(handler)) for exc, handler in app._error_handlers.items()
    ]
    return info


def load_app(spec: str) -> App:
    """``"package.module:attribute"`` -> the :class:`App` it names."""
    from .app import App

    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise click.BadParameter(f"{spec!r}: use the form 'package.module:app'")
    if "" not in sys.path:
        sys.path.insert(0, "")
    module = importlib.import_module(module_name)
    app = getattr(module, attr, None)
    if not isinstance(app, App):
        raise click.BadParameter(f"{spec!r} is not a resources_fw App (got {app!r})")
    return app


@click.command()
@click.argument("app_spec")
def main(app_spec: str) -> None:
    """List the routes, responders, middleware and error handlers of APP_SPEC
    (package.module:app)."""
    click.echo(str(inspect_app(load_app(app_spec))))


if __name__ == "__main__":
    main()
