"""The days on which a page may change with the facts, and the text by which
two days are told apart cheaply.

A day is a candidate when some dated fact changes on it (every date of the
facts model, found by ``xenhowto.facts.timeline``).  Only the directives
that read the facts (through ``directives._facts``) depend on the day, so
two days whose fact directives write the same text give the same page; the
day itself, which some sentences name ("as known on 2016-12-20"), does not
count as a difference."""
from __future__ import annotations

import dataclasses
import datetime as dt
from xenhowto.facts.model import Facts
from xenhowto.facts.timeline import change_days
from xenhowto.ikiwiki import directives
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive, scan


def days(facts: Facts, as_of: dt.date) -> list[dt.date]:
    """Candidate days up to the as-of date (the page of a later day is not known yet)."""
    return [d for d in change_days(facts) if d <= as_of]


def reads_facts(name: str) -> bool:
    module = directives.REGISTRY.get(name)
    return module is not None and getattr(module, "_facts", None) is _facts


def fact_directives(text: str) -> list[Directive]:
    return [t for t in scan(text) if isinstance(t, Directive) and reads_facts(t.name)]


def outputs(found: list[Directive], ctx: PageContext, day: dt.date) -> tuple[str, ...]:
    """What the page's fact directives write on ``day`` (markdown)."""
    at = dataclasses.replace(ctx, as_of=day, findings=[], meta={}, state={})
    out = []
    for d in found:
        try:
            out.append(directives.REGISTRY[d.name].render(d, at))
        except DirectiveError as e:
            out.append(f"error: {e}")
    return tuple(out)


def masked(texts: tuple[str, ...], day: dt.date) -> tuple[str, ...]:
    """The texts with the day itself masked: naming the day is no change."""
    return tuple(t.replace(day.isoformat(), "\0day\0") for t in texts)


def changing_days(found: list[Directive], ctx: PageContext,
                  candidates: list[dt.date]) -> list[tuple[dt.date, tuple[str, ...]]]:
    """(day, the fact directives' texts) for each candidate on which those
    texts differ from the day before's."""
    out, last = [], None
    for day in candidates:
        texts = outputs(found, ctx, day)
        sig = masked(texts, day)
        if sig != last:
            out.append((day, texts))
            last = sig
    return out
