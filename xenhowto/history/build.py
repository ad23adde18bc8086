"""The history of one page: the days on which its text changed with the
facts, the facts that changed on each, and its HTML on each.

    history = page_history(markdown, ctx, facts, as_of, render, key)

``render(markdown, day)`` renders markdown in the page's context as of a day
(the MkDocs hook renders it as MkDocs renders the page).  The page of every
day is assembled from one rendering of the page and one of the texts its
fact directives write (``assemble``); the assembly of the as-of day is
compared with a real rendering first, and where they differ every day is
rendered whole instead.  Results are cached on disk under a digest of
everything they depend on (``key``, the day)."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import Callable

from xenhowto import diskcache
from xenhowto.facts.model import Facts
from xenhowto.facts.timeline import DatedFact, dated_facts
from xenhowto.history import assemble, candidates, fragments
from xenhowto.ikiwiki.context import PageContext

log = logging.getLogger("xenhowto.history")

DayRender = Callable[[str, dt.date], str]


@dataclass
class Day:
    day: dt.date
    fragments: list[int]  # the page's content as of the day, as indexes into History.table
    events: list[DatedFact] = field(default_factory=list)  # the facts that changed on the day


@dataclass
class History:
    page: str
    as_of: dt.date
    table: fragments.Table
    days: list[Day]
    assembled: bool  # True: from one rendering (fast path); False: every day rendered whole

    def html(self, day: Day) -> str:
        return self.table.page(day.fragments)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def _compute(markdown: str, ctx: PageContext, facts: Facts, as_of: dt.date, render: DayRender,
             key: str) -> tuple[list[tuple[dt.date, list[str]]], bool]:
    """(day, the page's HTML in consecutive parts) for each day on which the
    fact directives' text changes, and whether the fast path was taken."""
    found = candidates.fact_directives(markdown)
    changing = candidates.changing_days(found, ctx, candidates.days(facts, as_of))
    if not changing:
        return [], True
    parts = assemble.blocks(markdown, found)
    slots = assemble.Slots.of(render(assemble.template_markdown(markdown, parts), as_of), len(parts))
    if slots is not None:
        def texts(outputs: tuple[str, ...]) -> list[str]:
            return [b.text(markdown, found, outputs) for b in parts]

        today = texts(candidates.outputs(found, ctx, as_of))
        per_day = [(day, texts(outputs)) for day, outputs in changing]
        pieces = assemble.render_pieces([t for _, ts in per_day for t in ts] + today,
                                        lambda doc: render(doc, as_of))
        assembled, whole = slots.fill([pieces[t] for t in today]), render(markdown, as_of)
        if assembled == whole:
            return [(day, slots.parts([pieces[t] for t in ts])) for day, ts in per_day], True
        at = next((i for i, (a, b) in enumerate(zip(assembled, whole)) if a != b), min(len(assembled), len(whole)))
        log.info(f"{ctx.path}: the page's history is rendered day by day: its fact directives do not "
                 f"render alone as in the page (from {whole[max(0, at - 60):at + 60]!r})")
    # every day whole, each cached on its own (builds as of other days share them)
    return [(day, [diskcache.cached("history-day", _digest(key, day.isoformat()),
                                    lambda day=day: render(markdown, day))])
            for day, _ in changing], False


def _kept(rendered: list[tuple[dt.date, list[str]]]) -> tuple[fragments.Table, list[tuple[dt.date, list[int]]]]:
    """The days whose HTML differs from the previous kept day's (the day's
    own date masked), each as fragment indexes into one shared table."""
    table, kept, last = fragments.Table(), [], None
    for day, parts in rendered:
        masked = "".join(parts).replace(day.isoformat(), "\0day\0")
        if masked != last:
            kept.append((day, table.add_parts(parts)))
            last = masked
    return table, kept


def page_history(markdown: str, ctx: PageContext, facts: Facts, as_of: dt.date, render: DayRender,
                 key: str) -> History:
    """The page's days (oldest first) up to the as-of date."""
    def compute():
        rendered, assembled = _compute(markdown, ctx, facts, as_of, render, key)
        return _kept(rendered), assembled

    (table, kept), assembled = diskcache.cached("history", _digest(key, as_of.isoformat()), compute)
    events: dict[dt.date, list[DatedFact]] = {}
    for fact in dated_facts(facts):
        events.setdefault(fact.changes_on, []).append(fact)
    return History(ctx.page, as_of, table, [Day(day, ids, events.get(day, [])) for day, ids in kept], assembled)


def cache_key(markdown: str, settings: str, *dirs: str) -> str:
    """A digest of everything a page's history depends on: its markdown, the
    renderer's settings, this package's code and the files of ``dirs``
    (data/, the templates)."""
    h = hashlib.sha256()
    h.update(markdown.encode("utf-8") + b"\0" + settings.encode("utf-8") + b"\0")
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for top in (package, *dirs):
        for root, subdirs, names in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for n in sorted(names):
                if n.endswith((".py", ".j2", ".json", ".yaml", ".mdwn")):
                    path = os.path.join(root, n)
                    h.update(os.path.relpath(path, top).encode() + b"\0")
                    with open(path, "rb") as f:
                        h.update(f.read())
    return h.hexdigest()[:32]
