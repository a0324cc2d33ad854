"""The comparison suite: the same apps in both styles, benchmarks against peers, the report.

``python -m compare`` is the project's main job; ``python -m compare.bench`` runs the
benchmark tables alone.
"""
