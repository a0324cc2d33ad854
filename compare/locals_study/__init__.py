"""Context-local strategies for "the current request", studied side by side.

Re-implements the thread-ident-keyed ``Local``/``LocalStack`` of older werkzeug/Flask for
comparison only (the framework uses ``contextvars``), then checks isolation across threads,
asyncio tasks and greenlets, and times a proxied attribute access. ``python -m compare`` runs
it as part of the report.
"""

from .access import VARIANTS as VARIANTS
from .access import AccessCost as AccessCost
from .access import measure_access as measure_access
from .isolation import Check as Check
from .isolation import Outcome as Outcome
from .isolation import run_isolation as run_isolation
from .strategies import ContextVarStrategy as ContextVarStrategy
from .strategies import GlobalsFwStrategy as GlobalsFwStrategy
from .strategies import IdentLocal as IdentLocal
from .strategies import IdentLocalStack as IdentLocalStack
from .strategies import IdentStackStrategy as IdentStackStrategy
from .strategies import Strategy as Strategy
from .strategies import ThreadLocalStrategy as ThreadLocalStrategy
from .study import globals_fw_design as globals_fw_design
from .study import run_study as run_study
