"""The guide builder's data for every day it can be read as of: the days the
HOWTO's history lists (xenhowto.history), the build's own and those the named
setups are pinned to, each an edition (xenhowto.guide.matrix.build), packed
into one file with what the editions share stored once.

    data = builder_data(project, as_of, history_days)   # what the site ships
    mx = unpack(data, "2016-12-20")                      # one edition, as matrix.build gives it

Packed form (``matrix.FORMAT``): ``texts``, every text of every edition
once; ``parts``: for each field of an edition, its distinct values (for the
list fields, its distinct items); ``editions``: ``[{as_of, field: index or
[indexes]}]``, newest first; ``named``: the named setups; ``left_out``: the
days no edition could be made for, and why.  Consecutive days share most of
their steps, constraints and texts, so the ~100 days of the history cost
about as much as one edition did alone.

Each edition is kept on disk under a digest of everything it depends on
(the page's steps that day, data/, the templates, the wiki settings, the
code) and its day, so a build recomputes only the days whose edition can have
changed, and of those only the changed steps (``matrix._remembered``).
"""
from __future__ import annotations

import datetime as dt
import json

from xenhowto import diskcache
from xenhowto.findings import HowtoError
from xenhowto.guide import matrix, model

LIST_FIELDS = ("dimensions", "constraints", "steps", "notes")
OWN = ("format", "as_of", "texts")  # an edition's own fields, not shared


def days(as_of: dt.date, history_days=(), named_days=()) -> list[dt.date]:
    """The days the builder offers, newest first: the build's, every day of
    the HOWTO's history up to it, and the named setups' days."""
    wanted = {as_of} | {d for d in (*history_days, *named_days) if d <= as_of}
    return sorted(wanted, reverse=True)


def edition(project, day: dt.date, facts, memo: dict | None = None) -> dict:
    """matrix.build for ``day``, kept on disk under what it reads: the steps the
    page gives guides that day (not the page's other text), the data, the
    templates, the wiki settings and the code (``buildcache.guides_key``)."""
    from xenhowto import buildcache, digest

    key = digest.of(buildcache.guides_key(project, day, "xenhowto.guide.matrix"), matrix.FORMAT)
    return diskcache.cached("builder-edition", key, lambda: matrix.build(project, day, facts, memo), expect=dict)


# --- packing ----------------------------------------------------------------------

def _retext(ed: dict, ids: list[int]) -> dict:
    """The edition with its text indexes turned into indexes of the shared
    table (``ids[local]``): the places matrix.build puts them."""
    def one(i):
        return None if i is None else ids[i]

    def piece(p: dict) -> dict:
        p = dict(p)
        for k in ("md", "html", "sh"):
            if k in p:
                p[k] = one(p[k])
        if "variants" in p:
            p["variants"] = [[one(i) for i in v] for v in p["variants"]]
        return p

    out = dict(ed)
    out["steps"] = [dict(s, pieces=[piece(p) for p in s["pieces"]]) for s in ed["steps"]]
    out["notes"] = [piece(n) for n in ed["notes"]]
    return out


class _Interned:
    def __init__(self):
        self.items: list = []
        self._index: dict[tuple, int] = {}

    def add(self, value) -> int:
        # a text is its own key (most values are texts); anything else its JSON
        if isinstance(value, str):
            key = (True, value)
        else:
            key = (False, json.dumps(value, sort_keys=True, ensure_ascii=False))
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(value)
        return self._index[key]


def pack(editions: list[dict]) -> dict:
    texts = _Interned()
    parts: dict[str, _Interned] = {}
    packed = []
    for ed in editions:
        ids = [texts.add(t) for t in ed["texts"]]
        ed = _retext(ed, ids)
        entry: dict = {"as_of": ed["as_of"]}
        for field, value in ed.items():
            if field in OWN:
                continue
            table = parts.setdefault(field, _Interned())
            entry[field] = [table.add(v) for v in value] if field in LIST_FIELDS else table.add(value)
        packed.append(entry)
    return {"texts": texts.items, "parts": {k: v.items for k, v in parts.items()}, "editions": packed}


def unpack(data: dict, as_of: str) -> dict:
    """The edition of ``as_of`` as matrix.build gives it (its texts: the shared table)."""
    entry = next((e for e in data["editions"] if e["as_of"] == as_of), None)
    if entry is None:
        raise KeyError(f"the builder has no edition as of {as_of}")
    out: dict = {"format": data["format"], "as_of": as_of, "texts": data["texts"]}
    for field, ref in entry.items():
        if field != "as_of":
            table = data["parts"][field]
            out[field] = [table[i] for i in ref] if field in LIST_FIELDS else table[ref]
    return out


# --- the site's data ------------------------------------------------------------------

def builder_data(project, as_of: dt.date, history_days=(), facts=None, memo: dict | None = None) -> dict:
    """What the site ships for the builder: an edition for the build's day,
    each day of the HOWTO's history up to it and each named setup's day.  A
    history day no edition can be made for is left out (``left_out`` says
    why); the build's and the named setups' days must work.  ``memo``: the
    pieces of steps already built (``matrix._remembered``)."""
    from xenhowto.facts import load_facts

    facts = facts or load_facts()
    named = []
    for n in model.load().named:
        when = dt.date.fromisoformat(str(n.as_of)) if n.as_of else as_of
        if when <= as_of:  # a build knows no facts after its own date
            named.append({"id": n.id, "title": n.title, "given": dict(n.setup), "as_of": when.isoformat()})
    required = {as_of} | {dt.date.fromisoformat(n["as_of"]) for n in named}
    editions, left_out = [], []
    for day in days(as_of, history_days, required):
        try:
            editions.append(edition(project, day, facts, memo))
        except (HowtoError, ValueError) as e:
            if day in required:
                raise
            left_out.append(f"the guide builder cannot be read as of {day.isoformat()}: {e}")
    return {"format": matrix.FORMAT, "as_of": as_of.isoformat(), "named": named, **pack(editions),
            "left_out": left_out}
