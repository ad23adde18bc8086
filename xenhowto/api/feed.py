"""The Atom feed of fact changes (RFC 4287): one entry per dated fact of the
data up to the as-of date (a release, an end of support, a package added or
removed, an amendment, an observation), dated by the fact, never by the
build.  Written with the standard library's ElementTree, so the bytes depend
on the facts, the as-of date and the site's URL only."""
from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from xenhowto.facts.model import Facts
from xenhowto.facts.timeline import DatedFact, dated_facts

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "netbsd-xen-howto:facts-feed"))


def _stamp(day: dt.date) -> str:
    return day.isoformat() + "T00:00:00Z"


def entries(facts: Facts, as_of: dt.date) -> list[DatedFact]:
    """The facts the feed carries: dated on or before the as-of date, newest first."""
    return sorted((f for f in dated_facts(facts) if f.date <= as_of), key=lambda f: (f.date, f.key), reverse=True)


def atom(facts: Facts, as_of: dt.date, site_url: str, title: str, feed_url: str, page_url: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items()})
        if text is not None:
            e.text = text
        return e

    items = entries(facts, as_of)
    sub(feed, "id", FEED_ID)
    sub(feed, "title", f"{title}: changes of the facts")
    sub(feed, "subtitle", "Xen releases, ends of support, pkgsrc packages and NetBSD branches as the "
                          f"{title} records them, each dated by the fact; up to {as_of.isoformat()}.")
    sub(feed, "updated", _stamp(items[0].date if items else as_of))
    author = sub(feed, "author")
    sub(author, "name", title)
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    sub(feed, "generator", "xenhowto")
    for f in items:
        entry = sub(feed, "entry")
        sub(entry, "id", "urn:uuid:" + f.uuid)
        sub(entry, "title", f.text)
        sub(entry, "updated", _stamp(f.date))
        sub(entry, "published", _stamp(f.date))
        sub(entry, "link", rel="alternate", type="text/html", href=page_url)
        sub(entry, "category", term=f.key.split("/", 1)[0])
        sub(entry, "content", f"{f.text} ({f.shown}).  Source: {f.source}", type="text")
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"
