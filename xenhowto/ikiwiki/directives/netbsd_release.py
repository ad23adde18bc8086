"""[[!netbsd_release]]: which NetBSD release to install and where it is on
NetBSD's mirrors (on the page, the newest release of each branch offered; in
a guide, its own).  Computed from data/ as of the build's as-of date
(xenhowto.facts.prose_dom0)."""
from __future__ import annotations

from xenhowto.facts import prose_dom0
from xenhowto.ikiwiki.context import GUIDE, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose_dom0.netbsd_release(_facts.view(ctx), per_setup=ctx.target == GUIDE)
