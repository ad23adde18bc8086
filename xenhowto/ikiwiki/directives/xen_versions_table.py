"""[[!xen_versions_table]]: a table of the Xen packages in pkgsrc at the
as-of date: package, Xen version, upstream release date, upstream status,
end of security support, dom0 architectures, toolstacks; the recommended
packages in bold.  On the site the status is a coloured badge; the wiki export
gets a plain [[!table]] with the same words."""
from __future__ import annotations

from xenhowto.facts import prose
from xenhowto.ikiwiki.context import SITE, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose.versions_table(_facts.view(ctx), html_badges=ctx.target == SITE)
