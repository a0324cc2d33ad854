"""The cross-cutting app in the globals style: ``before_request`` / ``after_request`` /
``teardown_request`` functions sharing state through ``g``, a blueprint guarding its views
with a ``before_request`` auth check, and an ``errorhandler`` for domain errors."""

from __future__ import annotations

import time
from http import HTTPStatus
from typing import Any, cast

from werkzeug.datastructures import WWWAuthenticate

from globals_fw import App, Blueprint, abort, current_app, g, request
from globals_fw.wrappers import Response

from . import domain

#: Domain errors and the HTTP status codes they become.
HTTP_STATUS: dict[type[domain.DomainError], int] = {
    domain.UnknownOrder: 404,
    domain.NotYourOrder: 403,
    domain.OrderLocked: 409,
}

orders = Blueprint("orders", __name__)


def service() -> domain.OrderService:
    """The app's order service."""
    return cast(domain.OrderService, current_app.extensions["orders"])


def pool() -> domain.Pool:
    """The app's connection pool."""
    return cast(domain.Pool, current_app.extensions["pool"])


@orders.before_request
def require_user() -> None:
    """The blueprint's requests name a user with a bearer token (preflights excepted)."""
    if request.method == "OPTIONS":
        return
    user = domain.authenticate(request.headers.get("Authorization"))
    if user is None:
        abort(
            401,
            description="Send 'Authorization: Bearer <token>'.",
            www_authenticate=WWWAuthenticate("Bearer"),
        )
    g.user = user
    g.connection = pool().acquire()


@orders.get("/orders")
def list_orders() -> dict[str, Any]:
    return {"orders": [o.to_dict() for o in service().for_user(g.user)]}


@orders.get("/orders/<int:order_id>")
def get_order(order_id: int) -> dict[str, Any]:
    return service().get(g.user, order_id).to_dict()


@orders.post("/orders/<int:order_id>/cancel")
def cancel_order(order_id: int) -> dict[str, Any]:
    return service().cancel(g.user, order_id).to_dict()


@orders.get("/audit")
def audit() -> dict[str, Any]:
    return {"entries": current_app.extensions["audit"].entries()}


def health() -> dict[str, Any]:
    return {"status": "ok", "connections_in_use": pool().in_use}


def boom() -> None:
    g.connection = pool().acquire()
    service().fail()


def start() -> None:
    """Before every request: its id and start time, on ``g``."""
    g.request_id = domain.request_id(request.headers.get("X-Request-ID"))
    g.started = time.perf_counter()


def stamp(response: Response) -> Response:
    """After every request: the id and timing headers, and the audit entry."""
    elapsed = (time.perf_counter() - g.started) * 1000
    response.headers["X-Request-ID"] = g.request_id
    response.headers["Server-Timing"] = f"app;dur={elapsed:.3f}"
    current_app.extensions["audit"].record(
        g.request_id, request.method, request.path, response.status_code
    )
    return response


def cors(response: Response) -> Response:
    """CORS headers for allowed origins; preflights get the allowed methods and headers."""
    origin = request.headers.get("Origin")
    if origin is None or origin.lower() not in domain.ALLOWED_ORIGINS:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers.add("Vary", "Origin")
    response.headers["Access-Control-Expose-Headers"] = ", ".join(domain.EXPOSED_HEADERS)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = response.headers.pop("Allow", "")
        wanted = request.headers.get("Access-Control-Request-Headers", "*")
        response.headers["Access-Control-Allow-Headers"] = wanted
        response.headers["Access-Control-Max-Age"] = str(domain.CORS_MAX_AGE)
    return response


def give_back_connection(error: BaseException | None) -> None:
    """Teardown: return the borrowed connection, whatever happened."""
    connection = g.pop("connection", None)
    if connection is not None:
        pool().release(connection)


def domain_error(error: domain.DomainError) -> tuple[dict[str, Any], int]:
    """A domain error as the JSON error body of its HTTP status."""
    status = HTTP_STATUS[type(error)]
    title = f"{status} {HTTPStatus(status).phrase}"
    return {"title": title, "description": str(error), "code": error.code}, status


def create_app(**config: Any) -> App:
    """The orders API with its cross-cutting concerns; ``config`` goes to ``app.config``."""
    app = App(__name__, static_folder=None)
    app.config.from_mapping(config)
    app.extensions.update(orders=domain.OrderService(), pool=domain.Pool(), audit=domain.AuditLog())
    app.before_request(start)
    # after_request functions run in reverse order of registration: CORS first, then the
    # stamp, which records the final status.
    app.after_request(stamp)
    app.after_request(cors)
    app.teardown_request(give_back_connection)
    app.register_error_handler(domain.DomainError, domain_error)
    app.add_url_rule("/health", view_func=health)
    app.add_url_rule("/boom", view_func=boom)
    app.register_blueprint(orders)
    return app
