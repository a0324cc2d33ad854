"""Routing: templates in Falcon's or werkzeug's syntax, converters, the router."""

from .converters import (
    DEFAULT_CONVERTERS as DEFAULT_CONVERTERS,
)
from .converters import (
    BaseConverter as BaseConverter,
)
from .converters import (
    DateTimeConverter as DateTimeConverter,
)
from .converters import (
    IntConverter as IntConverter,
)
from .converters import (
    RegexConverter as RegexConverter,
)
from .converters import (
    ValidationError as ValidationError,
)
from .route import BuildError as BuildError
from .route import Match as Match
from .route import Route as Route
from .router import RouteConflictError as RouteConflictError
from .router import Router as Router
from .template import Field as Field
from .template import Template as Template
from .template import TemplateError as TemplateError
from .template import parse_template as parse_template
