"""Testing helpers: simulate requests (under ``wsgiref.validate``) and inspect results."""

from .client import Cookie as Cookie
from .client import Result as Result
from .client import TestClient as TestClient
from .client import simulate_delete as simulate_delete
from .client import simulate_get as simulate_get
from .client import simulate_head as simulate_head
from .client import simulate_options as simulate_options
from .client import simulate_patch as simulate_patch
from .client import simulate_post as simulate_post
from .client import simulate_put as simulate_put
from .client import simulate_request as simulate_request
from .helpers import DEFAULT_HOST as DEFAULT_HOST
from .helpers import StartResponseMock as StartResponseMock
from .helpers import closed_wsgi_iterable as closed_wsgi_iterable
from .helpers import create_environ as create_environ
from .helpers import create_req as create_req
from .helpers import create_resp as create_resp
from .helpers import get_encoding_from_headers as get_encoding_from_headers
from .helpers import get_unused_port as get_unused_port
from .helpers import rand_string as rand_string
from .helpers import redirected as redirected
from .resource import SimpleTestResource as SimpleTestResource
from .resource import capture_responder_args as capture_responder_args
from .resource import set_resp_defaults as set_resp_defaults
from .test_case import TestCase as TestCase
