"""The history of one page: the days on which its text changed with the
facts, the facts that changed on each, and its HTML on each.

    history = page_history(markdown, ctx, facts, as_of, render, key)

``render(markdown, day, expanded)`` renders the page as of a day, given its
expansion that day (the MkDocs hook renders it as MkDocs renders the page,
with the ikiwiki preprocessor handed the expansion).  Each candidate day's
expansion is compared with the previous day's; the page is rendered on the
days it differs.  Both are cached on disk per day under a digest of
everything they depend on (``key``), so builds as of other dates, and builds
after an unrelated change, reuse them."""
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
from xenhowto.history import candidates, fragments
from xenhowto.ikiwiki.context import PageContext

log = logging.getLogger("xenhowto.history")

# (the page's markdown, the day, the page as expanded that day) -> its HTML
DayRender = Callable[[str, dt.date, str], str]


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
    left_out: list[str] = field(default_factory=list)  # the days the page cannot be built as of, and why

    def html(self, day: Day) -> str:
        return self.table.page(day.fragments)


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") + b"\0")
    return h.hexdigest()[:32]


def _compute(markdown: str, ctx: PageContext, facts: Facts, as_of: dt.date, render: DayRender,
             key: str) -> tuple[list[tuple[dt.date, str]], list[str]]:
    """(day, the page's HTML) for each candidate day whose expansion differs
    from the day before's; a day on which the page does not expand without
    an error is left out, with a sentence saying so."""
    text = candidates.normalized(markdown)
    changing, left_out, last = [], [], None
    for day in candidates.days(facts, as_of):
        expanded, digest, errors = diskcache.cached("history-expansion", _digest(key, day.isoformat()),
                                                    lambda day=day: candidates.signature(text, ctx, day))
        if errors:  # the page cannot be built as of that day: no day of its history
            left_out.append(f"the page cannot be built as of {day.isoformat()} ({len(errors)} error(s), "
                            f"first: {errors[0]}); that day is left out of its history")
            continue
        if digest != last:
            changing.append((day, expanded))
            last = digest
    rendered = [(day, diskcache.cached("history-day", _digest(key, day.isoformat()),
                                       lambda day=day, expanded=expanded: render(markdown, day, expanded)))
                for day, expanded in changing]
    return rendered, left_out


def _kept(rendered: list[tuple[dt.date, str]]) -> tuple[fragments.Table, list[tuple[dt.date, list[int]]]]:
    """The days whose HTML differs from the previous kept day's (the day's
    own date masked), each as fragment indexes into one shared table."""
    table, kept, last = fragments.Table(), [], None
    for day, html in rendered:
        masked = html.replace(day.isoformat(), candidates.MASK)
        if masked != last:
            kept.append((day, table.add(html)))
            last = masked
    return table, kept


def page_history(markdown: str, ctx: PageContext, facts: Facts, as_of: dt.date, render: DayRender,
                 key: str) -> History:
    """The page's days (oldest first) up to the as-of date."""
    def compute():
        from xenhowto.facts import pinned

        with pinned():  # every day reads the same data: check its files once
            rendered, errors = _compute(markdown, ctx, facts, as_of, render, key)
        return _kept(rendered), list(dict.fromkeys(errors))

    (table, kept), errors = diskcache.cached("history", _digest(key, as_of.isoformat()), compute)
    events: dict[dt.date, list[DatedFact]] = {}
    for fact in dated_facts(facts):
        events.setdefault(fact.changes_on, []).append(fact)
    return History(ctx.page, as_of, table, [Day(day, ids, events.get(day, [])) for day, ids in kept], errors)


def cache_key(markdown: str, settings: str, *dirs: str) -> str:
    """A digest of everything a page's history depends on: its markdown, the
    renderer's settings, the code of this package and of the ikiwiki
    extension that renders it, and the files of ``dirs`` (data/, the templates)."""
    from xenhowto import buildcache, digest

    return digest.of(markdown, settings, buildcache.data(*dirs), digest.files(*dirs),
                     digest.code(__name__, "xenhowto.ikiwiki.extension"))
