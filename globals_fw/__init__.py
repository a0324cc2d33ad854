"""globals_fw: a Flask-style front-end (decorators, context-local globals) on the shared core."""
