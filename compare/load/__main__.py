"""``python -m compare.load``: see ``compare.load.cli``."""

import sys

from compare.load.cli import main

sys.exit(main())
