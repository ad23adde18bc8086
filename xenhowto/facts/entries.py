"""Every fact entry of data/ with the line it starts on and the words that
name it in the page's text (a package's name, a release's version, a branch's
netbsd-N), so the export's source map can say which entry a generated
sentence comes from (xenhowto.ikiwiki.sourcemap)."""
from __future__ import annotations

import os

from xenhowto.facts.load import default_data_dir, shown_path
from xenhowto.facts.model import Facts


_last: list = []  # (facts, data_dir, cwd, entries) of the last call: every directive of a page asks


def entries(facts: Facts, data_dir: str | None = None) -> list[tuple[str, int, tuple[str, ...]]]:
    """(data file as shown, line, names) for every entry."""
    base = data_dir or default_data_dir()
    where = (base, os.getcwd())
    if _last and _last[0] is facts and _last[1] == where:
        return _last[2]
    out = _entries(facts, base)
    _last[:] = [facts, where, out]
    return out


def _entries(facts: Facts, base: str) -> list[tuple[str, int, tuple[str, ...]]]:
    named = [
        *((r, (r.version,)) for r in facts.releases.values()),
        *((p, (p.name, p.tools)) for p in facts.packages),
        *((b, (f"netbsd-{b.name}", f"NetBSD {b.name}")) for b in facts.branches),
        *((t, (t.name,)) for t in facts.toolstacks.values()),
        *((k, (k.name,)) for k in facts.kernels),
    ]
    out = []
    for entry, names in named:
        # the file's name, not its stored path: facts may come from a cache filled elsewhere
        path = shown_path(os.path.join(base, os.path.basename(entry.where.path)))
        out.append((path, entry.where.line, names))
    return out
