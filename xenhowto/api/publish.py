"""Every file of the site's api/ directory, as bytes:

    files = publish.files(facts, as_of, site_url="https://…/", title="NetBSD/Xen HOWTO")

api/index.json lists the others; each JSON file has its JSON Schema under
api/schema/; api/facts.atom is the feed of fact changes, api/support-ends.ics
the calendar of upcoming ends.  The same facts, as-of date and site URL give
the same bytes."""
from __future__ import annotations

import datetime as dt
import json

from xenhowto.api import feed, records
from xenhowto.api.endpoints import ENDPOINTS, Endpoint
from xenhowto.api.fields import describe
from xenhowto.facts.model import Facts
from xenhowto.facts.view import View

DRAFT = "https://json-schema.org/draft/2020-12/schema"
INDEX = "api/index.json"
INDEX_SCHEMA = "api/schema/index.schema.json"
FEED = "api/facts.atom"
CALENDAR = "api/support-ends.ics"
HOWTO_PAGE = "ports/xen/howto/"


def url(site_url: str, path: str) -> str:
    """The file's URL: absolute under site_url, else relative to the site's root."""
    return site_url.rstrip("/") + "/" + path if site_url else path


def dumps(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _file_schema(site_url: str, path: str, title: str, props: dict, defs: dict) -> dict:
    common = {
        "$schema": {"type": "string", "description": describe("file", "$schema")},
        "as_of": {"type": "string", "format": "date", "description": describe("file", "as_of")},
    }
    props = {k: {**v, "description": v.get("description") or describe("file", k)} for k, v in props.items()}
    return {
        "$schema": DRAFT,
        "$id": url(site_url, path),
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": list(common) + list(props),
        "properties": {**common, **props},
        "$defs": defs,
    }


def endpoint_schema(e: Endpoint, site_url: str) -> dict:
    defs = records.base_defs()
    props = e.schema(defs)
    return _file_schema(site_url, e.schema_path, e.title, props, defs)


def index_schema(site_url: str) -> dict:
    defs = {"FileEntry": {
        "type": "object", "description": describe("FileEntry", ""), "additionalProperties": False,
        "required": ["name", "title", "url", "schema", "media_type"],
        "properties": {
            "name": {"type": "string", "description": describe("FileEntry", "name")},
            "title": {"type": "string", "description": describe("FileEntry", "title")},
            "url": {"type": "string", "description": describe("FileEntry", "url")},
            "schema": {"type": ["string", "null"], "description": describe("FileEntry", "schema")},
            "media_type": {"type": "string", "description": describe("FileEntry", "media_type")},
        }}}
    return _file_schema(site_url, INDEX_SCHEMA, "The files of this API",
                        {"files": {"type": "array", "items": {"$ref": "#/$defs/FileEntry"}}}, defs)


def index(site_url: str, as_of: dt.date) -> dict:
    entries = [{"name": e.name, "title": e.title, "url": url(site_url, e.path),
                "schema": url(site_url, e.schema_path), "media_type": "application/json"} for e in ENDPOINTS]
    entries += [
        {"name": "facts-feed", "title": "Changes of the facts, each dated by the fact", "url": url(site_url, FEED),
         "schema": None, "media_type": "application/atom+xml"},
        {"name": "support-ends", "title": "Upcoming ends of support and of life", "url": url(site_url, CALENDAR),
         "schema": None, "media_type": "text/calendar"},
    ]
    return {"$schema": url(site_url, INDEX_SCHEMA), "as_of": as_of.isoformat(), "files": entries}


def files(facts: Facts, as_of: dt.date, site_url: str = "", title: str = "NetBSD/Xen HOWTO") -> dict[str, bytes]:
    from xenhowto.api import calendar  # icalendar takes a while to import: not for a build that has api/ cached

    view = View(facts, as_of)
    out: dict[str, bytes] = {}
    for e in ENDPOINTS:
        out[e.path] = dumps({"$schema": url(site_url, e.schema_path), "as_of": as_of.isoformat(), **e.build(view)})
        out[e.schema_path] = dumps(endpoint_schema(e, site_url))
    out[INDEX] = dumps(index(site_url, as_of))
    out[INDEX_SCHEMA] = dumps(index_schema(site_url))
    page = url(site_url, HOWTO_PAGE)
    out[FEED] = feed.atom(facts, as_of, site_url, title, url(site_url, FEED), page)
    out[CALENDAR] = calendar.ics(facts, as_of, title, page)
    return out
