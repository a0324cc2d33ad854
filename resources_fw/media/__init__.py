"""Media handlers: how ``req.media`` is read and ``resp.media`` is written, by media type."""

from .base import BaseHandler as BaseHandler
from .handlers import Handlers as Handlers
from .json import JSONHandler as JSONHandler
from .multipart import BodyPart as BodyPart
from .multipart import MultipartForm as MultipartForm
from .multipart import MultipartFormHandler as MultipartFormHandler
from .multipart import MultipartParseOptions as MultipartParseOptions
from .urlencoded import URLEncodedFormHandler as URLEncodedFormHandler
