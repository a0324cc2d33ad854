"""HTML: Jinja templates, a form, a signed-cookie login, flash messages and CSRF tokens."""
