"""A small notes site on globals_fw, in the Flask style.

    /                     the notes, newest first; a form to add one when logged in
    /auth/register        create an account          (GET form, POST)
    /auth/login           log in (the user id goes in the signed session cookie)
    /auth/logout          log out
    /notes/add            POST a note (login required), then redirect with a flash message
    /api/notes            the notes as JSON
    /api/notes/<id>       one note as JSON (404 as JSON when missing)

It shows blueprints, a login kept in ``session`` and loaded into ``g.user`` before each
request, a sqlite connection kept in ``g`` and closed on teardown, ``flash``, Jinja templates
(autoescaped), and a CLI command. Run it with::

    python -m globals_fw --app docs/examples/globals_notes.py init-db   # or:
    python docs/examples/globals_notes.py                               # inits and serves
"""

from __future__ import annotations

import functools
import os
import sqlite3
import tempfile
from collections.abc import Callable
from typing import Any

import click
from jinja2 import DictLoader
from werkzeug.security import check_password_hash, generate_password_hash

from globals_fw import (
    App,
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

SCHEMA = """
DROP TABLE IF EXISTS user;
DROP TABLE IF EXISTS note;
CREATE TABLE user (id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL);
CREATE TABLE note (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES user (id),
                   body TEXT NOT NULL);
"""

TEMPLATES = {
    "base.html": """<!doctype html>
<title>{% block title %}{% endblock %} - Notes</title>
<nav>{% if g.user %}{{ g.user['username'] }} <a href="{{ url_for('auth.logout') }}">Log out</a>
{% else %}<a href="{{ url_for('auth.login') }}">Log in</a>
<a href="{{ url_for('auth.register') }}">Register</a>{% endif %}</nav>
{% for category, message in get_flashed_messages(with_categories=true) %}
<p class="{{ category }}">{{ message }}</p>{% endfor %}
{% block content %}{% endblock %}
""",
    "auth.html": """{% extends "base.html" %}{% block title %}{{ action }}{% endblock %}
{% block content %}<form method="post"><input name="username"> <input name="password"
type="password"> <button>{{ action }}</button></form>{% endblock %}
""",
    "index.html": """{% extends "base.html" %}{% block title %}Notes{% endblock %}
{% block content %}{% if g.user %}<form method="post" action="{{ url_for('notes.add') }}">
<input name="body"> <button>Add</button></form>{% endif %}
{% for note in notes %}<article><p>{{ note['body'] }}</p>
<small>by {{ note['username'] }}</small></article>{% endfor %}{% endblock %}
""",
}


# -- the database, one connection per application context --------------------------------


def get_db() -> sqlite3.Connection:
    """The request's connection, opened on first use and kept in ``g``."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    db: sqlite3.Connection = g.db
    return db


def close_db(error: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    get_db().executescript(SCHEMA)


@click.command("init-db")
def init_db_command() -> None:
    """Create the tables (dropping any data)."""
    init_db()
    click.echo("Initialized the database.")


# -- authentication ----------------------------------------------------------------------

auth = Blueprint("auth", __name__, url_prefix="/auth")


@auth.before_app_request
def load_logged_in_user() -> None:
    user_id = session.get("user_id")
    g.user = (
        None
        if user_id is None
        else get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()
    )


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            flash("Log in first.", "error")
            return redirect(url_for("auth.login"))
        return view(**kwargs)

    return wrapped


@auth.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username or not password:
            flash("Username and password are required.", "error")
        else:
            db = get_db()
            try:
                db.execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except sqlite3.IntegrityError:
                flash(f"User {username} is already registered.", "error")
            else:
                flash("Registered: you can log in now.")
                return redirect(url_for(".login"))
    return render_template("auth.html", action="Register")


@auth.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "POST":
        user = (
            get_db()
            .execute("SELECT * FROM user WHERE username = ?", (request.form.get("username"),))
            .fetchone()
        )
        if user is None or not check_password_hash(
            user["password"], request.form.get("password", "")
        ):
            flash("Incorrect username or password.", "error")
        else:
            session.clear()
            session["user_id"] = user["id"]
            return redirect(url_for("notes.index"))
    return render_template("auth.html", action="Log in")


@auth.route("/logout")
def logout() -> Any:
    session.clear()
    return redirect(url_for("notes.index"))


# -- notes -------------------------------------------------------------------------------

notes = Blueprint("notes", __name__)


def _all_notes() -> list[sqlite3.Row]:
    return (
        get_db()
        .execute(
            "SELECT note.id, body, username FROM note JOIN user ON user.id = note.author_id"
            " ORDER BY note.id DESC"
        )
        .fetchall()
    )


@notes.route("/")
def index() -> str:
    return render_template("index.html", notes=_all_notes())


@notes.post("/notes/add")
@login_required
def add() -> Any:
    body = request.form.get("body", "").strip()
    if not body:
        flash("A note needs some text.", "error")
    else:
        db = get_db()
        db.execute("INSERT INTO note (author_id, body) VALUES (?, ?)", (g.user["id"], body))
        db.commit()
        flash("Note added.")
    return redirect(url_for(".index"))


@notes.get("/api/notes")
def api_notes() -> Any:
    return [dict(row) for row in _all_notes()]


@notes.get("/api/notes/<int:note_id>")
def api_note(note_id: int) -> Any:
    row = get_db().execute("SELECT id, body FROM note WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        abort(404, description=f"There is no note {note_id}.")
    return dict(row)


# -- the application factory -------------------------------------------------------------


def create_app(config: dict[str, Any] | None = None) -> App:
    app = App(__name__, static_folder=None, template_folder=None)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("NOTES_SECRET_KEY", "dev only: set NOTES_SECRET_KEY"),
        DATABASE=os.path.join(tempfile.gettempdir(), "globals_notes.sqlite"),
    )
    if config:
        app.config.from_mapping(config)
    app.jinja_env.loader = DictLoader(TEMPLATES)
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.register_blueprint(auth)
    app.register_blueprint(notes)
    return app


if __name__ == "__main__":
    application = create_app()
    with application.app_context():
        init_db()
    application.run(debug=False)
