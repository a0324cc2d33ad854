"""``app.config``: a dict with loaders for objects, files, mappings and the environment."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import types
from collections.abc import Callable, Mapping
from typing import IO, Any

from werkzeug.utils import import_string


class ConfigAttribute:
    """Forward an app attribute to a config key (``app.debug`` -> ``config["DEBUG"]``)."""

    def __init__(self, name: str, get_converter: Callable[[Any], Any] | None = None) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = obj.config[self.__name__]
        return self.get_converter(value) if self.get_converter is not None else value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.config[self.__name__] = value


class Config(dict[str, Any]):
    """Configuration values; only UPPERCASE names are taken from objects, files and the
    environment. ``root_path`` anchors relative file names."""

    def __init__(
        self, root_path: str | os.PathLike[str], defaults: Mapping[str, Any] | None = None
    ):
        super().__init__(defaults or {})
        self.root_path = os.fspath(root_path)

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python file named by the environment variable ``variable_name``."""
        rv = os.environ.get(variable_name)
        if not rv:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set and as such "
                "configuration could not be loaded. Set this variable and make it point to "
                "a configuration file"
            )
        return self.from_pyfile(rv, silent=silent)

    def from_prefixed_env(
        self, prefix: str = "FLASK", *, loads: Callable[[str], Any] = json.loads
    ) -> bool:
        """Load ``PREFIX_KEY`` environment variables; values go through ``loads`` (JSON)
        when they parse, and ``__`` nests into dicts (``PREFIX_DB__HOST``)."""
        prefix = f"{prefix}_"
        for key in sorted(os.environ):
            if not key.startswith(prefix):
                continue
            value: Any = os.environ[key]
            with contextlib.suppress(Exception):  # not JSON: kept as the string it was
                value = loads(value)
            key = key.removeprefix(prefix)
            if "__" not in key:
                self[key] = value
                continue
            current: dict[str, Any] = self
            *parts, tail = key.split("__")
            for part in parts:
                current = current.setdefault(part, {})
            current[tail] = value
        return True

    def from_pyfile(self, filename: str | os.PathLike[str], silent: bool = False) -> bool:
        """Execute a Python file and load its UPPERCASE names; a missing file is an error
        unless ``silent``."""
        filename = os.path.join(self.root_path, filename)
        d = types.ModuleType("config")
        d.__file__ = filename
        try:
            with open(filename, mode="rb") as config_file:
                exec(compile(config_file.read(), filename, "exec"), d.__dict__)
        except OSError as e:
            if silent and e.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR):
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        self.from_object(d)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the UPPERCASE attributes of ``obj`` (an object or an import string)."""
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: Callable[[IO[Any]], Mapping[str, Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a file with ``load`` (``json.load``, ``tomllib.load`` with ``text=False``)."""
        filename = os.path.join(self.root_path, filename)
        try:
            with open(filename, "r" if text else "rb") as f:
                obj = load(f)
        except OSError as e:
            if silent and e.errno in (errno.ENOENT, errno.EISDIR):
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(obj)

    def from_mapping(self, mapping: Mapping[str, Any] | None = None, **kwargs: Any) -> bool:
        """Load the UPPERCASE keys of ``mapping`` and ``kwargs``."""
        mappings: dict[str, Any] = {}
        if mapping is not None:
            mappings.update(mapping)
        mappings.update(kwargs)
        for key, value in mappings.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, Any]:
        """The keys starting with ``namespace`` (``"IMAGE_STORE_"``), trimmed, lowercased."""
        rv: dict[str, Any] = {}
        for k, v in self.items():
            if not k.startswith(namespace):
                continue
            key = k[len(namespace) :] if trim_namespace else k
            rv[key.lower() if lowercase else key] = v
        return rv

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"

    # Every change bumps ``version``, so the app re-reads settings only when they changed.
    version = 0

    def __setitem__(self, key: str, value: Any) -> None:
        self.version += 1
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.version += 1
        super().__delitem__(key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.version += 1
        super().update(*args, **kwargs)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.version += 1
        return super().setdefault(key, default)

    def pop(self, key: str, *default: Any) -> Any:
        self.version += 1
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        self.version += 1
        return super().popitem()

    def clear(self) -> None:
        self.version += 1
        super().clear()

    def __ior__(self, other: Any) -> Config:  # type: ignore[override,misc]
        self.version += 1
        super().__ior__(other)
        return self
