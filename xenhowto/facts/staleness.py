"""Hand-written claims in the wiki pages that have grown old.

Each one older than the as-of date by more than a window (12 months; the one
threshold for every kind) is a Finding at file:line, so editors see which
statements to re-verify (or to move into data/, where the date is kept for
them):

- "as of YYYY", "as of YYYY-MM", "as of YYYY-MM-DD" (any case);
- "recent (YYYY)" and "recent (YYYY-MM)";
- a [[!dated YYYY-MM text=...]] claim (the page already says "As of ..." once
  it is old; the finding asks to re-verify it);
- "currently" outside a [[!dated]] claim, which says nothing about when.

A month-only mention counts from the end of that month (the reading rule of
``xenhowto.facts.dates``): "as of 2016-12" is stale from 2018-01-01 on with
the default window, "as of 2016-12-20" from 2017-12-21 on, "as of 2014" from
2016-01-01 on.
"""
from __future__ import annotations

import datetime as dt
import os
import re

from xenhowto.facts.dates import add_months, parse
from xenhowto.findings import Finding, line_of

DEFAULT_WINDOW_MONTHS = 12


def dated(as_of: dt.date | None, when, text: str) -> str:
    """A claim last known true at ``when`` (a FuzzyDate), as a page of
    ``as_of`` says it: as written within the window, "As of YYYY-MM, ..."
    after it, and not at all before ``when``."""
    if as_of is None:
        return text
    if as_of < when.earliest:
        return ""
    if as_of <= add_months(when.latest, DEFAULT_WINDOW_MONTHS):
        return text
    return f"As of {when.month()}, {text[:1].lower()}{text[1:]}"


_AS_OF_RE = re.compile(r"\bas\s+of\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b", re.IGNORECASE)
_RECENT_RE = re.compile(r"\brecent\s*\((\d{4}(?:-\d{2})?)\)", re.IGNORECASE)
_CURRENTLY_RE = re.compile(r"\bcurrently\b", re.IGNORECASE)
_DATED_RE = re.compile(r"\[\[!dated\s+(\S+)\s+text=(?:\"\"\".*?\"\"\"|\"[^\"]*\")\s*\]\]", re.S)


def stale_mentions(text: str, path: str, as_of: dt.date, window_months: int = DEFAULT_WINDOW_MONTHS,
                   severity: str = "warning") -> list[Finding]:
    """Findings for the stale claims of one page's text (see the module)."""
    out: list[tuple[int, Finding]] = []  # (position, finding): reported in the text's order
    dated_spans = []
    for m in _DATED_RE.finditer(text):
        dated_spans.append((m.start(), m.end()))
        try:
            when = parse(m.group(1))
        except ValueError:
            continue  # the directive reports it
        if as_of >= add_months(when.latest, window_months) + dt.timedelta(days=1):
            out.append((m.start(), Finding(path, line_of(text, m.start()),
                               f"a claim last verified {when.text} is older than {window_months} months as of "
                               f"{as_of.isoformat()}; re-verify it and update its date, or move the fact to data/",
                               severity)))

    def inside(pos: int) -> bool:
        return any(a <= pos < b for a, b in dated_spans)

    for rx in (_AS_OF_RE, _RECENT_RE):
        for m in rx.finditer(text):
            if inside(m.start()):
                continue
            quoted = " ".join(m.group(0).split())
            try:
                when = parse(m.group(1))
            except ValueError:
                out.append((m.start(), Finding(path, line_of(text, m.start()),
                                   f'"{quoted}" is not a real date; write as of YYYY-MM or YYYY-MM-DD', severity)))
                continue
            stale_from = add_months(when.latest, window_months) + dt.timedelta(days=1)
            if as_of >= stale_from:
                months = (as_of.year - when.latest.year) * 12 + as_of.month - when.latest.month
                out.append((m.start(), Finding(
                    path, line_of(text, m.start()),
                    f'"{quoted}" is {months} months before the as-of date {as_of.isoformat()} '
                    f"(more than {window_months}); re-verify the statement and update its date, "
                    "or move the fact to data/ so the page computes it",
                    severity,
                )))
    for m in _CURRENTLY_RE.finditer(text):
        if not inside(m.start()):
            out.append((m.start(), Finding(path, line_of(text, m.start()),
                               '"currently" says nothing about when; date the claim with '
                               "[[!dated YYYY-MM text=...]] or move the fact to data/", severity)))
    return [f for _, f in sorted(out, key=lambda pf: pf[0])]


def stale_in_pages(docs_dir: str, as_of: dt.date, window_months: int = DEFAULT_WINDOW_MONTHS,
                   severity: str = "warning") -> list[Finding]:
    """Findings for every .mdwn page under docs_dir (templates/ excluded)."""
    from xenhowto.pages import wiki_sources

    findings: list[Finding] = []
    for src in wiki_sources(docs_dir):
        path = os.path.join(docs_dir, src)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        findings += stale_mentions(text, os.path.relpath(path), as_of, window_months, severity)
    return sorted(findings)
