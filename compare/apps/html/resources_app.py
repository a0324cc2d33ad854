"""The HTML app in the resources style.

Falcon has no sessions or templates of its own, so this is what a Falcon user writes: a
middleware keeping a signed-cookie session on ``req.context`` (itsdangerous), a hook checking
the CSRF token of every POST, and a Jinja2 environment the resources render with.
"""

from __future__ import annotations

from typing import Any

import jinja2
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict

import resources_fw as falcon

from . import domain

SESSION_COOKIE = "session"
SESSION_MAX_AGE = 31 * 24 * 3600


class Session(CallbackDict[str, Any]):
    """The session dict; ``modified`` tells the middleware to send the cookie."""

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        def changed(session: Session) -> None:
            session.modified = True

        super().__init__(initial, changed)
        self.modified = False


class SessionMiddleware:
    """Load ``req.context.session`` from a signed cookie; send it back when it changed."""

    def __init__(self, secret_key: str, secure: bool) -> None:
        self.serializer = URLSafeTimedSerializer(secret_key, salt="session")
        self.secure = secure

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        data: dict[str, Any] = {}
        for value in req.get_cookie_values(SESSION_COOKIE) or ():
            try:
                data = self.serializer.loads(value, max_age=SESSION_MAX_AGE)
                break
            except BadSignature:  # tampered or expired: an empty session, not an error
                continue
        req.context.session = Session(data if isinstance(data, dict) else {})

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        session: Session | None = req.context.get("session")
        if session is None:
            return
        resp.append_header("Vary", "Cookie")  # every page may depend on who is signed in
        if not session.modified:
            return
        if session:
            resp.set_cookie(
                SESSION_COOKIE,
                self.serializer.dumps(dict(session)),
                max_age=SESSION_MAX_AGE,
                path="/",
                secure=self.secure,
                http_only=True,
                same_site="Lax",
            )
        else:
            resp.unset_cookie(SESSION_COOKIE, path="/")


def flash(req: falcon.Request, message: str, category: str = "message") -> None:
    """Keep a message in the session for the next page."""
    session = req.context.session
    session["_flashes"] = [*session.get("_flashes", []), [category, message]]


def csrf_token(req: falcon.Request) -> str:
    """The session's CSRF token, created on first use."""
    session = req.context.session
    if domain.CSRF_KEY not in session:
        session[domain.CSRF_KEY] = domain.new_csrf_token()
    token: str = session[domain.CSRF_KEY]
    return token


def require_csrf(
    req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
) -> None:
    """A ``before`` hook: the form's ``csrf_token`` must match the session's."""
    form = req.get_media()
    if not domain.csrf_valid(req.context.session.get(domain.CSRF_KEY), form.get("csrf_token")):
        raise falcon.HTTPBadRequest(description="The CSRF token is missing or invalid.")


class Page:
    """Base of the resources that render templates."""

    def __init__(self, templates: jinja2.Environment, book: domain.Guestbook) -> None:
        self.templates = templates
        self.book = book

    def render(self, req: falcon.Request, resp: falcon.Response, name: str, **context: Any) -> None:
        session = req.context.session
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.templates.get_template(name).render(
            user=session.get(domain.USER_KEY),
            csrf_token=csrf_token(req),
            messages=session.pop("_flashes", []),
            **context,
        )


class Index(Page):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.render(req, resp, "index.html", entries=self.book.latest())


class Login(Page):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.render(req, resp, "login.html", username="", error=None)

    @falcon.before(require_csrf)
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = req.get_media()
        username, password = form.get("username", ""), form.get("password", "")
        if not domain.authenticate(username, password):
            error = "Invalid username or password."
            self.render(req, resp, "login.html", username=username, error=error)
            return
        session = req.context.session
        session[domain.USER_KEY] = username
        session[domain.CSRF_KEY] = domain.new_csrf_token()  # a new token for the new user
        flash(req, f"Welcome, {username}!")
        raise falcon.HTTPSeeOther(f"{req.app}/")


class Logout:
    @falcon.before(require_csrf)
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.session.clear()
        flash(req, "Signed out.")
        raise falcon.HTTPSeeOther(f"{req.app}/")


class Entries:
    def __init__(self, book: domain.Guestbook) -> None:
        self.book = book

    @falcon.before(require_csrf)
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        user = req.context.session.get(domain.USER_KEY)
        if user is None:
            raise falcon.HTTPForbidden(description="Sign in to write in the guestbook.")
        try:
            self.book.add(user, req.get_media().get("text", ""))
        except domain.InvalidEntry as error:
            flash(req, str(error), "error")
        else:
            flash(req, "Thanks for signing!")
        raise falcon.HTTPSeeOther(f"{req.app}/")


def create_app(
    secret_key: str = "dev-only-not-secret", secure_cookies: bool = False, **config: Any
) -> falcon.App:
    """The guestbook; sessions are signed with ``secret_key``."""
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(domain.TEMPLATES),
        autoescape=jinja2.select_autoescape(),
    )
    book = domain.new_guestbook()
    app = falcon.App(middleware=[SessionMiddleware(secret_key, secure_cookies)])
    app.add_route("/", Index(templates, book))
    app.add_route("/login", Login(templates, book))
    app.add_route("/logout", Logout())
    app.add_route("/entries", Entries(book))
    return app
