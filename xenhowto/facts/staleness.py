"""Hand-written "as of YYYY-MM" (or "as of YYYY-MM-DD", any case) in the wiki
pages that has grown old: each one older than the as-of date by more than a
window (default 12 months) is a Finding at file:line, so editors see which
statements to re-verify (or to move into data/, where the date is kept for
them).

A month-only mention counts from the end of that month (the reading rule of
``xenhowto.facts.dates``): "as of 2016-12" is stale from 2018-01-01 on with
the default window, "as of 2016-12-20" from 2017-12-21 on.
"""
from __future__ import annotations

import datetime as dt
import os
import re

from xenhowto.facts.dates import add_months, parse
from xenhowto.findings import Finding, line_of

AS_OF_RE = re.compile(r"\bas\s+of\s+(\d{4}-\d{2}(?:-\d{2})?)\b", re.IGNORECASE)
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


def stale_mentions(text: str, path: str, as_of: dt.date, window_months: int = DEFAULT_WINDOW_MONTHS,
                   severity: str = "warning") -> list[Finding]:
    """Findings for the stale "as of" dates of one page's text."""
    out = []
    for m in AS_OF_RE.finditer(text):
        quoted = " ".join(m.group(0).split())
        try:
            when = parse(m.group(1))
        except ValueError:
            out.append(Finding(path, line_of(text, m.start()),
                               f'"{quoted}" is not a real date; write as of YYYY-MM or YYYY-MM-DD', severity))
            continue
        stale_from = add_months(when.latest, window_months) + dt.timedelta(days=1)
        if as_of >= stale_from:
            months = (as_of.year - when.latest.year) * 12 + as_of.month - when.latest.month
            out.append(Finding(
                path, line_of(text, m.start()),
                f'"{quoted}" is {months} months before the as-of date {as_of.isoformat()} '
                f"(more than {window_months}); re-verify the statement and update its date, "
                "or move the fact to data/ so the page computes it",
                severity,
            ))
    return out


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
