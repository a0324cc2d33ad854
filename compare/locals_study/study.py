"""The whole study as plain data: isolation checks, access costs, what globals_fw uses."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from werkzeug.local import LocalProxy

from .access import measure_access
from .isolation import GREENLET_MISSING, greenlet_module, run_isolation


def _is_proxy(value: object) -> bool:
    return any("Proxy" in cls.__name__ for cls in type(value).__mro__)


def globals_fw_design() -> dict[str, Any]:
    """The context variables and proxies ``globals_fw.globals`` defines, found by looking.

    globals_fw may build its proxies with werkzeug's ``LocalProxy`` or with a class of its
    own; whichever it does at import time is what gets reported (and timed).
    """
    from globals_fw import globals as module

    names = vars(module)
    variables = sorted(v.name for v in names.values() if isinstance(v, ContextVar))
    proxies = sorted(k for k, v in names.items() if not k.startswith("_") and _is_proxy(v))
    classes = sorted(
        {f"{type(names[k]).__module__}.{type(names[k]).__qualname__}" for k in proxies}
    )
    return {
        "module": module.__name__,
        "contextvars": variables,
        "proxies": proxies,
        "proxy_class": ", ".join(classes),
        "werkzeug_proxy": all(type(names[k]) is LocalProxy for k in proxies),
    }


def run_study(rounds: int = 7, number: int = 200_000, clock: str = "cpu") -> dict[str, Any]:
    """Isolation (no timing) and the cost per proxied attribute access (timed)."""
    greenlet = greenlet_module()
    return {
        "isolation": [check.to_json() for check in run_isolation()],
        "greenlet": getattr(greenlet, "__version__", "installed") if greenlet else None,
        "greenlet_note": "" if greenlet else GREENLET_MISSING,
        "access": [cost.to_json() for cost in measure_access(rounds, number, clock)],
        "access_settings": {"rounds": rounds, "number": number, "clock": clock},
        "globals_fw": globals_fw_design(),
    }
