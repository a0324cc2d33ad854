"""A small, typical Flask application, written for Flask.

tests/globals_fw/test_port.py runs it, with notes_app_tests.py, on Flask and on globals_fw;
for globals_fw only the import lines change.
"""

import functools
import os
import sqlite3

import click
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash, generate_password_hash

SCHEMA = """
DROP TABLE IF EXISTS user;
DROP TABLE IF EXISTS note;
CREATE TABLE user (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT UNIQUE NOT NULL,
                   password TEXT NOT NULL);
CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER NOT NULL,
                   body TEXT NOT NULL);
"""

PAGE = """<!doctype html><title>{{ title }} - Notes</title>
{% if g.user %}<span>{{ g.user['username'] }}</span>
<a href="{{ url_for('auth.logout') }}">Log Out</a>{% else %}
<a href="{{ url_for('auth.login') }}">Log In</a>{% endif %}
{% for message in get_flashed_messages() %}<div class="flash">{{ message }}</div>{% endfor %}
{% for note in notes %}<p>{{ note['body'] }}</p>{% endfor %}
"""


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db():
    get_db().executescript(SCHEMA)


@click.command("init-db")
def init_db_command():
    """Clear the existing data and create new tables."""
    init_db()
    click.echo("Initialized the database.")


auth = Blueprint("auth", __name__, url_prefix="/auth")


@auth.before_app_request
def load_logged_in_user():
    user_id = session.get("user_id")
    if user_id is None:
        g.user = None
    else:
        g.user = get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()


def login_required(view):
    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login"))
        return view(**kwargs)

    return wrapped_view


@auth.route("/register", methods=("GET", "POST"))
def register():
    if request.method == "POST":
        username = request.form["username"]
        password = request.form["password"]
        error = None
        if not username:
            error = "Username is required."
        elif not password:
            error = "Password is required."
        if error is None:
            try:
                db = get_db()
                db.execute(
                    "INSERT INTO user (username, password) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except db.IntegrityError:
                error = f"User {username} is already registered."
            else:
                return redirect(url_for("auth.login"))
        flash(error)
    return render_template_string(PAGE, title="Register")


@auth.route("/login", methods=("GET", "POST"))
def login():
    if request.method == "POST":
        username = request.form["username"]
        password = request.form["password"]
        user = get_db().execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
        if user is None or not check_password_hash(user["password"], password):
            flash("Incorrect username or password.")
        else:
            session.clear()
            session["user_id"] = user["id"]
            return redirect(url_for("notes.index"))
    return render_template_string(PAGE, title="Log In")


@auth.route("/logout")
def logout():
    session.clear()
    return redirect(url_for("notes.index"))


notes = Blueprint("notes", __name__)


@notes.route("/")
def index():
    rows = get_db().execute("SELECT * FROM note ORDER BY id").fetchall()
    return render_template_string(PAGE, title="Notes", notes=rows)


@notes.route("/create", methods=("GET", "POST"))
@login_required
def create():
    if request.method == "POST":
        db = get_db()
        db.execute(
            "INSERT INTO note (author_id, body) VALUES (?, ?)", (g.user["id"], request.form["body"])
        )
        db.commit()
        flash("Note saved.")
        return redirect(url_for(".index"))
    return render_template_string(PAGE, title="New note")


@notes.get("/api/notes")
def api_list():
    rows = get_db().execute("SELECT id, body FROM note ORDER BY id").fetchall()
    return jsonify([dict(row) for row in rows])


@notes.get("/api/notes/<int:note_id>")
def api_get(note_id):
    row = get_db().execute("SELECT id, body FROM note WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        abort(404, description=f"Note {note_id} doesn't exist.")
    return dict(row)


@notes.post("/api/notes")
@login_required
def api_create():
    data = request.get_json()
    if not data or not data.get("body"):
        return {"error": "body is required"}, 400
    db = get_db()
    cur = db.execute(
        "INSERT INTO note (author_id, body) VALUES (?, ?)", (g.user["id"], data["body"])
    )
    db.commit()
    return (
        {"id": cur.lastrowid, "body": data["body"]},
        201,
        {"Location": f"/api/notes/{cur.lastrowid}"},
    )


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY="dev", DATABASE=os.path.join(app.instance_path, "notes.sqlite")
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.register_blueprint(auth)
    app.register_blueprint(notes)

    @app.errorhandler(404)
    def not_found(e):
        if request.path.startswith("/api/"):
            return jsonify(error=e.description), 404
        return "<h1>Nothing here</h1>", 404

    @app.route("/hello")
    def hello():
        return "Hello, World!"

    return app
