"""The HTML app in the globals style: Flask's session, ``flash`` and ``render_template``, and
a ``before_request`` CSRF check, in a blueprint."""

from __future__ import annotations

from typing import Any, cast

from globals_fw import (
    App,
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from globals_fw.wrappers import Response

from . import domain

site = Blueprint("site", __name__)


def book() -> domain.Guestbook:
    """The app's guestbook."""
    return cast(domain.Guestbook, current_app.extensions["guestbook"])


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    if domain.CSRF_KEY not in session:
        session[domain.CSRF_KEY] = domain.new_csrf_token()
    token: str = session[domain.CSRF_KEY]
    return token


@site.before_request
def check_csrf() -> None:
    """Every POST carries the session's CSRF token."""
    if request.method == "POST" and not domain.csrf_valid(
        session.get(domain.CSRF_KEY), request.form.get("csrf_token")
    ):
        abort(400, description="The CSRF token is missing or invalid.")


@site.context_processor
def page_context() -> dict[str, Any]:
    """What every template sees."""
    return {
        "user": session.get(domain.USER_KEY),
        "csrf_token": csrf_token(),
        "messages": get_flashed_messages(with_categories=True),
    }


@site.get("/")
def index() -> str:
    return render_template("index.html", entries=book().latest())


@site.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "GET":
        return render_template("login.html", username="", error=None)
    username = request.form.get("username", "")
    if not domain.authenticate(username, request.form.get("password", "")):
        error = "Invalid username or password."
        return render_template("login.html", username=username, error=error)
    session[domain.USER_KEY] = username
    session[domain.CSRF_KEY] = domain.new_csrf_token()  # a new token for the new user
    flash(f"Welcome, {username}!")
    return redirect(url_for(".index"), code=303)


@site.post("/logout")
def logout() -> Response:
    session.clear()
    flash("Signed out.")
    return redirect(url_for(".index"), code=303)


@site.post("/entries")
def post_entry() -> Response:
    user = session.get(domain.USER_KEY)
    if user is None:
        abort(403, description="Sign in to write in the guestbook.")
    try:
        book().add(user, request.form.get("text", ""))
    except domain.InvalidEntry as error:
        flash(str(error), "error")
    else:
        flash("Thanks for signing!")
    return redirect(url_for(".index"), code=303)


def create_app(
    secret_key: str = "dev-only-not-secret", secure_cookies: bool = False, **config: Any
) -> App:
    """The guestbook; sessions are signed with ``secret_key``."""
    app = App(__name__, template_folder=str(domain.TEMPLATES), static_folder=None)
    app.config.from_mapping(SECRET_KEY=secret_key, SESSION_COOKIE_SECURE=secure_cookies, **config)
    app.extensions["guestbook"] = domain.new_guestbook()
    app.register_blueprint(site)
    return app
