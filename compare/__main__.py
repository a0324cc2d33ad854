"""``python -m compare``: the comparison report (see ``docs/compare.md``)."""

import sys

from compare.report.cli import main

sys.exit(main())
