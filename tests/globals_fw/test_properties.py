"""Property tests: open-ended inputs never break the app."""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import create_environ, run_wsgi_app

from globals_fw import App, request, session
from globals_fw.sessions import TaggedJSONSerializer

_leaves = st.none() | st.booleans() | st.integers() | st.text() | st.binary(max_size=20)
_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_values)
def test_session_serializer_round_trips(value: Any) -> None:
    s = TaggedJSONSerializer()
    assert s.loads(s.dumps(value)) == value


def _app() -> App:
    app = App("prop", root_path="/nonexistent", static_folder=None)
    app.secret_key = "k"

    @app.route("/s")
    def read_session() -> Any:
        return {"keys": sorted(session.keys())}

    @app.route("/items/<int:item_id>/<path:rest>")
    def item(item_id: int, rest: str) -> Any:
        return {"id": item_id, "rest": rest, "q": request.args.to_dict()}

    return app


_APP = _app()
_cookie_text = st.text(alphabet=string.ascii_letters + string.digits + ".-_=", max_size=80)


@settings(max_examples=60)
@given(_cookie_text)
def test_any_session_cookie_reads_as_a_session_never_an_error(cookie: str) -> None:
    client = _APP.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/s")
    assert response.status_code == 200
    assert response.get_json() == {"keys": []}


@settings(max_examples=80)
@given(st.text(max_size=40), st.text(max_size=20))
def test_any_path_and_query_get_a_clean_answer(path: str, query: str) -> None:
    environ = create_environ(query_string={"q": query})
    # PEP 3333: the path arrives as UTF-8 bytes decoded as latin-1.
    environ["PATH_INFO"] = "/" + path.encode("utf-8", "surrogatepass").decode("latin-1")
    app_iter, status, _headers = run_wsgi_app(_APP, environ, buffered=True)
    code = int(status.split()[0])
    assert code in (200, 308, 404)
    if code == 404:
        assert json.loads(b"".join(app_iter))["title"] == "404 Not Found"
