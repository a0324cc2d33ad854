"""The command line: ``globals-fw --app module:app run|routes|shell|<yours>`` (or
``python -m globals_fw ...``).

``app.cli`` is a click group; its commands run inside an application context. The app is
found from ``--app``, else the ``GLOBALS_FW_APP`` (or ``FLASK_APP``) environment variable,
else ``app.py`` / ``wsgi.py`` in the current directory.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import sys
import traceback
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
    app = _call_factory(attr, name, module, args, kwargs) if isinstance(node, ast.Call) else attr
    if isinstance(app, App):
        return app
    if callable(app) and not isinstance(node, ast.Call):
        app = app()
        if isinstance(app, App):
            return app
    raise NoAppException(f"{expr!r} in {module.__name__!r} is not a globals_fw App.")


def _call_factory(
    factory: Any, name: str, module: Any, args: list[Any], kwargs: dict[str, Any]
) -> Any:
    """Call ``factory``; arguments that do not fit its signature are a NoAppException, while
    a TypeError from inside the factory propagates as itself."""
    try:
        inspect.signature(factory).bind(*args, **kwargs)
    except TypeError as exc:
        raise NoAppException(
            f"The factory {name!r} in {module.__name__!r} cannot be called with those "
            f"arguments: {exc}."
        ) from None
    except ValueError:  # no signature (a builtin): let the call speak for itself
        pass
    return factory(*args, **kwargs)


def locate_app(import_string: str, app_name: str | None = None) -> App:
    """``module`` or ``module:name`` or ``module:factory(args)`` -> the app; or, as in
    Flask, the module and the name (or factory call) apart."""
    if app_name is None:
        import_string, _, app_name = import_string.partition(":")
    module_name = import_string
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
        if exc.name and (module_name + ".").startswith(exc.name + "."):
            raise NoAppException(f"Could not import {module_name!r}.") from None
        # The module exists but failed to import something itself: say where, briefly.
        raise NoAppException(
            f"While importing {module_name!r}, an ImportError was raised:\n\n"
            f"{traceback.format_exc()}"
        ) from None
    return _find_app_in(module, app_name or None)


class ScriptInfo:
    """How the CLI finds the app: an import string or a factory, loaded once."""

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: Callable[[], App] | None = None,
        set_debug_flag: bool = True,
    ) -> None:
        self.app_import_path = app_import_path
        self.create_app = create_app
        self._loaded: App | None = None
        #: Whether ``--debug/--no-debug`` sets the loaded app's ``debug``.
        self.set_debug_flag = set_debug_flag
        #: ``--debug/--no-debug`` (or its environment variable), given to the app on load.
        self.debug: bool | None = None

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
        if self.debug is not None:
            app.debug = self.debug
        self._loaded = app
        return app

    def _from_default_files(self) -> App:
        for name in ("wsgi", "app"):
            if os.path.exists(f"{name}.py"):
                return locate_app(name)
        raise NoAppException(
            "Could not locate an application: pass '--app module:app', set GLOBALS_FW_APP "
            "(or FLASK_APP), "
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


if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]
else:  # click < 8.4 has no subscriptable ParamType
    _ParamType = click.ParamType


class CertParamType(_ParamType):
    """``--cert``: a certificate file, ``adhoc`` (needs ``cryptography``) or the import name
    of an ``ssl.SSLContext``."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            import ssl
        except ImportError:
            self.fail('Using "--cert" requires Python to be compiled with SSL support.', param, ctx)
        if not isinstance(value, str) or os.path.isfile(value):
            return value
        if value == "adhoc":
            # Only whether it is there (it is no dependency of ours; werkzeug imports it).
            if importlib.util.find_spec("cryptography") is None:
                self.fail(
                    'Using ad-hoc certificates requires the "cryptography" library '
                    "(pip install cryptography).",
                    param,
                    ctx,
                )
            return value
        try:
            # An object put in sys.modules under that name counts, as in Flask.
            obj = cast(object, importlib.import_module(value))
        except ImportError:
            obj = None
        if isinstance(obj, ssl.SSLContext):
            return obj
        self.fail(
            f"{value!r} is not a file, 'adhoc', or the import name of an ssl.SSLContext.",
            param,
            ctx,
        )


def _validate_key(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Pair ``--key`` with a ``--cert`` file; refuse it with ``adhoc`` or an SSLContext."""
    cert = ctx.params.get("cert")
    if value is not None:
        if cert is None:
            raise click.BadParameter('"--cert" must also be given with "--key".', ctx, param)
        if not isinstance(cert, str) or cert == "adhoc":
            raise click.BadParameter(
                '"--key" is only for a certificate file, not "adhoc" or an SSLContext.',
                ctx,
                param,
            )
        ctx.params["cert"] = (cert, value)
    elif isinstance(cert, str) and cert != "adhoc":
        raise click.BadParameter('"--key" is required with a "--cert" file.', ctx, param)
    return value


class _PathList(click.Path):
    """Paths separated by ``os.pathsep``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        return [super(_PathList, self).convert(v, param, ctx) for v in value.split(os.pathsep)]


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option("--cert", type=CertParamType(), is_eager=True, help="A certificate file for HTTPS.")
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The key file for '--cert'.",
)
@click.option("--reload/--no-reload", default=None, help="Restart on code changes.")
@click.option("--debugger/--no-debugger", default=None, help="The interactive debugger.")
@click.option("--with-threads/--without-threads", default=True, help="A thread per request.")
@click.option(
    "--extra-files",
    default=None,
    type=_PathList(),
    help=f"More files the reloader watches, separated by {os.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=_PathList(),
    help=f"fnmatch patterns the reloader ignores, separated by {os.pathsep!r}.",
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: Any,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Serve the app with werkzeug's development server (not for production)."""
    from werkzeug.serving import run_simple

    app = info.load_app()
    debug = app.debug
    extra: dict[str, Any] = {}
    if cert is not None:
        extra["ssl_context"] = cert
    if extra_files:
        extra["extra_files"] = extra_files
    if exclude_patterns:
        extra["exclude_patterns"] = exclude_patterns
    run_simple(
        host,
        port,
        app,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        **extra,
    )


@click.command("routes", short_help="Show the routes.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "rule", "match")),
    default="endpoint",
    help="Order by this column; 'match' keeps the order rules were added in.",
)
@click.option("--all-methods", is_flag=True, help="Show the automatic HEAD and OPTIONS too.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """List every rule: endpoint, methods, rule."""
    from .globals import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    rules = list(app.url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    manual_options = app._manual_options

    def methods_of(rule: Any) -> list[str]:
        methods = set(rule.methods)
        if all_methods:
            if "GET" in methods:
                methods.add("HEAD")
            if rule.rule not in manual_options:
                methods.add("OPTIONS")
        return sorted(methods)

    key = {
        "endpoint": lambda r: r.endpoint or "",
        "methods": methods_of,
        "rule": lambda r: r.rule,
        "match": lambda r: 0,
    }[sort]
    rules.sort(key=key)
    rows = [("Endpoint", "Methods", "Rule")] + [
        (r.endpoint or "", ", ".join(methods_of(r)), r.rule) for r in rules
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


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    import werkzeug

    try:
        ours = version("resources-fw")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        ours = "unknown"
    click.echo(
        f"Python {sys.version.split()[0]}\nglobals_fw {ours}\n"
        f"Werkzeug {getattr(werkzeug, '__version__', None) or version('werkzeug')}"
    )
    ctx.exit()


_commands_running = 0


def _command_done() -> None:
    global _commands_running
    _commands_running -= 1


def running_from_cli() -> bool:
    """Whether a ``FlaskGroup`` command (``globals-fw ...``) is running in this process."""
    return _commands_running > 0


class FlaskGroup(AppGroup):
    """The command group of a project's own script: the built-in ``run``, ``routes`` and
    ``shell`` plus the app's ``app.cli`` commands, with ``--app`` and ``--debug``.

    ``create_app`` (called with no arguments) makes the app instead of ``--app``;
    ``set_debug_flag=False`` makes ``--debug`` leave the app alone. ``load_dotenv`` is
    accepted for Flask compatibility and ignored (no ``.env`` support).
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: Callable[[], App] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        params.append(
            click.Option(
                ["--app", "-A"],
                help="The app: 'module', 'module:name' or 'module:factory()'.",
                expose_value=False,
                is_eager=True,
                callback=_set_app,
            )
        )
        params.append(
            click.Option(
                ["--debug/--no-debug"],
                default=None,
                envvar=["GLOBALS_FW_DEBUG", "FLASK_DEBUG"],
                help="Debug mode (default: as the app sets it, or GLOBALS_FW_DEBUG).",
                expose_value=False,
                callback=_set_debug,
            )
        )
        if add_version_option:
            params.append(
                click.Option(
                    ["--version"],
                    is_flag=True,
                    expose_value=False,
                    is_eager=True,
                    callback=_print_version,
                    help="Show the versions and exit.",
                )
            )
        super().__init__(params=params, **extra)
        self.create_app = create_app
        self.load_dotenv = load_dotenv
        self.set_debug_flag = set_debug_flag
        #: ``--debug/--no-debug`` (or its environment variable), given to the app on load.
        self.debug: bool | None = None
        if add_default_commands:
            # Built-ins push a context themselves when they need one; `run` must not hold
            # one for the server's lifetime.
            for command in (run_command, routes_command, shell_command):
                click.Group.add_command(self, command)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # Our own ScriptInfo even when nested under a plain click group, so `create_app`
        # is used.
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app, set_debug_flag=self.set_debug_flag
            )
        # While a command runs, an `app.run()` left at module level (no `__main__` guard)
        # must not start a server and block the command: see App.run.
        global _commands_running
        _commands_running += 1
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except BaseException:
            _commands_running -= 1
            raise
        ctx.call_on_close(_command_done)
        return ctx

    def _load(self, ctx: click.Context, *, help_listing: bool) -> App | None:
        try:
            return ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as exc:
            click.secho(f"Error: {exc.format_message()}\n", err=True, fg="red")
        except Exception:
            if not help_listing:
                raise
            # A factory that fails must not hide the help text: show why, then the help.
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        rv = super().get_command(ctx, name)
        if rv is not None:
            return rv
        app = self._load(ctx, help_listing=False)
        if app is None:
            return None
        from .globals import _cv_app

        current = _cv_app.get(None)
        if current is None or current.app is not app:
            # The context is there for parameter callbacks too, not only the command.
            ctx.with_resource(app.app_context())
        return app.cli.get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        app = self._load(ctx, help_listing=True)
        if app is not None:
            names.update(app.cli.list_commands(ctx))
        return sorted(names)


def _set_app(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(ScriptInfo).app_import_path = value


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool | None) -> None:
    info = ctx.ensure_object(ScriptInfo)
    if value is not None and info.set_debug_flag:
        # Applied when the app is loaded, so `--help` works without an app.
        info.debug = value
        if info._loaded is not None:
            info._loaded.debug = value


cli = FlaskGroup(name="globals_fw", help="Run and manage a globals_fw application.")


def main() -> None:
    """The console entry point (``globals-fw`` or ``python -m globals_fw``); click names the
    program in messages after how it was started."""
    cli.main()
