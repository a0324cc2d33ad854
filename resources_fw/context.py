"""``Context``: a bag for per-request state with attribute and dict access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Context:
    """Attributes set on it are also items: ``ctx.user = u`` then ``ctx["user"]``."""

    def __getitem__(self, key: str) -> Any:
        try:
            return self.__dict__[key]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self.__dict__[key] = value

    def __delitem__(self, key: str) -> None:
        del self.__dict__[key]

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Context):
            return self.__dict__ == other.__dict__
        if isinstance(other, dict):
            return self.__dict__ == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        return self.__dict__.setdefault(key, default)

    def pop(self, key: str, default: Any = None) -> Any:
        """Remove and return ``key``; ``default`` (``None``) when absent, as in Falcon."""
        return self.__dict__.pop(key, default)

    def keys(self) -> Any:
        return self.__dict__.keys()

    def values(self) -> Any:
        return self.__dict__.values()

    def items(self) -> Any:
        return self.__dict__.items()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.update(*args, **kwargs)

    def copy(self) -> Context:
        """A shallow copy of the same class (so a custom ``context_type`` stays one)."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def clear(self) -> None:
        self.__dict__.clear()

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item set (``KeyError`` when empty)."""
        return self.__dict__.popitem()


def check_context_type(cls: type) -> None:
    """Refuse, when ``cls`` is defined, a ``context_type`` that cannot make a context (the
    context is built lazily, so the mistake would otherwise surface mid-request)."""
    if "context_type" in cls.__dict__ and not callable(cls.__dict__["context_type"]):
        raise TypeError(
            f"{cls.__qualname__}.context_type must be a class or a callable returning the "
            f"context, not {cls.__dict__['context_type']!r}"
        )
