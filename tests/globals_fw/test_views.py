"""Class-based views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from globals_fw import App, request
from globals_fw.views import MethodView, View


def test_view_with_args_methods_and_decorators(app: App, client: Any) -> None:
    def tag(f: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(**kwargs: Any) -> Any:
            return f"[{f(**kwargs)}]"

        return wrapper

    class Greeting(View):
        methods = ["GET", "POST"]
        decorators = [tag]

        def __init__(self, greeting: str) -> None:
            self.greeting = greeting

        def dispatch_request(self, name: str) -> str:
            return f"{self.greeting} {name} {request.method}"

    view = Greeting.as_view("greet", "hello")
    app.add_url_rule("/hi/<name>", view_func=view)
    c = client(app)
    assert c.get("/hi/ann").text == "[hello ann GET]"
    assert c.post("/hi/ann").text == "[hello ann POST]"
    assert view.view_class is Greeting  # type: ignore[attr-defined]
    assert view.__name__ == "greet"


def test_view_instance_reuse(app: App, client: Any) -> None:
    class Counter(View):
        init_every_request = False

        def __init__(self) -> None:
            self.n = 0

        def dispatch_request(self) -> str:
            self.n += 1
            return str(self.n)

    app.add_url_rule("/", view_func=Counter.as_view("count"))
    c = client(app)
    c.get("/")
    assert c.get("/").text == "2"


def test_method_view(app: App, client: Any) -> None:
    class Items(MethodView):
        def get(self, item_id: int | None = None) -> Any:
            return {"id": item_id}

        def post(self) -> Any:
            return {"made": request.get_json()}, 201

        def delete(self, item_id: int) -> Any:
            return "", 204

    class MoreItems(Items):
        def put(self, item_id: int) -> str:
            return "put"

    assert Items.methods == {"GET", "POST", "DELETE"}
    assert MoreItems.methods == {"GET", "POST", "DELETE", "PUT"}
    view = Items.as_view("items")
    app.add_url_rule("/items", view_func=view, methods=["GET", "POST"])
    app.add_url_rule("/items/<int:item_id>", view_func=view, methods=["GET", "DELETE"])
    c = client(app)
    assert c.get("/items").json == {"id": None}
    assert c.get("/items/2").json == {"id": 2}
    assert c.head("/items/2").body == b""
    assert c.post_json("/items", {"a": 1}, status=201).json == {"made": {"a": 1}}
    c.delete("/items/2", status=204)
    c.put("/items/2", status=405)
