"""``python -m compare.load``: the reference apps of both front-ends on real servers
(gunicorn, waitress) under a bounded mixed load with hostile requests, and the bars they must
meet (see ``docs/deployment.md``)."""
