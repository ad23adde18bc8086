"""[[!xen_toolstacks]]: the xm/xl advice of the "Xen command program" section: which Xen versions have xm and xl, where xl works well and is preferred, and which one the packages' rc.d scripts use.

Computed from data/ as of the build's as-of date; takes no arguments."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.toolstacks(_facts.view(ctx))
