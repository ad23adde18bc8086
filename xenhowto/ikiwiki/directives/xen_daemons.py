"""[[!xen_daemons part=intro|advice|all toolstack=xm|xl]]: the rc.conf daemons
to enable for each toolstack (xm: xend, xenbackendd; xl: xencommons) for the Xen
packages in pkgsrc, with typed rc.conf examples ([[!file path=/etc/rc.conf]]).

Computed from data/ as of the build's as-of date.  ``part=intro`` gives only
the opening paragraph, ``part=advice`` only the per-toolstack advice;
``toolstack=`` limits the advice to one program (inside a [[!when]] region)."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    unknown = [k for k in d.keys() if k not in ("part", "toolstack")]
    if unknown:
        raise DirectiveError(f"xen_daemons takes part= and toolstack=, not {', '.join(unknown)}")
    part = d.get("part", "all")
    if part not in ("all", "intro", "advice"):
        raise DirectiveError(f"xen_daemons part={part!r} must be intro, advice or all")
    toolstack = d.get("toolstack")
    if toolstack not in (None, "xm", "xl"):
        raise DirectiveError(f"xen_daemons toolstack={toolstack!r} must be xm or xl")
    return prose.daemons(_facts.view(ctx), toolstack=toolstack, part=part, per_setup=ctx.target == GUIDE)
