"""[[!xen_builds]]: Build problems: build reports, platforms and binary packages of the Xen packages in pkgsrc.
Computed from data/ as of the build's as-of date (xenhowto.facts.prose_builds)."""
from __future__ import annotations

from xenhowto.facts import prose_builds
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose_builds.builds(_facts.view(ctx))
