"""The days on which a page may read differently, and the text by which two
days are told apart.

A day is a candidate when some fact changes what the facts say on it: every
date of the facts model by ``xenhowto.facts.timeline`` (so new fact kinds
count without code here), and the days ``xenhowto.facts.history`` knows the
generated text to change on (such as the day a package stops being "new to
pkgsrc", or a dated claim gets old).  Two candidate days are told apart by the
page's whole expansion (every directive, [[!when]] region and example as of
the day): the day itself, which some sentences name ("as known on
2016-12-20"), does not count as a difference."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from markdown.preprocessors import NormalizeWhitespace

from xenhowto.facts import history as facts_history
from xenhowto.facts.model import Facts
from xenhowto.facts.timeline import change_days, dated_facts
from xenhowto.ikiwiki import directives
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.expand import expand
from xenhowto.ikiwiki.syntax import Directive, scan

MASK = "\0day\0"
ONE_DAY = dt.timedelta(days=1)


def may_change(markdown: str) -> bool:
    """Whether the page has any of the project's own directives (those the
    export expands: facts, examples, regions, dated claims); a page of the
    wiki's directives only reads the same on every day."""
    return any(isinstance(t, Directive) and t.name in directives.REGISTRY
               and not directives.REGISTRY[t.name].WIKI_NATIVE for t in scan(markdown))


def days(facts: Facts, as_of: dt.date) -> list[dt.date]:
    """Candidate days up to the as-of date (the page of a later day is not
    known yet).  Of the days facts.history lists, those that are only a
    fact's own day or the day after it are left to the timeline, which knows
    which of the two a fact changes things on (a start on its day, an end the
    day after): the page reads the same on the other."""
    timeline = set(change_days(facts))
    either = {d for f in dated_facts(facts) if f.date < dt.date.max for d in (f.date, f.date + ONE_DAY)}
    derived = {d for d in facts_history.event_dates(facts) if d not in either}
    return sorted(d for d in timeline | derived if d <= as_of)


def normalized(markdown_text: str) -> str:
    """The page as Python-Markdown hands it to the ikiwiki preprocessor
    (after its whitespace normalization)."""
    import markdown

    return "\n".join(NormalizeWhitespace(markdown.Markdown()).run(markdown_text.split("\n")))


def expansion(text: str, ctx: PageContext, day: dt.date) -> tuple[str, list]:
    """The page's text (normalized) as the ikiwiki preprocessor expands it on
    ``day`` (every directive and region), and the findings of that expansion."""
    at = dataclasses.replace(ctx, as_of=day, findings=[], meta={}, state={})
    return expand(text, at), at.findings


def signature(text: str, ctx: PageContext, day: dt.date) -> tuple[str, str, list[str]]:
    """(The page's expansion on ``day``, its digest with the day masked, the
    error findings of that expansion as text)."""
    out, findings = expansion(text, ctx, day)
    digest = hashlib.sha256(out.replace(day.isoformat(), MASK).encode("utf-8")).hexdigest()
    return out, digest, [str(f) for f in findings if f.severity == "error"]
