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
from xenhowto.memo import KeptWhile

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


# The directives of dated facts: what they give depends only on their text,
# the page's context and data/ (they read it through _facts.view).
FROM_FACTS = frozenset({
    "netbsd_xen_kernels", "netbsd_branches", "netbsd_multiprocessor", "netbsd_release", "xen_boot_options", "xen_builds",
    "xen_guest_styles", "xen_guest_types", "xen_kernfs", "xen_pci_passthrough", "xen_uefi",
    "xen_upgrade_example", "xen_daemons", "xen_not_in_pkgsrc", "xen_packages", "xen_recommendation",
    "xen_toolstacks", "xen_versions_table"})
_RENDERED = KeptWhile(limit=4096)


def kept_context(ctx) -> tuple | None:
    """What a kept result made from a page's text in ``ctx`` is kept under
    besides that text: the context's settings, the date and the facts and
    setup model read (the objects, held so that their ids stay theirs); None
    when nothing may be kept (the export records sources, the data cannot
    be read)."""
    if ctx.sources is not None:
        return None
    from xenhowto import asof
    from xenhowto.facts import load_with_findings
    from xenhowto.findings import HowtoError
    from xenhowto.guide import model

    from ._facts import data_dir

    try:
        facts = load_with_findings(data_dir(ctx))[0]
        setup_model = model.load()
        when = ctx.as_of or asof.resolve()
    except HowtoError:
        return None
    if facts is None:
        return None
    return ((ctx.target, ctx.page, ctx.path, when, ctx.templates_dir, ctx.wiki_url, ctx.nesting,
             frozenset(ctx.site_pages.items()), ctx.known_wiki_pages, id(facts), id(setup_model)), facts, setup_model)


def render(module: ModuleType, d, ctx, kept_ctx: tuple | None = None) -> str:
    """``module.render(d, ctx)``.  A fact directive's text is kept while the
    facts and the setup model it reads are the same objects (they are read
    again when their files change): the site's expansion, the examples' and
    the guides' parses of a page render the same directives, and a rebuild
    after an edit renders them all again.  Not while the export records
    sources (it asks each directive what it read).  ``kept_ctx``: the
    caller's ``kept_context(ctx)``, when it has it."""
    if d.name not in FROM_FACTS or ctx.sources is not None:
        return module.render(d, ctx)
    context = kept_ctx or kept_context(ctx)
    if context is None:
        return module.render(d, ctx)  # it says what is wrong
    key, facts, setup_model = context
    # a DirectiveError is not kept
    return _RENDERED.get_or_make((d.raw, key), (facts, setup_model), lambda: module.render(d, ctx))


def register(name: str, module: ModuleType) -> None:
    """Add a project directive (used by later feature packages)."""
    REGISTRY[name] = module


def known_names() -> str:
    return ", ".join(sorted(REGISTRY))
