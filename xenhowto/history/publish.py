"""A page's history as the site publishes it:

- ``data``: the JSON file the date switcher reads (docs/javascripts/
  howto-history.js): the shared fragment table, and for each day the facts
  that changed on it, what ``howto versions --diff`` says changed since the
  day before, and the page as runs of fragment indexes;
- ``switcher_html``: the site-only form under the page's title (it works
  without JavaScript as a plain GET form; the script renders the day);
- ``page_markdown``: the site's history page, one section per day.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

from xenhowto.facts import report
from xenhowto.facts.model import Facts
from xenhowto.history.build import History
from xenhowto.history.fragments import runs

FORMAT = 1  # bumped when the JSON's shape changes
NO_FACT = ("No fact changed on this day: the text changed with time (a package is no longer new to pkgsrc, "
           "a dated remark is now old)")


@dataclass
class SiteParts:
    """What the site shows of a page's history (``site_parts``)."""
    json: str | None  # history.json; None when the page has no days
    switcher: str  # the form under the page's title
    page_markdown: str | None  # the history page (for the page that has one)
    last_day: str | None  # the day the facts last changed the page
    left_out: list[str]  # the days the page cannot be built as of, and why
    days: list[str]  # the days it can be read as of (the guide builder offers them too)


def site_parts(hist: History, facts: Facts, json_url: str, history_url: str | None, title: str,
               page_url: str | None) -> SiteParts:
    """Everything the site takes from a page's history, in one value (kept
    on disk by xenhowto.buildcache.history_site)."""
    if not hist.days:
        return SiteParts(None, "", None, None, list(hist.left_out), [])
    changes = _changes(facts, hist)
    return SiteParts(
        json=to_json(hist, facts, changes),
        switcher=switcher_html(hist, json_url, history_url),
        page_markdown=page_markdown(hist, facts, title, page_url, changes) if page_url is not None else None,
        last_day=hist.days[-1].day.isoformat(),
        left_out=list(hist.left_out),
        days=[d.day.isoformat() for d in hist.days])


def _changes(facts: Facts, hist: History) -> list[list[dict]]:
    out: list[list[dict]] = [[]]
    for before, day in zip(hist.days, hist.days[1:]):
        out.append(report.diff(facts, before.day, day.day))
    return out


def data(hist: History, facts: Facts, changes: list[list[dict]] | None = None) -> dict:
    return {
        "format": FORMAT,
        "page": hist.page,
        "as_of": hist.as_of.isoformat(),
        "days": [
            {
                "day": d.day.isoformat(),
                "events": [{"text": e.text, "date": e.shown, "source": e.source} for e in d.events],
                "changes": changes,
                "runs": runs(d.fragments),
            }
            for d, changes in zip(hist.days, changes if changes is not None else _changes(facts, hist))
        ],
        "fragments": hist.table.fragments,
    }


def to_json(hist: History, facts: Facts, changes: list[list[dict]] | None = None) -> str:
    return json.dumps(data(hist, facts, changes), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _option(value: str, label: str, selected: bool = False) -> str:
    sel = " selected" if selected else ""
    return f'<option value="{html.escape(value)}"{sel}>{html.escape(label)}</option>'


def switcher_html(hist: History, json_url: str, history_url: str | None) -> str:
    """The form under the page's title: read the page as of one of its days,
    compared with another.  Site-only: not part of the wiki page."""
    today = hist.as_of.isoformat()
    days = [d.day.isoformat() for d in reversed(hist.days)]
    read = _option("", f"{today} (this site's date)", True) + "".join(_option(d, d) for d in days)
    compare = _option("", "nothing", True) + "".join(_option(d, d) for d in days)
    link = (f' <a href="{html.escape(history_url)}">What changed on each of them</a>.'
            if history_url else "")
    return (
        f'<div class="site-only howto-history" data-howto-history="{html.escape(json_url)}" '
        f'data-as-of="{today}">'
        f'<form class="howto-history__form" method="get">'
        f"<p>This page is the HOWTO as of {today}.  Facts changed what it says on {len(days)} days "
        f"from {days[-1]} on.{link}</p>"
        f'<label>Read it as of <select name="as_of">{read}</select></label> '
        f'<label>and show what changed since <select name="compare">{compare}</select></label> '
        f'<button type="submit" class="md-button">Show</button>'
        f"</form>"
        f'<div class="howto-history__status" role="status" aria-live="polite"></div>'
        f"</div>"
    )


def page_markdown(hist: History, facts: Facts, title: str, page_url: str,
                  changes: list[list[dict]] | None = None) -> str:
    """The site's history page: one section per day, newest first, with the
    facts that changed on it and what the page says differently."""
    changes = changes if changes is not None else _changes(facts, hist)
    lines = [
        f"# History of the {title}", "",
        f"The days on which a change of the facts changed what the [{title}]({page_url}) says, newest "
        f"first, up to {hist.as_of.isoformat()} (the date this site was built as of).  Each links to "
        "the page as it read on that day and to what changed on the page since the day before.", "",
    ]
    for i in range(len(hist.days) - 1, -1, -1):
        d = hist.days[i]
        day = d.day.isoformat()
        lines += [f"## {day}", ""]
        for e in d.events:
            lines.append(f"- {_md(e.text)} ({_md(e.shown)})")
        if not d.events:
            lines.append(f"- {NO_FACT}")
        lines.append("")
        if changes[i]:
            lines += ["In the version table and the recommendation:", ""]
            lines += [f"- `{c['key']}`: {_md(report._shown(c['from']))} → {_md(report._shown(c['to']))}"
                      for c in changes[i]]
            lines.append("")
        links = [f"[Read the page as of {day}]({page_url}?as_of={day})"]
        if i:
            prev = hist.days[i - 1].day.isoformat()
            links.append(f"[what changed since {prev}]({page_url}?as_of={day}&compare={prev})")
        lines += [", ".join(links) + ".", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text shown as is in markdown (no emphasis, links or HTML)."""
    out = html.escape(text, quote=False)
    for ch in "\\`*_[]":
        out = out.replace(ch, "\\" + ch)
    return out
