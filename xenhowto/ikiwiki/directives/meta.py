"""[[!meta field="value"]]: page metadata (ikiwiki's meta plugin).  Only
``title`` affects the site; the other fields ikiwiki knows are accepted and kept."""
from __future__ import annotations

import re

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = True

# The fields IkiWiki/Plugin/meta.pm handles.
FIELDS = {
    "title", "description", "author", "authorurl", "date", "updated", "license",
    "copyright", "permalink", "guid", "redir", "link", "openid", "stylesheet",
    "robots", "name", "keywords", "enclosure", "sortas", "twitter:card",
}


def render(d: Directive, ctx: PageContext) -> str:
    if not d.params:
        raise DirectiveError('meta needs a field, e.g. [[!meta title="Xen HowTo"]]')
    for key, value in d.params:
        if key is None:
            raise DirectiveError(f'meta field "{value}" has no value; write {value}="..."')
        if key not in FIELDS:
            raise DirectiveError(
                f'meta has no field "{key}"; known fields: {", ".join(sorted(FIELDS))}'
            )
        if key == "title" and not value.strip():
            raise DirectiveError("meta title is empty")
        ctx.meta[key] = value
    return ""


def title_of(directives: list[Directive]) -> str | None:
    """The page title set by the first [[!meta title=...]], if any."""
    for d in directives:
        if d.name == "meta" and d.get("title"):
            return d.get("title")
    return None


def page_title(page: str) -> str:
    """ikiwiki's pagetitle() of a page's last path part: what the wiki shows
    as the title of a page without [[!meta title]] (``__47__`` is "/",
    ``_`` a space)."""
    base = page.rsplit("/", 1)[-1]
    return re.sub(r"__(\d+)__|_", lambda m: chr(int(m.group(1))) if m.group(1) else " ", base)


def shown_title(page: str, directives: list[Directive]) -> str:
    """The title the wiki shows in the page's header."""
    return title_of(directives) or page_title(page)
