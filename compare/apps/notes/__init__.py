"""Notes: a REST API on sqlite, written in both styles."""
