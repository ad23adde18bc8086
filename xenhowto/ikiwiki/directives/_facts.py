"""Shared by the project's fact directives (xen_packages, xen_versions_table,
...): the as-of view of data/, with bad data turned into a DirectiveError.
Not a directive itself (it is not in REGISTRY)."""
from __future__ import annotations

import os

from xenhowto import asof
from xenhowto.facts import load_with_findings
from xenhowto.facts.view import View
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive


def data_dir(ctx: PageContext) -> str | None:
    """HOWTO_DATA_DIR; else data/ beside the page's docs/ (the project holding
    docs/templates); else the default of xenhowto.facts.load."""
    if os.environ.get("HOWTO_DATA_DIR"):
        return os.environ["HOWTO_DATA_DIR"]
    if ctx.templates_dir:
        candidate = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(ctx.templates_dir))), "data")
        if os.path.isdir(candidate):
            return candidate
    return None


def view(ctx: PageContext) -> View:
    try:
        when = ctx.as_of or asof.resolve()
    except HowtoError as e:
        raise DirectiveError(str(e)) from None
    facts, findings = load_with_findings(data_dir(ctx))
    if facts is None:
        first = "; ".join(str(f) for f in findings[:3])
        more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
        raise DirectiveError(f"the data in data/ has problems: {first}{more}; run `howto versions` to see them all")
    if ctx.sources is not None:  # the export's source map asks what the directive reads
        ctx.note_source(*_sources(facts, data_dir(ctx)))
    return View(facts, when)


_converted: list = []  # (entries, sources) of the last call


def _sources(facts, data_dir: str | None) -> tuple:
    from xenhowto.facts.entries import entries
    from xenhowto.ikiwiki.sourcemap import Source

    found = entries(facts, data_dir)
    if not _converted or _converted[0] is not found:
        _converted[:] = [found, tuple(Source(path, line, names) for path, line, names in found)]
    return _converted[1]


def no_arguments(d: Directive) -> None:
    if d.params:
        raise DirectiveError(f"takes no arguments ({d.keys()[0]!r} given); write [[!{d.name}]]")
