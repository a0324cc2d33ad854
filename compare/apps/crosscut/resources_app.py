"""The cross-cutting app in the resources style: middleware components for the request id,
timing, connections and the audit log, CORS middleware, an auth hook on the protected
resources, and an error handler mapping domain errors to HTTP errors."""

from __future__ import annotations

import time
from typing import Any

import resources_fw as falcon

from . import domain

#: Domain errors and the HTTP errors they become.
HTTP_ERRORS: dict[type[domain.DomainError], type[falcon.HTTPError]] = {
    domain.UnknownOrder: falcon.HTTPNotFound,
    domain.NotYourOrder: falcon.HTTPForbidden,
    domain.OrderLocked: falcon.HTTPConflict,
}


class RequestId:
    """``X-Request-ID``: the client's, if well-formed, else a new one; always echoed."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.request_id = domain.request_id(req.get_header("X-Request-ID"))

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        resp.set_header("X-Request-ID", req.context.request_id)


class Timing:
    """``Server-Timing: app;dur=<ms>`` on every response."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.started = time.perf_counter()

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        elapsed = (time.perf_counter() - req.context.started) * 1000
        resp.set_header("Server-Timing", f"app;dur={elapsed:.3f}")


class Connections:
    """Lend a connection to resources that ask for one (``uses_db``); always give it back."""

    def __init__(self, pool: domain.Pool) -> None:
        self.pool = pool

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        if getattr(resource, "uses_db", False):
            req.context.connection = self.pool.acquire()

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        connection = req.context.get("connection")
        if connection is not None:
            self.pool.release(connection)


class Audit:
    """Record every answered request, with its final status."""

    def __init__(self, log: domain.AuditLog) -> None:
        self.log = log

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        self.log.record(req.context.request_id, req.method, req.path, resp.status_code)


def require_user(
    req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
) -> None:
    """A ``before`` hook: the request names a user with a bearer token."""
    user = domain.authenticate(req.get_header("Authorization"))
    if user is None:
        raise falcon.HTTPUnauthorized(
            description="Send 'Authorization: Bearer <token>'.", challenges=["Bearer"]
        )
    req.context.user = user


def domain_error(
    req: falcon.Request, resp: falcon.Response, ex: domain.DomainError, params: dict[str, Any]
) -> None:
    """Turn a domain error into the HTTP error of its class."""
    raise HTTP_ERRORS[type(ex)](description=str(ex), code=ex.code)


class Health:
    def __init__(self, pool: domain.Pool) -> None:
        self.pool = pool

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok", "connections_in_use": self.pool.in_use}


@falcon.before(require_user)
class Orders:
    uses_db = True

    def __init__(self, service: domain.OrderService) -> None:
        self.service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        orders = self.service.for_user(req.context.user)
        resp.media = {"orders": [o.to_dict() for o in orders]}

    def on_get_one(self, req: falcon.Request, resp: falcon.Response, order_id: int) -> None:
        resp.media = self.service.get(req.context.user, order_id).to_dict()

    def on_post_cancel(self, req: falcon.Request, resp: falcon.Response, order_id: int) -> None:
        resp.media = self.service.cancel(req.context.user, order_id).to_dict()


@falcon.before(require_user)
class AuditTrail:
    def __init__(self, log: domain.AuditLog) -> None:
        self.log = log

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"entries": self.log.entries()}


class Boom:
    uses_db = True

    def __init__(self, service: domain.OrderService) -> None:
        self.service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.service.fail()


def create_app(**config: Any) -> falcon.App:
    """The orders API with its cross-cutting concerns; ``config`` is unused."""
    service, pool, log = domain.OrderService(), domain.Pool(), domain.AuditLog()
    cors = falcon.CORSMiddleware(
        allow_origins=domain.ALLOWED_ORIGINS,
        expose_headers=domain.EXPOSED_HEADERS,
        max_age=domain.CORS_MAX_AGE,
    )
    # Responses pass the components in reverse: Audit sees the final status, and the
    # request id and timing are set on every response, errors included.
    app = falcon.App(middleware=[Audit(log), RequestId(), Timing(), cors, Connections(pool)])
    app.add_error_handler(domain.DomainError, domain_error)
    orders = Orders(service)
    app.add_route("/health", Health(pool))
    app.add_route("/orders", orders)
    app.add_route("/orders/{order_id:int}", orders, suffix="one")
    app.add_route("/orders/{order_id:int}/cancel", orders, suffix="cancel")
    app.add_route("/audit", AuditTrail(log))
    app.add_route("/boom", Boom(service))
    return app
