"""The command line: ``globals-fw --app module:app run|routes|shell|<yours>`` (or
``python -m globals_fw ...``).

``app.cli`` is a click group; its commands run inside an application context. The app is
found from ``--app``, else the ``GLOBALS_FW_APP`` (or ``FLASK_APP``) environment variable,
else ``app.py`` / ``wsgi.py`` in the current directory.
"""

from __future__ import annotations

import ast
import importlib
import os
import sys
from collections.abc import Callable
from functools import update_wrapper
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

if TYPE_CHECKING:
    from .app import App

F = TypeVar("F", bound=Callable[..., Any])


class NoAppException(click.UsageError):
    """The application could not be found or made."""


def _find_app_in(module: Any, app_name: str | None) -> App:
    from .app import App

    if app_name:
        return _app_from_expression(module, app_name)
    for attr in ("app", "application"):
        app = getattr(module, attr, None)
        if isinstance(app, App):
            return app
    matches = [v for v in vars(module).values() if isinstance(v, App)]
    if len(matches) == 1:
        return matches[0]
    for attr in ("create_app", "make_app"):
        factory = getattr(module, attr, None)
        if callable(factory):
            app = factory()
            if isinstance(app, App):
                return app
    raise NoAppException(
        f"Could not find an application in module {module.__name__!r}. Use "
        "'--app module:name' to say which."
    )


def _app_from_expression(module: Any, expr: str) -> App:
    from .app import App

    try:
        node = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(f"Failed to parse {expr!r} as an attribute name or call.") from None
    if isinstance(node, ast.Name):
        name, args, kwargs = node.id, [], {}
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {str(kw.arg): ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
        except ValueError:
            raise NoAppException(f"Only literal arguments are allowed in {expr!r}.") from None
        name = node.func.id
    else:
        raise NoAppException(f"Failed to parse {expr!r} as an attribute name or call.")
    try:
        attr = getattr(module, name)
    except AttributeError:
        raise NoAppException(f"Failed to find attribute {name!r} in {module.__name__!r}.") from None
    app = attr(*args, **kwargs) if isinstance(node, ast.Call) else attr
    if isinstance(app, App):
        return app
    if callable(app) and not isinstance(node, ast.Call):
        app = app()
        if isinstance(app, App):
            return app
    raise NoAppException(f"{expr!r} in {module.__name__!r} is not a globals_fw App.")


def locate_app(import_string: str) -> App:
    """``module`` or ``module:name`` or ``module:factory(args)`` -> the app."""
    module_name, _, app_name = import_string.partition(":")
    if module_name.endswith(".py") or os.sep in module_name:
        # A file path: import the file's module from its directory.
        path = os.path.realpath(module_name)
        directory, module_name = os.path.split(os.path.splitext(path)[0])
        if directory not in sys.path:
            sys.path.insert(0, directory)
    elif os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name == module_name:
            raise NoAppException(f"Could not import {module_name!r}.") from None
        raise
    return _find_app_in(module, app_name or None)


class ScriptInfo:
    """How the CLI finds the app: an import string or a factory, loaded once."""

    def __init__(
        self, app_import_path: str | None = None, create_app: Callable[[], App] | None = None
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        self._loaded: App | None = None

    def load_app(self) -> App:
        if self._loaded is not None:
            return self._loaded
        if self.create_app is not None:
            app = self.create_app()
        else:
            path = (
                self.app_import_path
                or os.environ.get("GLOBALS_FW_APP")
                or os.environ.get("FLASK_APP")
            )
            app = locate_app(path) if path else self._from_default_files()
        self._loaded = app
        return app

    def _from_default_files(self) -> App:
        for name in ("wsgi", "app"):
            if os.path.exists(f"{name}.py"):
                return locate_app(name)
        raise NoAppException(
            "Could not locate an application: pass '--app module:app', set GLOBALS_FW_APP, "
            "or put 'app.py' or 'wsgi.py' in the current directory."
        )


pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: F) -> F:
    """Run the command inside the app's application context."""

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        from .globals import _cv_app

        if _cv_app.get(None) is None:
            app = ctx.ensure_object(ScriptInfo).load_app()
            with app.app_context():
                return ctx.invoke(f, *args, **kwargs)
        return ctx.invoke(f, *args, **kwargs)

    return cast(F, update_wrapper(decorator, f))


def _in_app_context(cmd: click.Command) -> None:
    callback = cmd.callback
    if callback is not None and not getattr(callback, "_globals_fw_ctx", False):
        wrapped = with_appcontext(callback)
        wrapped._globals_fw_ctx = True  # type: ignore[attr-defined]
        cmd.callback = wrapped
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _in_app_context(sub)


class AppGroup(click.Group):
    """A click group whose commands run in an application context (``app.cli``)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        wrap_for_ctx = kwargs.pop("with_appcontext", True)

        def decorator(f: Callable[..., Any]) -> click.Command:
            if wrap_for_ctx:
                f = with_appcontext(f)
                f._globals_fw_ctx = True  # type: ignore[attr-defined]
            return super(AppGroup, self).command(*args, **kwargs)(f)  # type: ignore[no-any-return]

        if len(args) == 1 and callable(args[0]) and not kwargs:
            func = args[0]
            args = ()
            return decorator(func)
        return decorator

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add a click command; it (and a group's subcommands) run in an app context."""
        _in_app_context(cmd)
        super().add_command(cmd, name)

    def group(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", AppGroup)
        return super().group(*args, **kwargs)


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option("--reload/--no-reload", default=None, help="Restart on code changes.")
@click.option("--debugger/--no-debugger", default=None, help="The interactive debugger.")
@pass_script_info
def run_command(
    info: ScriptInfo, host: str, port: int, reload: bool | None, debugger: bool | None
) -> None:
    """Serve the app with werkzeug's development server (not for production)."""
    from werkzeug.serving import run_simple

    app = info.load_app()
    debug = app.debug
    run_simple(
        host,
        port,
        app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=True,
    )


@click.command("routes", short_help="Show the routes.")
@click.option(
    "--sort", "-s", type=click.Choice(("endpoint", "methods", "rule")), default="endpoint"
)
@with_appcontext
def routes_command(sort: str) -> None:
    """List every rule: endpoint, methods, rule."""
    from .globals import current_app

    rules = list(current_app.url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    key = {
        "endpoint": lambda r: r.endpoint or "",
        "methods": lambda r: sorted(r.methods),
        "rule": lambda r: r.rule,
    }[sort]
    rules.sort(key=key)
    rows = [("Endpoint", "Methods", "Rule")] + [
        (r.endpoint or "", ", ".join(sorted(r.methods)), r.rule) for r in rules
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    fmt = "  ".join(f"{{{i}:<{w}}}" for i, w in enumerate(widths))
    click.echo(fmt.format(*rows[0]).rstrip())
    click.echo(fmt.format(*("-" * w for w in widths)))
    for row in rows[1:]:
        click.echo(fmt.format(*row).rstrip())


@click.command("shell", short_help="Run a Python shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """An interactive Python shell with ``app``, ``g`` and the shell context."""
    import code

    from .globals import current_app

    ctx = current_app.make_shell_context()
    banner = f"Python {sys.version} on {sys.platform}\nApp: {current_app.name}"
    code.interact(banner=banner, local=ctx)


class MainGroup(AppGroup):
    """The ``globals_fw`` command: built-in commands plus the app's ``app.cli`` ones."""

    def __init__(self, **kwargs: Any) -> None:
        params = [
            click.Option(
                ["--app", "-A"],
                help="The app: 'module', 'module:name' or 'module:factory()'.",
                expose_value=False,
                is_eager=True,
                callback=_set_app,
            ),
            click.Option(
                ["--debug/--no-debug"],
                default=None,
                help="Debug mode.",
                expose_value=False,
                callback=_set_debug,
            ),
        ]
        super().__init__(params=params, **kwargs)
        # Built-ins push a context themselves when they need one; `run` must not hold one
        # for the server's lifetime.
        for command in (run_command, routes_command, shell_command):
            click.Group.add_command(self, command)

    def _app_commands(self, ctx: click.Context) -> click.Group | None:
        try:
            return ctx.ensure_object(ScriptInfo).load_app().cli
        except NoAppException:
            return None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        rv = super().get_command(ctx, name)
        if rv is not None:
            return rv
        group = self._app_commands(ctx)
        return group.get_command(ctx, name) if group is not None else None

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        group = self._app_commands(ctx)
        if group is not None:
            names.update(group.list_commands(ctx))
        return sorted(names)


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(ScriptInfo).app_import_path = value


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).load_app().debug = value


cli = MainGroup(name="globals_fw", help="Run and manage a globals_fw application.")


def main() -> None:
    """The console entry point (``globals-fw`` or ``python -m globals_fw``); click names the
    program in messages after how it was started."""
    cli.main()
