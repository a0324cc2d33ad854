"""The benchmark harness: the same small apps served in-process by each framework.

``python -m compare.bench --help`` for the command; ``docs/benchmarks.md`` for what each
scenario measures and how to read the ratios.
"""

from .results import Result as Result
from .results import Run as Run
from .results import State as State
from .results import Timing as Timing
from .runner import Settings as Settings
from .scenarios import SCENARIOS as SCENARIOS
from .scenarios import Scenario as Scenario
