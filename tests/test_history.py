"""The HOWTO's history: the days on which a fact changed what it says, found
from every date of the facts model; the page of each day, stored as shared
fragments, is the page rendered as of that day (and the page of a site built
as of that day); the whole history costs less than the site."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import re

import markdown
import pytest
import yaml
from conftest import ROOT, MiniProject
from hypothesis import given
from hypothesis import strategies as st

from xenhowto.facts import load_facts
from xenhowto.facts.timeline import dated_facts
from xenhowto.history import candidates, fragments
from xenhowto.history.build import cache_key, page_history
from xenhowto.ikiwiki.context import PageContext
from xenhowto.ikiwiki.extension import IkiwikiExtension
from xenhowto.project import load

HOWTO = ROOT / "docs" / "ports" / "xen" / "howto.mdwn"
AS_OF = dt.date(2026, 12, 1)
DATE = re.compile(r"^~?\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def facts():
    return load_facts(str(ROOT / "data"))


def _renderer(page: str):
    """The page rendered by Python-Markdown with the project's extension
    (expanding it itself unless given the expansion)."""
    project = load(str(ROOT / "mkdocs.yml"))

    def render(text: str, day: dt.date, expanded: str = "") -> str:
        ext = IkiwikiExtension(page=page, templates_dir=project.templates_dir, as_of=day.isoformat(),
                               known_wiki_pages=sorted(project.known_wiki_pages), expanded=expanded)
        return markdown.Markdown(extensions=["toc", ext]).convert(text)

    return render


def _ctx(page: str) -> PageContext:
    project = load(str(ROOT / "mkdocs.yml"))
    return PageContext(path=page + ".mdwn", page=page, templates_dir=project.templates_dir,
                       known_wiki_pages=project.known_wiki_pages)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


# -- the days ------------------------------------------------------------------------------

def _yaml_dates(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("source", "text") and not (isinstance(v, dict) and "by" in v):
                yield from _yaml_dates(v, k)
            elif isinstance(v, dict):
                yield v["by"]  # an event counts from its range's end (one known only after a date, from that)
    elif isinstance(node, list):
        for v in node:
            yield from _yaml_dates(v, key)
    elif isinstance(node, str) and DATE.match(node) and key not in NOT_DATES:
        yield node


# Keys whose values look like years but are versions or names; last_patch is
# a remark kept with its observation (the observation's date is the fact's).
NOT_DATES = ("version", "xen", "xen_from", "xen_to", "first_xen", "last_xen", "name", "last_patch")


def test_the_walk_finds_every_date_of_the_data(facts):
    written = sorted(d for f in facts.files.values() for d in _yaml_dates(f.data))
    found = sorted((f.when.by or f.when.after).text if hasattr(f.when, "by") else f.when.text for f in dated_facts(facts))
    assert len(written) > 100 and found == written


def test_an_end_changes_the_facts_the_day_after(facts):
    ends = [f for f in dated_facts(facts) if f.field == "security_support_end"]
    assert ends and all(f.changes_on == f.date + dt.timedelta(days=1) for f in ends)
    starts = [f for f in dated_facts(facts) if f.field == "released"]
    assert starts and all(f.changes_on == f.date for f in starts)


def test_candidate_days_are_fact_days_up_to_the_as_of_date(facts):
    days = candidates.days(facts, dt.date(2016, 12, 20))
    assert days == sorted(set(days)) and days[-1] <= dt.date(2016, 12, 20)
    from xenhowto.facts.history import event_dates

    assert set(days) <= {f.changes_on for f in dated_facts(facts)} | set(event_dates(facts))
    assert {f.changes_on for f in dated_facts(facts) if f.changes_on <= dt.date(2016, 12, 20)} <= set(days)


# -- fragments -------------------------------------------------------------------------------

@given(st.lists(st.tuples(st.sampled_from(["p", "h2", "ul", "pre", "table", "div"]),
                          st.text(alphabet="ab <>&\n", max_size=12), st.sampled_from(["", "\n", "\n\n"])),
                max_size=12))
def test_fragments_join_back_to_the_page(blocks):
    html = "".join(f"<{t}>{text.replace('<', '&lt;')}</{t}>{sep}" for t, text, sep in blocks)
    parts = fragments.split(html)
    assert "".join(parts) == html
    assert len(parts) == len(blocks)


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=40))
def test_runs_expand_back(ids):
    assert fragments.expand_runs(fragments.runs(ids)) == ids


@given(st.lists(st.lists(st.sampled_from(["<p>a</p>\n", "<p>b</p>\n", "<h2>c</h2>\n\n", "text ", "<hr />",
                                          "<ul>\n<li>x</li>\n</ul>\n", "<pre><code>y\n\nz</code></pre>\n", ""]),
                         max_size=12), min_size=1, max_size=8))
def test_a_table_splits_each_page_as_a_whole_split_would(pages):
    """The table splits only what differs from the page before; the result
    is the whole page's split, fragment for fragment."""
    table = fragments.Table()
    for blocks in pages:
        html = "".join(blocks)
        ids = table.add(html)
        assert [table.fragments[i] for i in ids] == fragments.split(html)


def test_a_table_stores_a_shared_fragment_once():
    table = fragments.Table()
    a = table.add("<p>one</p>\n<p>two</p>\n")
    b = table.add("<p>one</p>\n<p>three</p>\n")
    assert a[0] == b[0] and len(table.fragments) == 3
    assert table.page(b) == "<p>one</p>\n<p>three</p>\n"


# -- the page of each day ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def howto_history(facts, tmp_path_factory):
    """The HOWTO's history with Python-Markdown as its renderer, computed once
    with caches of its own."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("history-cache")))
        text = HOWTO.read_text(encoding="utf-8")
        render = _renderer("ports/xen/howto")
        # up to the newer seed revision: enough days, half the cost of today's
        return text, render, page_history(text, _ctx("ports/xen/howto"), facts, dt.date(2016, 12, 20), render, "test")


def test_each_day_is_the_page_rendered_as_of_that_day(howto_history):
    text, render, hist = howto_history
    assert len(hist.days) > 10
    for day in hist.days[:: max(1, len(hist.days) // 12)] + hist.days[-1:]:
        assert hist.html(day) == render(text, day.day), day.day


def test_kept_days_each_change_the_page(howto_history, facts):
    text, render, hist = howto_history
    pages = [hist.html(d).replace(d.day.isoformat(), "DAY") for d in hist.days]
    assert all(a != b for a, b in zip(pages, pages[1:]))
    fact_days = {f.changes_on for f in dated_facts(facts)}
    for d in hist.days:
        assert all(e.changes_on == d.day for e in d.events)
        assert d.events or d.day not in fact_days  # a day without a fact is a day the text changes with time


def test_the_cache_never_serves_a_changed_page(facts, cache):
    text = HOWTO.read_text(encoding="utf-8")
    settings = "settings"
    key = cache_key(text, settings, str(ROOT / "data"))
    assert key != cache_key(text + "\nMore.\n", settings, str(ROOT / "data"))
    assert key != cache_key(text, settings + "x", str(ROOT / "data"))
    render = _renderer("ports/xen/howto")
    day = dt.date(2011, 6, 1)  # a few days of history: the test is about the cache
    one = page_history(text, _ctx("ports/xen/howto"), facts, day, render, key)
    changed = text.replace("Xen is a hypervisor", "Xen is a type-1 hypervisor")
    two = page_history(changed, _ctx("ports/xen/howto"), facts, day, render,
                       cache_key(changed, settings, str(ROOT / "data")))
    assert "type-1 hypervisor" in two.html(two.days[-1]) and "type-1" not in one.html(one.days[-1])


def test_only_pages_with_the_projects_directives_have_a_history():
    assert candidates.may_change("Text [[!xen_packages]].\n")
    assert candidates.may_change("[[!when \"toolstack == xl\"]]\nxl\n[[!endwhen]]\n")
    assert not candidates.may_change('[[!meta title="T"]]\n[[!toc]]\n[[!table data="""a|b"""]]\nSee [[page]].\n')


# -- the published site ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from xenhowto.site import build

    return build(str(ROOT / "mkdocs.yml"), str(tmp_path_factory.mktemp("history") / "site"), AS_OF.isoformat(),
                 quiet=True)


def _history(site) -> dict:
    with open(os.path.join(site, "ports/xen/howto/history.json"), encoding="utf-8") as f:
        return json.load(f)


def _day_html(data: dict, day: str) -> str:
    d = next(x for x in data["days"] if x["day"] == day)
    return "".join(data["fragments"][i] for i in fragments.expand_runs(d["runs"]))


def _page_body(path: str) -> str:
    """The HOWTO's own content in a built page: the switcher's wrapper, less
    the site-only box of guides (which only the build's day carries)."""
    with open(path, encoding="utf-8") as f:
        page = f.read()
    start = page.index('<div class="howto-history__page">') + len('<div class="howto-history__page">')
    end = page.rindex("</div>", start, page.index("</article>"))
    body = page[start:end]
    return re.sub(r'<div class="admonition tip site-only guide-links">.*?</ul></div>', "", body, count=1, flags=re.S)


@pytest.mark.parametrize("day", ["2015-01-04", "2016-12-20"])
def test_a_day_of_the_history_is_the_site_built_as_of_that_day(site, day, tmp_path):
    from xenhowto.site import build

    data = _history(site)
    assert day in [d["day"] for d in data["days"]], "the seed revisions' days changed the page"
    then = build(str(ROOT / "mkdocs.yml"), str(tmp_path / "site"), day, quiet=True)
    body = _page_body(os.path.join(then, "ports/xen/howto/index.html"))
    assert _day_html(data, day) == body


def test_the_published_history(site, facts):
    data = _history(site)
    days = [d["day"] for d in data["days"]]
    assert days == sorted(set(days)) and days[-1] <= AS_OF.isoformat() and data["as_of"] == AS_OF.isoformat()
    assert days[0] >= min(f.changes_on for f in dated_facts(facts)).isoformat()  # from the first day it builds
    page = open(os.path.join(site, "ports/xen/howto/index.html"), encoding="utf-8").read()
    options = re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', page)
    assert sorted(set(options)) == days  # both selects list every day
    listing = open(os.path.join(site, "history/index.html"), encoding="utf-8").read()
    assert all(f'id="{d}"' in listing for d in days)
    fact_days = {f.changes_on.isoformat() for f in dated_facts(facts)}
    assert all(d["events"] or d["day"] not in fact_days for d in data["days"])
    assert sum(1 for d in data["days"] if d["events"]) > len(days) / 2


def test_the_history_adds_less_than_the_site(site):
    """Size aim: the whole history, compressed, is smaller than the rest of
    the site compressed (unchanged blocks are shared, not copied)."""
    history = os.path.join(site, "ports/xen/howto/history.json")
    rest = 0
    for base, _, names in os.walk(site):
        for n in names:
            path = os.path.join(base, n)
            if path != history and not n.endswith(".map"):
                with open(path, "rb") as f:
                    rest += len(gzip.compress(f.read(), 6))
    with open(history, "rb") as f:
        added = len(gzip.compress(f.read(), 6))
    assert added < rest, (added, rest)


def test_a_page_with_facts_anywhere_gets_a_history(project: MiniProject, monkeypatch, tmp_path):
    """Not only the HOWTO: any wiki page with fact directives, even where the
    fast path does not apply (a directive inside a list)."""
    project.write("facts.mdwn", "[[!meta title=\"Facts\"]]\n\n* [[!xen_recommendation]]\n")
    monkeypatch.setenv("HOWTO_AS_OF", "2016-12-20")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    site = project.build()
    data = json.loads((site / "facts" / "history.json").read_text(encoding="utf-8"))
    assert len(data["days"]) > 3
    day = data["days"][len(data["days"]) // 2]["day"]
    monkeypatch.setenv("HOWTO_AS_OF", day)
    then = project.build(tmp_path / "then")
    assert _day_html(data, day) in (then / "facts" / "index.html").read_text(encoding="utf-8")
