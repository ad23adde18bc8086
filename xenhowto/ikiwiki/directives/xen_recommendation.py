"""[[!xen_recommendation]]: the whole text of the Recommendation section (Xen packages, toolstack, NetBSD branch, dom0 and domU architectures), computed by the rule in xenhowto/facts/recommend.py.

Computed from data/ as of the build's as-of date; takes no arguments."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.recommendation(_facts.view(ctx))
