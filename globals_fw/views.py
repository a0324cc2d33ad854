"""Class-based views: :class:`View` (one ``dispatch_request``) and :class:`MethodView`
(a method per HTTP verb, found once, when the class is made)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from .globals import request

_HTTP_METHODS = frozenset(["get", "post", "head", "options", "delete", "put", "trace", "patch"])


class View:
    """Subclass, implement ``dispatch_request``, register ``Cls.as_view("name")``.

    ``methods`` are the methods to route; ``decorators`` wrap the generated view function;
    with ``init_every_request = False`` one instance serves all requests.
    """

    methods: ClassVar[Collection[str] | None] = None
    provide_automatic_options: ClassVar[bool | None] = None
    decorators: ClassVar[list[Callable[..., Any]]] = []
    init_every_request: ClassVar[bool] = True

    def dispatch_request(self, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement dispatch_request")

    @classmethod
    def as_view(cls, name: str, *class_args: Any, **class_kwargs: Any) -> Callable[..., Any]:
        """A view function that instantiates the class and calls ``dispatch_request``."""
        if cls.init_every_request:

            def view(**kwargs: Any) -> Any:
                self = view.view_class(*class_args, **class_kwargs)  # type: ignore[attr-defined]
                return self.dispatch_request(**kwargs)

        else:
            instance = cls(*class_args, **class_kwargs)

            def view(**kwargs: Any) -> Any:
                return instance.dispatch_request(**kwargs)

        if cls.decorators:
            view.__name__ = name
            view.__module__ = cls.__module__
            for decorator in cls.decorators:
                view = decorator(view)
        view.view_class = cls  # type: ignore[attr-defined]
        view.__name__ = name
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.methods = cls.methods  # type: ignore[attr-defined]
        view.provide_automatic_options = cls.provide_automatic_options  # type: ignore[attr-defined]
        return view


class MethodView(View):
    """Dispatch to ``get``, ``post``... by the request method (HEAD falls back to
    ``get``); ``methods`` is computed from the methods the class defines."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" not in cls.__dict__:
            methods: set[str] = set()
            for base in cls.__bases__:
                if getattr(base, "methods", None):
                    methods.update(base.methods)  # type: ignore[attr-defined]
            for key in _HTTP_METHODS:
                if hasattr(cls, key):
                    methods.add(key.upper())
            if methods:
                cls.methods = methods

    def dispatch_request(self, **kwargs: Any) -> Any:
        meth = getattr(self, request.method.lower(), None)
        if meth is None and request.method == "HEAD":
            meth = getattr(self, "get", None)
        if meth is None:
            raise RuntimeError(f"Unimplemented method {request.method!r}")
        return meth(**kwargs)
