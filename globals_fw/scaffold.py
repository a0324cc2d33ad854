"""What the app and blueprints share: the registries of views and hooks and their decorators.

Every registry is a dict keyed by blueprint name (``None`` for the app itself), so a request
runs only the hooks of the app and of the blueprints its endpoint belongs to.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import IO, Any, TypeVar

from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.exceptions import default_exceptions

from .globals import current_app
from .helpers import send_from_directory

F = TypeVar("F", bound=Callable[..., Any])

ErrorHandlerSpec = dict[str | None, dict[int | None, dict[type[BaseException], Callable[..., Any]]]]


def ensure_sync(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` itself, or for a coroutine function a plain function that runs it to the end
    with ``asyncio.run`` on the request's thread (as async views are). Hooks and error
    handlers are wrapped once, when registered, so a request pays nothing for it."""
    if not inspect.iscoroutinefunction(func):
        return func

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(func(*args, **kwargs))

    return run


def _endpoint_from_view_func(view_func: Callable[..., Any]) -> str:
    if view_func is None:
        raise TypeError("add_url_rule needs an endpoint when there is no view function")
    return view_func.__name__


def get_root_path(import_name: str) -> str:
    """The directory of the module or package ``import_name`` (the cwd if unknown)."""
    mod = sys.modules.get(import_name)
    filename = getattr(mod, "__file__", None) if mod is not None else None
    if filename:
        return os.path.dirname(os.path.abspath(str(filename)))
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin in (None, "namespace", "built-in", "frozen"):
        return os.getcwd()
    return os.path.dirname(os.path.abspath(spec.origin))


def exception_class_and_code(
    exc_class_or_code: type[BaseException] | int,
) -> tuple[type[BaseException], int | None]:
    """``404`` -> (werkzeug ``NotFound``, 404); ``KeyError`` -> (KeyError, None)."""
    if isinstance(exc_class_or_code, int):
        try:
            exc_class: type[BaseException] = default_exceptions[exc_class_or_code]
        except KeyError:
            raise ValueError(
                f"'{exc_class_or_code}' is not a recognized HTTP error code. Use a subclass "
                "of HTTPException with that code instead."
            ) from None
    else:
        exc_class = exc_class_or_code
    if isinstance(exc_class, BaseException):
        raise TypeError(f"{exc_class!r} is an instance, not a class. Handlers take classes.")
    if not isinstance(exc_class, type) or not issubclass(exc_class, Exception):
        raise ValueError(
            f"'{getattr(exc_class, '__name__', exc_class)}' is not a subclass of Exception. "
            "Handlers can only be registered for Exception classes or HTTP error codes."
        )
    if issubclass(exc_class, WerkzeugHTTPException):
        return exc_class, exc_class.code
    return exc_class, None


_NOT_ASSIGNED = object()


class Scaffold:
    """Registries and decorators common to :class:`App` and :class:`Blueprint`."""

    name: str

    def __init__(
        self,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        root_path: str | None = None,
    ) -> None:
        self.import_name = import_name
        self.static_folder = static_folder
        self.static_url_path = static_url_path
        self.template_folder = template_folder
        self.root_path = root_path if root_path is not None else get_root_path(import_name)
        self.view_functions: dict[str, Callable[..., Any]] = {}
        self.error_handler_spec: ErrorHandlerSpec = defaultdict(lambda: defaultdict(dict))
        self.before_request_funcs: dict[str | None, list[Callable[[], Any]]] = defaultdict(list)
        self.after_request_funcs: dict[str | None, list[Callable[[Any], Any]]] = defaultdict(list)
        self.teardown_request_funcs: dict[str | None, list[Callable[..., Any]]] = defaultdict(list)
        self.template_context_processors: dict[str | None, list[Callable[[], dict[str, Any]]]] = (
            defaultdict(list)
        )
        self.url_value_preprocessors: dict[str | None, list[Callable[..., Any]]] = defaultdict(list)
        self.url_default_functions: dict[str | None, list[Callable[..., Any]]] = defaultdict(list)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    # -- static files and resources -----------------------------------------------------

    @property
    def static_folder(self) -> str | None:
        """The absolute static folder, or ``None``."""
        if self._static_folder is not None:
            return os.path.join(self.root_path, self._static_folder)
        return None

    @static_folder.setter
    def static_folder(self, value: str | os.PathLike[str] | None) -> None:
        if value is not None:
            value = os.fspath(value).rstrip(r"\/")
        self._static_folder = value

    @property
    def has_static_folder(self) -> bool:
        return self._static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix of the static route (``/static`` by default)."""
        if self._static_url_path is not None:
            return self._static_url_path
        if self._static_folder is not None:
            basename = os.path.basename(self._static_folder)
            return f"/{basename}".rstrip("/")
        return None

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        if value is not None:
            value = value.rstrip("/")
        self._static_url_path = value

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """Cache max age for static files (``SEND_FILE_MAX_AGE_DEFAULT``)."""
        value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if value is None:
            return None
        if hasattr(value, "total_seconds"):
            return int(value.total_seconds())
        return int(value)

    def send_static_file(self, filename: str) -> Any:
        """The view of the ``static`` route."""
        if not self.has_static_folder:
            raise RuntimeError(f"{self!r} has no static folder: pass static_folder=")
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(self.static_folder or "", filename, max_age=max_age)

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> IO[Any]:
        """Open a file relative to ``root_path`` for reading."""
        if mode not in {"r", "rt", "rb"}:
            raise ValueError(f"open_resource opens files for reading only, not mode {mode!r}")
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    @property
    def jinja_loader(self) -> Any:
        """A Jinja loader for ``template_folder``, or ``None``. Assignable, as in Flask:
        extensions put a ``ChoiceLoader`` here to add their own templates."""
        assigned = self.__dict__.get("_jinja_loader", _NOT_ASSIGNED)
        if assigned is not _NOT_ASSIGNED:
            return assigned
        if self.template_folder is None:
            return None
        from jinja2 import FileSystemLoader

        return FileSystemLoader(os.path.join(self.root_path, self.template_folder))

    @jinja_loader.setter
    def jinja_loader(self, loader: Any) -> None:
        self.__dict__["_jinja_loader"] = loader

    @jinja_loader.deleter
    def jinja_loader(self) -> None:
        self.__dict__.pop("_jinja_loader", None)

    # -- routes -------------------------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        raise NotImplementedError

    def route(self, rule: str, **options: Any) -> Callable[[F], F]:
        """Register the decorated view for ``rule`` (see :meth:`add_url_rule`)."""

        def decorator(f: F) -> F:
            endpoint = options.pop("endpoint", None)
            self.add_url_rule(rule, endpoint, f, **options)
            return f

        return decorator

    def _method_route(self, method: str, rule: str, options: dict[str, Any]) -> Callable[[F], F]:
        if "methods" in options:
            raise TypeError(
                f"Use the 'route' decorator to use the 'methods' argument, not {method.lower()}"
            )
        return self.route(rule, methods=[method], **options)

    def get(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["GET"])``."""
        return self._method_route("GET", rule, options)

    def post(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["POST"])``."""
        return self._method_route("POST", rule, options)

    def put(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["PUT"])``."""
        return self._method_route("PUT", rule, options)

    def delete(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["DELETE"])``."""
        return self._method_route("DELETE", rule, options)

    def patch(self, rule: str, **options: Any) -> Callable[[F], F]:
        """``route(rule, methods=["PATCH"])``."""
        return self._method_route("PATCH", rule, options)

    def endpoint(self, endpoint: str) -> Callable[[F], F]:
        """Register the decorated function as the view of ``endpoint`` (a rule added with
        ``add_url_rule(rule, endpoint)`` and no view)."""

        def decorator(f: F) -> F:
            self.view_functions[endpoint] = f
            return f

        return decorator

    # -- hooks --------------------------------------------------------------------------

    def before_request(self, f: F) -> F:
        """Run ``f()`` before each request's view; a value it returns is the response."""
        self.before_request_funcs[None].append(ensure_sync(f))
        return f

    def after_request(self, f: F) -> F:
        """Run ``f(response)`` after each request's view; it returns the response."""
        self.after_request_funcs[None].append(ensure_sync(f))
        return f

    def teardown_request(self, f: F) -> F:
        """Run ``f(error)`` when the request context is popped, whatever happened."""
        self.teardown_request_funcs[None].append(ensure_sync(f))
        return f

    def context_processor(self, f: F) -> F:
        """Merge the dict ``f()`` returns into every template's context."""
        self.template_context_processors[None].append(f)
        return f

    def url_value_preprocessor(self, f: F) -> F:
        """Run ``f(endpoint, values)`` on the matched URL values before the hooks."""
        self.url_value_preprocessors[None].append(f)
        return f

    def url_defaults(self, f: F) -> F:
        """Run ``f(endpoint, values)`` on the values of every ``url_for``."""
        self.url_default_functions[None].append(f)
        return f

    def errorhandler(self, code_or_exception: type[BaseException] | int) -> Callable[[F], F]:
        """Handle an HTTP error code or an exception class with the decorated function."""

        def decorator(f: F) -> F:
            self.register_error_handler(code_or_exception, f)
            return f

        return decorator

    def register_error_handler(
        self, code_or_exception: type[BaseException] | int, f: Callable[..., Any]
    ) -> None:
        """:meth:`errorhandler` without the decorator."""
        exc_class, code = exception_class_and_code(code_or_exception)
        self.error_handler_spec[None][code][exc_class] = ensure_sync(f)
