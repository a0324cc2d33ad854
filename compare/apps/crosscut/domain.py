"""The orders service behind the cross-cutting app, shared by both implementations.

Besides the orders themselves: bearer-token authentication, request-id validation, a
connection pool each request borrows from (and must give back, whatever happens), and an
audit log of answered requests.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

ALLOWED_ORIGINS = ("https://app.example",)
EXPOSED_HEADERS = ("X-Request-ID", "Server-Timing")
CORS_MAX_AGE = 600

_TOKENS = {"alice-token": "alice", "bob-token": "bob"}
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class DomainError(Exception):
    """A business rule said no; ``code`` is stable, the message is for people."""

    code = "domain_error"


class UnknownOrder(DomainError):
    """No order has that id."""

    code = "unknown_order"


class NotYourOrder(DomainError):
    """The order belongs to another user."""

    code = "not_your_order"


class OrderLocked(DomainError):
    """The order has shipped: it can no longer change."""

    code = "order_locked"


@dataclass
class Order:
    """An order; ``status`` is ``open``, ``shipped`` or ``cancelled``."""

    id: int
    owner: str
    item: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        """The order as a JSON object."""
        return asdict(self)


class OrderService:
    """Orders, checked against the user asking."""

    def __init__(self) -> None:
        self._orders = {
            o.id: o
            for o in (
                Order(1, "alice", "book", "open"),
                Order(2, "alice", "lamp", "shipped"),
                Order(3, "bob", "pen", "open"),
            )
        }
        self._lock = threading.Lock()

    def for_user(self, user: str) -> list[Order]:
        """The user's orders, by id."""
        return [o for o in self._orders.values() if o.owner == user]

    def get(self, user: str, order_id: int) -> Order:
        """The user's order; ``UnknownOrder`` / ``NotYourOrder`` otherwise."""
        order = self._orders.get(order_id)
        if order is None:
            raise UnknownOrder(f"There is no order {order_id}.")
        if order.owner != user:
            raise NotYourOrder(f"Order {order_id} belongs to someone else.")
        return order

    def cancel(self, user: str, order_id: int) -> Order:
        """Cancel an open order (again: no change); ``OrderLocked`` once shipped."""
        with self._lock:
            order = self.get(user, order_id)
            if order.status == "shipped":
                raise OrderLocked(f"Order {order_id} has shipped and cannot be cancelled.")
            order.status = "cancelled"
            return order

    def fail(self) -> None:
        """A bug: the error message holds a secret that must never reach a client."""
        raise RuntimeError("lost connection to db://admin:hunter2@db")


class Pool:
    """A stand-in connection pool: counts what is borrowed and not yet given back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_use = 0
        self.borrowed = 0

    def acquire(self) -> int:
        """Borrow a connection (its number)."""
        with self._lock:
            self.in_use += 1
            self.borrowed += 1
            return self.borrowed

    def release(self, connection: int) -> None:
        """Give a connection back."""
        with self._lock:
            if self.in_use <= 0:
                raise RuntimeError(f"connection {connection} released twice")
            self.in_use -= 1


class AuditLog:
    """The latest answered requests: ``[request_id, method, path, status]``."""

    def __init__(self, size: int = 20) -> None:
        self._entries: deque[list[Any]] = deque(maxlen=size)

    def record(self, request_id: str, method: str, path: str, status: int) -> None:
        self._entries.append([request_id, method, path, status])

    def entries(self) -> list[list[Any]]:
        return list(self._entries)


def authenticate(authorization: str | None) -> str | None:
    """The user named by an ``Authorization: Bearer <token>`` header, or ``None``."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return _TOKENS.get(token.strip())


def request_id(given: str | None) -> str:
    """The client's request id when it is well-formed, else a new one."""
    if given and _REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex
