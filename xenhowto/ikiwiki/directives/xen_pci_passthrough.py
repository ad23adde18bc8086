"""[[!xen_pci_passthrough]]: which Xen package runs PCI passthrough with a NetBSD dom0.
Computed from data/ as of the build's as-of date (xenhowto.facts.prose_dom0)."""
from __future__ import annotations

from xenhowto.facts import prose_dom0
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose_dom0.pci_passthrough(_facts.view(ctx))
