"""The smallest application on the core alone: a router, two routes, a kernel.

Run it with ``python docs/examples/core_hello.py`` and open http://127.0.0.1:8000/.
"""

from __future__ import annotations

from resources_fw.core import Kernel, Request, Response, Router


def hello(request: Request, name: str = "world") -> Response:
    """Greet ``name`` (from the path), or the world."""
    return Response(f"Hello, {name}!\n")


router = Router()
router.add("/", hello, name="index")
router.add("/hello/<name>", hello, name="hello")
app = Kernel(router)


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8000, app) as server:
        print("Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)")
        server.serve_forever()
