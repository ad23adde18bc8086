"""The Atom feed of fact changes and the iCalendar file of upcoming ends,
read back with real parsers (feedparser, icalendar): entries dated by the
facts of data/ (never by the build), the calendar's ends as amended by the
as-of date, both byte-for-byte the same for the same data and date."""
from __future__ import annotations

import datetime as dt
import re

import feedparser
import icalendar
import pytest
import yaml
from conftest import ROOT

from xenhowto.api import publish
from xenhowto.facts import load_facts
from xenhowto.facts.dates import parse

SITE_URL = "https://howto.example.org/xen/"
AS_OF = dt.date(2016, 12, 20)
DAY = re.compile(r"^~?\d{4}-\d{2}-\d{2}$")  # dates given to the day: no reading rule needed


@pytest.fixture(scope="module")
def facts():
    return load_facts(str(ROOT / "data"))


def _yaml(name):
    return yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))


def _feed(facts, day):
    return feedparser.parse(publish.files(facts, day, SITE_URL)[publish.FEED])


def _calendar(facts, day):
    return icalendar.Calendar.from_ical(publish.files(facts, day, SITE_URL)[publish.CALENDAR])


def _day(text: str) -> dt.date:
    """The day a date counts from (the reading rule of xenhowto.facts.dates)."""
    return parse(text).latest


def test_the_feed_parses_as_atom(facts):
    feed = _feed(facts, AS_OF)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.endswith("changes of the facts")
    assert [lk.href for lk in feed.feed.links if lk.rel == "self"] == [SITE_URL + publish.FEED]
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) > 50


def test_feed_entries_are_dated_by_the_facts_of_data(facts):
    feed = _feed(facts, AS_OF)
    dated = {(e.title, e.updated[:10]) for e in feed.entries}
    expected = 0
    for raw in _yaml("xen_releases.yaml")["releases"]:
        if DAY.match(raw["released"]) and _day(raw["released"]) <= AS_OF:
            assert (f"Xen {raw['version']} released", _day(raw["released"]).isoformat()) in dated
            expected += 1
    for raw in _yaml("pkgsrc_packages.yaml")["packages"]:
        if DAY.match(raw["added"]) and _day(raw["added"]) <= AS_OF:
            assert (f"{raw['name']} added to pkgsrc", _day(raw["added"]).isoformat()) in dated
            expected += 1
    for raw in _yaml("netbsd_branches.yaml")["branches"]:
        eol = raw.get("end_of_life")
        if eol and DAY.match(eol) and _day(eol) <= AS_OF:
            assert (f"NetBSD {raw['name']}: end of life", _day(eol).isoformat()) in dated
            expected += 1
    assert expected >= 15  # the test checks something
    # nothing after the as-of date, and the feed is as new as its newest fact, not as the build
    days = sorted(e.updated[:10] for e in feed.entries)
    assert days[-1] <= AS_OF.isoformat()
    assert feed.feed.updated[:10] == days[-1]
    later = _feed(facts, AS_OF + dt.timedelta(days=1))
    assert later.feed.updated == feed.feed.updated and len(later.entries) == len(feed.entries)


def test_feed_ids_do_not_change_with_the_date_or_the_site(facts):
    now = {e.id for e in _feed(facts, dt.date(2026, 12, 1)).entries}
    then = {e.id for e in _feed(facts, AS_OF).entries}
    moved = feedparser.parse(publish.files(facts, AS_OF, "https://elsewhere.example/")[publish.FEED])
    assert then < now  # the same facts keep their ids; later facts add entries
    assert {e.id for e in moved.entries} == then


def _ends(cal) -> dict[str, dt.date]:
    out = {}
    for ev in cal.walk("VEVENT"):
        out[str(ev["SUMMARY"])] = ev.decoded("DTSTART")
    return out


def test_the_calendar_parses_and_holds_the_upcoming_ends(facts):
    cal = _calendar(facts, AS_OF)
    ends = _ends(cal)
    expected = {}
    for raw in _yaml("xen_releases.yaml")["releases"]:
        if _day(raw["released"]) > AS_OF:
            continue
        for key, what in (("general_support_end", "general support"), ("security_support_end", "security support")):
            value = raw.get(key)
            for a in raw.get("amendments", []):
                if a.get(key) and DAY.match(a["announced"]) and _day(a["announced"]) <= AS_OF:
                    value = a[key]
            if value and _day(value) > AS_OF:
                expected[f"Xen {raw['version']}: last day of {what}"] = _day(value)
    for raw in _yaml("netbsd_branches.yaml")["branches"]:
        if raw.get("end_of_life") and _day(raw["end_of_life"]) > AS_OF:
            expected[f"NetBSD {raw['name']}: end of life"] = _day(raw["end_of_life"])
    assert expected and {k: v for k, v in ends.items() if k in expected} == expected
    assert all(day > AS_OF for day in ends.values())
    for ev in cal.walk("VEVENT"):
        assert ev.decoded("DTSTAMP") == dt.datetime(2016, 12, 20, tzinfo=dt.timezone.utc)  # the as-of date, not the clock
        assert ev.decoded("DTEND") - ev.decoded("DTSTART") == dt.timedelta(days=1)


def test_the_calendar_follows_amendments(facts):
    """An amendment counts from its announcement: before it the calendar has
    the end first announced, after it the amended one."""
    amended = [r for r in _yaml("xen_releases.yaml")["releases"]
               if any(a.get("security_support_end") for a in r.get("amendments", []))]
    assert amended
    for raw in amended:
        a = next(a for a in raw["amendments"] if a.get("security_support_end"))
        before = _day(a["announced"]) - dt.timedelta(days=1)
        summary = f"Xen {raw['version']}: last day of security support"
        if _day(raw["security_support_end"]) > before and _day(raw["released"]) <= before:
            assert _ends(_calendar(facts, before))[summary] == _day(raw["security_support_end"])
        assert _ends(_calendar(facts, _day(a["announced"])))[summary] == _day(a["security_support_end"])


def test_same_data_and_date_same_bytes(facts):
    one = publish.files(facts, AS_OF, SITE_URL)
    two = publish.files(load_facts(str(ROOT / "data")), AS_OF, SITE_URL)
    assert one[publish.FEED] == two[publish.FEED] and one[publish.CALENDAR] == two[publish.CALENDAR]
