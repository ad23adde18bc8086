"""[[!xen_not_in_pkgsrc]]: the sentence naming the upstream Xen releases newer than every Xen package in pkgsrc, e.g. "Xen 4.7 (released 2016-06) and 4.8 (released 2016-12) are not yet in pkgsrc."

Computed from data/ as of the build's as-of date; takes no arguments."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.not_in_pkgsrc(_facts.view(ctx))
