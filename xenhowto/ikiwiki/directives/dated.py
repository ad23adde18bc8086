"""[[!dated 2016-12 text='''...''']] (or text with triple double quotes): a
hand-written claim with the date it was last known true.

Built as of a date within the staleness window after that date (the window of
``xenhowto.facts.staleness``), the page says the claim as written; later it
says "As of 2016-12, it does not currently work ...", so no reader takes an
old observation for a current one (and ``howto check`` lists it to be
re-verified); before that date the claim was not made and is left out."""
from __future__ import annotations

from xenhowto.facts import staleness
from xenhowto.facts.dates import parse
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False
INLINE = True  # a sentence in its paragraph, not a block


def parse_args(d: Directive) -> tuple:
    bare = d.bare()
    unknown = [k for k in d.keys() if k not in ("text",) and k not in bare]
    if len(bare) != 1 or unknown or not d.get("text"):
        raise DirectiveError('dated takes a date and text, e.g. [[!dated 2016-12 text="""..."""]]')
    try:
        when = parse(bare[0])
    except ValueError as e:
        raise DirectiveError(str(e)) from None
    return when, d.get("text").strip()


def render(d: Directive, ctx: PageContext) -> str:
    when, text = parse_args(d)
    return staleness.dated(ctx.as_of, when, text)
