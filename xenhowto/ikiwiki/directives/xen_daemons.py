"""[[!xen_daemons]]: the rc.conf daemons to enable for each toolstack (xm: xend, xenbackendd; xl: xencommons) for the Xen packages in pkgsrc, with the code blocks of the "Configuring Xen" section.

Computed from data/ as of the build's as-of date; takes no arguments."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.daemons(_facts.view(ctx))
