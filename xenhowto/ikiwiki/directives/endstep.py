"""[[!endstep]]: ends the current guide step; what follows is reference text."""
from __future__ import annotations

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    if d.params:
        raise DirectiveError("endstep takes no arguments")
    return ""
