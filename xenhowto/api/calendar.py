"""The iCalendar file (RFC 5545) of upcoming ends: the last day of general
and of security support of each Xen release (as amended by the as-of date)
and the end of life of each NetBSD branch, when that day is after the as-of
date.  Written and parsed with the icalendar library; every value comes from
the facts and the as-of date (DTSTAMP is the as-of date), none from the clock."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import icalendar

from xenhowto.facts.dates import FuzzyDate
from xenhowto.facts.model import Facts
from xenhowto.facts.view import View

_NAMESPACE = uuid.UUID("7d0f3b52-42a8-5c61-8f0e-1e9a4c2b6d13")


@dataclass(frozen=True)
class End:
    key: str
    summary: str
    date: FuzzyDate
    source: str


def upcoming(facts: Facts, as_of: dt.date) -> list[End]:
    view = View(facts, as_of)
    out = []
    for rel in view.released():
        support = view.support(rel)
        source = rel.source
        for a in rel.amendments:
            if a.announced.latest <= as_of:
                source = f"{source}; amended {a.announced.text}: {a.source}"
        for what, d in (("general support", support.general), ("security support", support.security)):
            if d is not None and d.latest > as_of:
                out.append(End(f"releases/{rel.version}/{what}", f"Xen {rel.version}: last day of {what}", d, source))
    for b in view.facts.branches:
        if b.end_of_life is not None and b.end_of_life.latest > as_of:
            out.append(End(f"branches/{b.name}/end_of_life", f"NetBSD {b.name}: end of life", b.end_of_life, b.source))
    return sorted(out, key=lambda e: (e.date.latest, e.key))


def ics(facts: Facts, as_of: dt.date, title: str, page_url: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{title}//facts//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{title}: ends of support")
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc)
    for end in upcoming(facts, as_of):
        day = end.date.latest
        ev = icalendar.Event()
        ev.add("uid", f"{uuid.uuid5(_NAMESPACE, end.key + '@' + end.date.text)}@netbsd-xen-howto")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("summary", end.summary)
        precision = "" if end.date.precision == "day" else f"  The source gives only {end.date.text}; this is its last day."
        ev.add("description", f"{end.summary} ({end.date.shown()}).{precision}  Source: {end.source}")
        ev.add("url", page_url)
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()
