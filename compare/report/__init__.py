"""The comparison report: ``python -m compare`` measures, renders HTML/Markdown/JSON, and
(with ``--write-docs``) regenerates ``docs/design-trade-offs.md``. See ``docs/compare.md``.

Deliberately imports nothing: ``python -m compare.report.memory`` measures a framework's
import cost in a fresh process, which must not have loaded werkzeug or a framework already.
"""
