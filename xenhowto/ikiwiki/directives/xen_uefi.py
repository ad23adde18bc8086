"""[[!xen_uefi]]: UEFI firmware for HVM domUs (sysutils/ovmf), once pkgsrc documents it.
Computed from data/ as of the build's as-of date (xenhowto.facts.prose_guests)."""
from __future__ import annotations

from xenhowto.facts import prose_guests
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False


def render(d: Directive, ctx: PageContext) -> str:
    _facts.no_arguments(d)
    return prose_guests.uefi(_facts.view(ctx))
