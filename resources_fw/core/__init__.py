"""The shared core: router, request/response, HTTP errors, body codecs, the WSGI kernel.

Both front-ends (:mod:`resources_fw`, :mod:`globals_fw`) stand on this package; it imports
neither of them.
"""

from .errors import BadRequest as BadRequest
from .errors import ContentTooLarge as ContentTooLarge
from .errors import HTTPError as HTTPError
from .errors import HTTPException as HTTPException
from .errors import HTTPRedirect as HTTPRedirect
from .errors import InternalServerError as InternalServerError
from .errors import LengthRequired as LengthRequired
from .errors import MethodNotAllowed as MethodNotAllowed
from .errors import NotFound as NotFound
from .errors import UnprocessableContent as UnprocessableContent
from .errors import UnsupportedMediaType as UnsupportedMediaType
from .errors import from_werkzeug as from_werkzeug
from .kernel import Guard as Guard
from .kernel import Kernel as Kernel
from .limits import DEFAULT_LIMITS as DEFAULT_LIMITS
from .limits import Limits as Limits
from .media import JSONCodec as JSONCodec
from .media import MediaDecoders as MediaDecoders
from .rendering import render_exception as render_exception
from .rendering import wants_html as wants_html
from .request import Request as Request
from .response import Response as Response
from .routing import BaseConverter as BaseConverter
from .routing import BuildError as BuildError
from .routing import Match as Match
from .routing import Route as Route
from .routing import RouteConflictError as RouteConflictError
from .routing import Router as Router
from .routing import TemplateError as TemplateError
from .routing import ValidationError as ValidationError
from .security import Forbidden as Forbidden
from .security import check_cross_site as check_cross_site
from .security import check_host as check_host
from .security import safe_redirect_target as safe_redirect_target
from .wsgi import serve as serve
