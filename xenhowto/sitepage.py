"""What the site adds around a wiki page, outside the wiki's own text: the
title heading the wiki shows in its page header, and site-only notes placed
right under it.  Everything here carries class "site-only" or is the title,
which the parity outline reads apart from the page's blocks."""
from __future__ import annotations

import html

TITLE_CLASS = "wiki-title"


def title_heading(title: str) -> str:
    """The page's visible title, as ikiwiki's page header shows it."""
    return f'<h1 class="{TITLE_CLASS}">{html.escape(title)}</h1>\n'


def with_title(content: str, title: str, under_title: str = "") -> str:
    """The page's HTML with its title heading first and ``under_title``
    (site-only notes) right after it."""
    return title_heading(title) + under_title + content


def split_title(content: str) -> tuple[str, str]:
    """(the title heading, the rest) of a page made by ``with_title``."""
    head = f'<h1 class="{TITLE_CLASS}">'
    if not content.startswith(head):
        return "", content
    end = content.index("</h1>\n") + len("</h1>\n")
    return content[:end], content[end:]
