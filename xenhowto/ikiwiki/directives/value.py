"""[[!value name]]: a value of the reader's setup in the prose (the domU's
name, the dom0's interface, ...).  The full page shows the value of the
recommended setup at its as-of date, as its examples do; a guide shows the
reader's own: the guide's prose holds a slot (guide.matrix.marker) that the
guide and the builder fill with the setup's value."""
from __future__ import annotations

from xenhowto import examples
from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False
INLINE = True  # a word in its sentence


def render(d: Directive, ctx: PageContext) -> str:
    from xenhowto.guide.matrix import marker
    from xenhowto.snippets.variables import SLOTS

    names = d.bare()
    if len(names) != 1 or d.keys() != names or names[0] not in SLOTS:
        raise DirectiveError(f"value takes one of the values a reader types: {', '.join(SLOTS)} "
                             "(e.g. [[!value name]])")
    name = names[0]
    if ctx.target == GUIDE:
        return marker(name)
    value = examples.page_defaults(ctx.as_of).get(name)
    if value is None:
        raise DirectiveError(f"no default {name} at {ctx.as_of}")
    return str(value)
