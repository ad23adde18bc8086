"""[[!output ...]]: a typed example block (see xenhowto.examples).  On the site a
captioned code block; in the export the plain indented block the wiki has."""
from __future__ import annotations

from xenhowto import examples
from xenhowto.ikiwiki.context import SITE, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    ex = examples.from_directive("output", d, defaults=examples.page_defaults(ctx.as_of))
    examples.note_sources(ex, ctx)
    return examples.render_markdown(ex, for_site=ctx.target == SITE)


hand_written = examples.hand_written  # content= lines are the page's own text (source map)
