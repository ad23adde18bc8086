"""[[!netbsd_branches]]: the NetBSD branch advice: which netbsd-N branches are reasonable choices, which is recommended for production and which for learning Xen.

Computed from data/ as of the build's as-of date; takes no arguments."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.netbsd(_facts.view(ctx))
