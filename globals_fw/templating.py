"""Jinja2 templates: the app's environment, loaders over app and blueprint folders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from jinja2 import BaseLoader, Template, TemplateNotFound
from jinja2 import Environment as BaseEnvironment

from . import signals
from .ctx import stream_with_context
from .globals import _cv_request, current_app, g, request, session
from .helpers import get_flashed_messages

if TYPE_CHECKING:
    from .app import App
    from .config import Config
    from .json import JSONProvider

F = TypeVar("F", bound=Callable[..., Any])


class Environment(BaseEnvironment):
    """A Jinja environment that knows its app (for blueprint template folders)."""

    def __init__(self, app: App, **options: Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        self.app = app


class DispatchingJinjaLoader(BaseLoader):
    """Look in the app's template folder first, then in each blueprint's."""

    def __init__(self, app: App) -> None:
        self.app = app

    def get_source(
        self, environment: BaseEnvironment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        for loader in self._loaders():
            try:
                return loader.get_source(environment, template)  # type: ignore[no-any-return]
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _loaders(self) -> Iterator[Any]:
        loader = self.app.jinja_loader
        if loader is not None:
            yield loader
        for bp in self.app.iter_blueprints():
            loader = bp.jinja_loader
            if loader is not None:
                yield loader

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for loader in self._loaders():
            names.update(loader.list_templates())
        return sorted(names)


def _render(app: App, template: Template, context: dict[str, Any]) -> str:
    app.update_template_context(context)
    if signals.before_render_template.receivers:
        signals.before_render_template.send(app, template=template, context=context)
    rv = template.render(context)
    if signals.template_rendered.receivers:
        signals.template_rendered.send(app, template=template, context=context)
    return rv


def render_template(
    template_name_or_list: str | Template | list[str | Template], **context: Any
) -> str:
    """Render a template from the template folders with ``context``."""
    app: App = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: Any) -> str:
    """Render a template given as a string (autoescaped like an HTML template)."""
    app: App = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.from_string(source)
    return _render(app, template, context)


def _stream(app: App, template: Template, context: dict[str, Any]) -> Iterator[str]:
    app.update_template_context(context)
    if signals.before_render_template.receivers:
        signals.before_render_template.send(app, template=template, context=context)

    def generate() -> Iterator[str]:
        yield from template.generate(context)
        if signals.template_rendered.receivers:
            signals.template_rendered.send(app, template=template, context=context)

    rv = generate()
    if _cv_request.get(None) is not None:
        return stream_with_context(rv)  # type: ignore[no-any-return]
    return rv


def stream_template(
    template_name_or_list: str | Template | list[str | Template], **context: Any
) -> Iterator[str]:
    """Render a template as a stream of strings (keeps the request context while it
    streams); return it from a view, or wrap it in a response."""
    app: App = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: Any) -> Iterator[str]:
    """:func:`stream_template` for a template given as a string."""
    app: App = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.jinja_env.from_string(source)
    return _stream(app, template, context)


def _ctx_globals() -> dict[str, Any]:
    return {"g": g, "request": request, "session": session}


class TemplatingMixin:
    """The app's Jinja environment and template registrations (mixed into ``App``)."""

    config: Config
    json: JSONProvider
    jinja_environment: type[Environment]
    jinja_options: ClassVar[dict[str, Any]]
    debug: bool
    template_context_processors: dict[str | None, list[Callable[[], dict[str, Any]]]]

    def url_for(self, endpoint: str, /, **values: Any) -> str:
        raise NotImplementedError

    # -- templates ----------------------------------------------------------------------

    @cached_property
    def jinja_env(self) -> Environment:
        """The Jinja environment, made on first use."""
        return self.create_jinja_environment()

    def create_global_jinja_loader(self) -> BaseLoader:
        """The environment's loader: the app's template folder, then each blueprint's.
        Override to load templates from elsewhere."""
        return DispatchingJinjaLoader(self)  # type: ignore[arg-type]

    def create_jinja_environment(self) -> Environment:
        options = dict(self.jinja_options)
        options.setdefault("autoescape", self.select_jinja_autoescape)
        if "auto_reload" not in options:
            auto_reload = self.config["TEMPLATES_AUTO_RELOAD"]
            options["auto_reload"] = self.debug if auto_reload is None else auto_reload
        env = self.jinja_environment(self, **options)  # type: ignore[arg-type]
        env.globals.update(
            url_for=self.url_for,
            get_flashed_messages=get_flashed_messages,
            config=self.config,
            request=request,
            session=session,
            g=g,
        )
        env.policies["json.dumps_function"] = self.json.dumps
        return env

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Autoescape ``.html``, ``.htm``, ``.xml``, ``.xhtml``, ``.svg`` and strings."""
        if filename is None:
            return True
        return filename.endswith((".html", ".htm", ".xml", ".xhtml", ".svg"))

    def update_template_context(self, context: dict[str, Any]) -> None:
        """Add the context processors' values; the view's own values win."""
        names: Iterable[str | None] = (None,)
        if _cv_request.get(None) is not None:
            names = chain(names, reversed(_cv_request.get().request.blueprints))
        orig = context.copy()
        for name in names:
            for func in self.template_context_processors.get(name, ()):
                context.update(func())
        context.update(orig)

    def template_filter(self, name: str | None = None) -> Callable[[F], F]:
        """Register the decorated function as a Jinja filter."""

        def decorator(f: F) -> F:
            self.add_template_filter(f, name)
            return f

        return decorator

    def add_template_filter(self, f: Callable[..., Any], name: str | None = None) -> None:
        self.jinja_env.filters[name or f.__name__] = f

    def template_test(self, name: str | None = None) -> Callable[[F], F]:
        """Register the decorated function as a Jinja test."""

        def decorator(f: F) -> F:
            self.add_template_test(f, name)
            return f

        return decorator

    def add_template_test(self, f: Callable[..., bool], name: str | None = None) -> None:
        self.jinja_env.tests[name or f.__name__] = f

    def template_global(self, name: str | None = None) -> Callable[[F], F]:
        """Register the decorated function as a Jinja global."""

        def decorator(f: F) -> F:
            self.add_template_global(f, name)
            return f

        return decorator

    def add_template_global(self, f: Callable[..., Any], name: str | None = None) -> None:
        self.jinja_env.globals[name or f.__name__] = f
