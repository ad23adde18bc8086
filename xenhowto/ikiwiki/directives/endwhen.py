"""[[!endwhen]]: ends the innermost [[!when]] region."""
from __future__ import annotations

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.directives.when import STACK
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    if d.params:
        raise DirectiveError("endwhen takes no arguments")
    if not ctx.state.get(STACK):
        raise DirectiveError("[[!endwhen]] without a [[!when]] before it")
    ctx.state[STACK].pop()
    return "\n\n"
