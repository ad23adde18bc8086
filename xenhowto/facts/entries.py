"""Every fact entry of data/ with the line it starts on and the words that
name it in the page's text (a package's name, a release's version, a branch's
netbsd-N), so the export's source map can say which entry a generated
sentence comes from (xenhowto.ikiwiki.sourcemap)."""
from __future__ import annotations

import dataclasses
import os

from xenhowto.facts.load import default_data_dir, shown_path
from xenhowto.facts.model import Branch, Facts, GuestType, Package

_last: list = []  # (facts, where, entries) of the last call: every directive of a page asks


def entries(facts: Facts, data_dir: str | None = None) -> list[tuple[str, int, tuple[str, ...]]]:
    """(data file as shown, line, names) for every entry."""
    base = data_dir or default_data_dir()
    where = (base, os.getcwd())
    if _last and _last[0] is facts and _last[1] == where:
        return _last[2]
    out = _entries(facts, base)
    _last[:] = [facts, where, out]
    return out


def _names(entry) -> tuple[str, ...]:
    if isinstance(entry, Package):
        return (entry.name, entry.tools)
    if isinstance(entry, Branch):
        return (f"netbsd-{entry.name}", f"NetBSD {entry.name}")
    if isinstance(entry, GuestType):
        return (entry.name, entry.name.upper())
    return tuple(v for v in (getattr(entry, "version", None), getattr(entry, "name", None)) if isinstance(v, str))


def _entries(facts: Facts, base: str) -> list[tuple[str, int, tuple[str, ...]]]:
    out = []
    # every kind of entry the facts hold (a list or a dict of entries that know their line)
    for f in dataclasses.fields(facts):
        value = getattr(facts, f.name)
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for entry in items:
            where = getattr(entry, "where", None)
            names = _names(entry)
            if where is None or not names:
                continue
            # the file's name, not its stored path: facts may come from a cache filled elsewhere
            path = shown_path(os.path.join(base, os.path.basename(where.path)))
            out.append((path, where.line, names))
    return out
