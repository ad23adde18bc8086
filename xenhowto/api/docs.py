"""The site's page documenting the API (api/index.md): every file, and every
field of every file read off its JSON Schema, so the page cannot miss one."""
from __future__ import annotations

import datetime as dt
import posixpath

from xenhowto.api import publish
from xenhowto.api.endpoints import ENDPOINTS

PAGE = "api/index.md"


def _rel(path: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(PAGE))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type(schema: dict) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " or ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return "list of " + _type(schema.get("items", {}))
    return kind or "any"


def _fields(props: dict) -> list[str]:
    rows = ["| Field | Type | Meaning |", "|---|---|---|"]
    rows += [f"| `{n}` | {_type(p)} | {_cell(p.get('description', ''))} |" for n, p in props.items()]
    return rows + [""]


def markdown(as_of: dt.date, site_url: str = "") -> str:
    lines = [
        "# For other tools",
        "",
        "The facts behind the HOWTO as files that other tools can read, in the spirit of "
        "[endoflife.date](https://endoflife.date/): a pkgsrc audit script, a monitoring check or a calendar. "
        f"They are built with the site, as of {as_of.isoformat()}.  Each JSON file names its JSON Schema "
        "(draft 2020-12) in `$schema`; every field is documented below.",
        "",
        "Each record is a fact as the data records it, with its source, plus `state`: what the HOWTO computes "
        "from the facts on the file's `as_of` date (a release's status, whether a package is in pkgsrc and "
        "recommended, ...).  The same data and as-of date always give the same bytes.",
        "",
        "| File | What it holds | Schema |",
        "|---|---|---|",
    ]
    for e in ENDPOINTS:
        lines.append(f"| [{e.path}]({_rel(e.path)}) | {e.title} | [schema]({_rel(e.schema_path)}) |")
    lines += [
        f"| [{publish.INDEX}]({_rel(publish.INDEX)}) | The list of these files | [schema]({_rel(publish.INDEX_SCHEMA)}) |",
        f"| [{publish.FEED}]({_rel(publish.FEED)}) | An Atom feed of the changes of the facts | Atom (RFC 4287) |",
        f"| [{publish.CALENDAR}]({_rel(publish.CALENDAR)}) | Upcoming ends of support and of life | iCalendar (RFC 5545) |",
        "",
        "## The feed and the calendar",
        "",
        "The feed has one entry per dated fact up to the as-of date (a Xen release, the last day of a support, "
        "an amendment of support dates, a pkgsrc package added or removed, a NetBSD release or end of life, an "
        "observation), dated by the fact itself, never by the build: an entry's `updated` is the day the fact "
        "counts from (the last day its date can mean).  Its `id` never changes.",
        "",
        "The calendar has an all-day event on the last day of general and of security support of each Xen "
        "release and on the end of life of each NetBSD branch that are after the as-of date, with the support "
        "dates as amended by then.  Subscribe to it to be reminded before a Xen in use loses its support.",
        "",
        "```sh",
        f"curl -s {publish.url(site_url, 'api/pkgsrc-packages.json')} |",
        "  jq -r '.packages[] | select(.state.in_pkgsrc and (.state.status == \"unsupported\")) | .name'",
        "```",
        "",
    ]
    documented: set[str] = set()
    for e in ENDPOINTS:
        schema = publish.endpoint_schema(e, site_url)
        lines += [f"## {e.title}", "", f"[{e.path}]({_rel(e.path)}), [schema]({_rel(e.schema_path)})", ""]
        lines += _fields(schema["properties"])
        for name, d in schema["$defs"].items():
            if name in documented or "properties" not in d:
                continue
            documented.add(name)
            lines += [f"### {name}", "", d.get("description", ""), ""] + _fields(d["properties"])
    return "\n".join(lines)
