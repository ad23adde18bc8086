"""[[!xen_packages]] or [[!xen_packages only="xenkernel45 xenkernel46"]]:
one paragraph per Xen package in pkgsrc at the as-of date (the Xen version,
its status upstream, security patches and backports, architecture limits and
whether to use it), oldest first.  ``only=`` limits the paragraphs to the
named packages (those not in pkgsrc at the as-of date are left out), so
hand-written text can go between them."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    unknown = [k for k in d.keys() if k != "only"]
    if unknown:
        raise DirectiveError(
            f'takes only only="xenkernelNN ..." ({unknown[0]!r} given); '
            'write [[!xen_packages]] or [[!xen_packages only="xenkernel45 xenkernel46"]]'
        )
    view = _facts.view(ctx)
    only = None
    if d.get("only") is not None:
        only = d.get("only").replace(",", " ").split()
        known = [p.name for p in view.facts.packages]
        bad = [n for n in only if n not in known]
        if not only or bad:
            raise DirectiveError(
                f"only= names {', '.join(bad) or 'no package'}; "
                f"data/pkgsrc_packages.yaml has {', '.join(known)}"
            )
    return prose.packages(view, only)
