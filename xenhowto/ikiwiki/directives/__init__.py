"""One module per directive, as ikiwiki has one plugin per directive.

A directive module provides ``render(directive, ctx) -> str`` returning the text
that replaces the directive before markdown runs (markdown or raw HTML, as an
ikiwiki plugin's preprocess hook does), and ``WIKI_NATIVE``: True when the
NetBSD wiki has the directive itself, so ``howto export`` keeps it verbatim;
False when the project implements it, so the export expands it.

A handler reports bad input by raising ``DirectiveError``; the engine turns it
into a ``file:line`` finding.
"""
from __future__ import annotations

from types import ModuleType

from xenhowto.ikiwiki.context import DirectiveError  # noqa: F401  (re-exported)

from . import dated, endstep, endwhen, file, meta, netbsd_xen_kernels, output, shell, step, table, template, toc, value, when
from . import (  # dated facts (xenhowto.facts)
    netbsd_branches,
    netbsd_multiprocessor,
    netbsd_release,
    xen_boot_options,
    xen_builds,
    xen_guest_styles,
    xen_guest_types,
    xen_kernfs,
    xen_pci_passthrough,
    xen_uefi,
    xen_upgrade_example,
    xen_daemons,
    xen_not_in_pkgsrc,
    xen_packages,
    xen_recommendation,
    xen_toolstacks,
    xen_versions_table,
)

REGISTRY: dict[str, ModuleType] = {
    # the NetBSD wiki's own (exported verbatim)
    "meta": meta,
    "table": table,
    "template": template,
    "toc": toc,
    # typed examples (xenhowto.examples)
    "file": file,
    "output": output,
    "shell": shell,
    "netbsd_xen_kernels": netbsd_xen_kernels,
    # a hand-written claim with its date; a value of the reader's setup
    "dated": dated,
    "value": value,
    # guide structure (xenhowto.guide)
    "step": step,
    "endstep": endstep,
    "when": when,
    "endwhen": endwhen,
    # dated facts (xenhowto.facts, data/*.yaml)
    "netbsd_branches": netbsd_branches,
    "netbsd_multiprocessor": netbsd_multiprocessor,
    "netbsd_release": netbsd_release,
    "xen_boot_options": xen_boot_options,
    "xen_builds": xen_builds,
    "xen_guest_styles": xen_guest_styles,
    "xen_guest_types": xen_guest_types,
    "xen_kernfs": xen_kernfs,
    "xen_pci_passthrough": xen_pci_passthrough,
    "xen_uefi": xen_uefi,
    "xen_upgrade_example": xen_upgrade_example,
    "xen_daemons": xen_daemons,
    "xen_not_in_pkgsrc": xen_not_in_pkgsrc,
    "xen_packages": xen_packages,
    "xen_recommendation": xen_recommendation,
    "xen_toolstacks": xen_toolstacks,
    "xen_versions_table": xen_versions_table,
}


def register(name: str, module: ModuleType) -> None:
    """Add a project directive (used by later feature packages)."""
    REGISTRY[name] = module


def known_names() -> str:
    return ", ".join(sorted(REGISTRY))
