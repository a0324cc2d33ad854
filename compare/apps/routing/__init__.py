"""Routing: converters, 404/405, URL building and trailing slashes, in both styles."""
