# A typical Falcon 4 application and its tests, written for Falcon. The port test runs this
# file on resources_fw after rewriting only the two import lines below.
import uuid

import falcon
from falcon import testing

STORE: dict[str, dict] = {}


class RequireJSON:
    def process_request(self, req, resp):
        if req.method in ("POST", "PUT") and not req.content_type:
            raise falcon.HTTPUnsupportedMediaType(description="Send JSON.")


class ResponseLogger:
    def __init__(self):
        self.lines = []

    def process_response(self, req, resp, resource, req_succeeded):
        self.lines.append(f"{req.method} {req.relative_uri} {resp.status[:3]} {req_succeeded}")


def check_token(req, resp, resource, params):
    if req.get_header("Authorization") != "Token s3cret":
        raise falcon.HTTPUnauthorized(
            title="Auth required", description="Send a token.", challenges=["Token"]
        )


class StorageError(Exception):
    @staticmethod
    def handle(req, resp, ex, params):
        raise falcon.HTTPServiceUnavailable(description="Storage is down.", retry_after=30)


class ThingsResource:
    def on_get(self, req, resp):
        limit = req.get_param_as_int("limit", min_value=1, max_value=50, default=10)
        tags = req.get_param_as_list("tag") or []
        things = [t for t in STORE.values() if not tags or t["tag"] in tags]
        resp.media = {"things": things[:limit]}

    @falcon.before(check_token)
    def on_post(self, req, resp):
        data = req.get_media()
        if "name" not in data:
            raise falcon.HTTPBadRequest(title="Missing name", description="A thing needs a name.")
        thing_id = str(uuid.uuid4())
        STORE[thing_id] = {"id": thing_id, "name": data["name"], "tag": data.get("tag", "misc")}
        resp.status = falcon.HTTP_201
        resp.location = f"/things/{thing_id}"
        resp.media = STORE[thing_id]


class ThingResource:
    def on_get(self, req, resp, thing_id):
        if str(thing_id) == "00000000-0000-0000-0000-000000000000":
            raise StorageError()
        try:
            resp.media = STORE[str(thing_id)]
        except KeyError:
            raise falcon.HTTPNotFound() from None
        resp.set_header("X-Thing", "yes")

    def on_delete(self, req, resp, thing_id):
        STORE.pop(str(thing_id), None)
        resp.status = falcon.HTTP_NO_CONTENT


def create_app(logger):
    app = falcon.App(middleware=[RequireJSON(), logger])
    app.add_route("/things", ThingsResource())
    app.add_route("/things/{thing_id:uuid}", ThingResource())
    app.add_error_handler(StorageError)
    return app


# -- tests, Falcon style ------------------------------------------------------------------


def make_client():
    STORE.clear()
    logger = ResponseLogger()
    return testing.TestClient(create_app(logger)), logger


def test_list_empty():
    client, _ = make_client()
    result = client.simulate_get("/things")
    assert result.status == falcon.HTTP_OK
    assert result.json == {"things": []}


def test_create_needs_token():
    client, _ = make_client()
    result = client.simulate_post("/things", json={"name": "x"})
    assert result.status_code == 401
    assert result.headers["WWW-Authenticate"] == "Token"
    assert result.json["title"] == "Auth required"


def test_create_and_fetch():
    client, logger = make_client()
    result = client.simulate_post(
        "/things", json={"name": "lamp", "tag": "home"}, headers={"Authorization": "Token s3cret"}
    )
    assert result.status == falcon.HTTP_201
    location = result.headers["Location"]
    fetched = client.simulate_get(location)
    assert fetched.json["name"] == "lamp"
    assert fetched.headers["X-Thing"] == "yes"
    listed = client.simulate_get("/things", params={"tag": "home", "limit": 5})
    assert [t["name"] for t in listed.json["things"]] == ["lamp"]
    assert client.simulate_delete(location).status_code == 204
    assert client.simulate_get(location).status_code == 404
    assert logger.lines[0] == "POST /things 201 True"
    assert logger.lines[-1].endswith("404 False")


def test_bad_input_is_4xx():
    client, _ = make_client()
    assert client.simulate_get("/things", params={"limit": 0}).status_code == 400
    assert client.simulate_get("/things", params={"limit": "x"}).status_code == 400
    assert client.simulate_get("/things/not-a-uuid").status_code == 404
    assert client.simulate_put("/things", json={}).status_code == 405
    assert client.simulate_put("/things").status_code == 415
    auth = {"Authorization": "Token s3cret"}
    assert (
        client.simulate_post(
            "/things", body="{", headers=auth, content_type="application/json"
        ).status_code
        == 400
    )
    assert client.simulate_post("/things", body="x", headers=auth).status_code == 415
    missing = client.simulate_post("/things", json={"tag": "x"}, headers=auth)
    assert missing.status_code == 400
    assert missing.json["title"] == "Missing name"


def test_custom_error_handler():
    client, _ = make_client()
    result = client.simulate_get("/things/00000000-0000-0000-0000-000000000000")
    assert result.status_code == 503
    assert result.headers["Retry-After"] == "30"
