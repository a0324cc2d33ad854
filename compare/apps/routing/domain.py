"""The routing app's data, shared by both implementations: users, articles, export formats."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What an article slug looks like: lowercase words joined by single hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_PATTERN = SLUG.pattern

EXPORT_FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Article:
    """A published article, addressed by year and slug."""

    year: int
    slug: str
    title: str


USERS: dict[int, str] = {1: "ada", 2: "grace", 7: "linus"}

ARTICLES: dict[tuple[int, str], Article] = {
    (a.year, a.slug): a
    for a in (
        Article(2024, "hello-world", "Hello, world"),
        Article(2025, "routing-tables", "Routing tables"),
    )
}


def user_name(user_id: int) -> str | None:
    """The user's name, or ``None`` when there is no such user."""
    return USERS.get(user_id)


def find_article(year: int, slug: str) -> Article | None:
    """The article published in ``year`` under ``slug``, if any."""
    return ARTICLES.get((year, slug))


def is_slug(value: str) -> bool:
    """Whether ``value`` is a well-formed slug."""
    return SLUG.fullmatch(value) is not None
