"""[[!xen_guest_types]]: which NetBSD releases run as PV, PVH and HVM domUs, the kernel each boots, and xl's type= key.
Computed from data/ as of the build's as-of date (xenhowto.facts.prose_guests)."""
from __future__ import annotations

from xenhowto.facts import prose_guests
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose_guests.guest_types_summary(_facts.view(ctx))
