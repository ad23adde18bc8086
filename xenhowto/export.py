"""``howto export``: the pages as plain ikiwiki .mdwn for the NetBSD wiki.

Directives the wiki has ([[!meta]], [[!toc]], [[!table]], [[!template]]) and
wikilinks are kept verbatim; the project's own directives are expanded into
markdown and those directives.  A manifest in the output directory remembers
what the last export wrote, so a file edited since (say, on the wiki) is never
overwritten silently."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

from xenhowto import atomic
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import WIKI, PageContext
from xenhowto.ikiwiki.expand import expand
from xenhowto.pages import page_name, read_page, site_url, wiki_sources
from xenhowto.project import Project

MANIFEST = ".howto-export.json"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_pages(project: Project, as_of: dt.date) -> dict[str, str]:
    """src_uri -> exported text, for every wiki page; raises on any error."""
    sources = wiki_sources(project.docs_dir)
    site_pages = {page_name(s): site_url(s) for s in sources}
    out: dict[str, str] = {}
    findings = []
    for src in sources:
        path = os.path.join(project.docs_dir, src)
        text, problems = read_page(path)
        findings += problems
        ctx = PageContext(
            path=os.path.relpath(path),
            page=page_name(src),
            target=WIKI,
            site_pages=site_pages,
            known_wiki_pages=project.known_wiki_pages,
            wiki_url=project.wiki_url,
            templates_dir=project.templates_dir,
            as_of=as_of,
        )
        out[src] = expand(text, ctx)
        findings += [f for f in ctx.findings if f.severity == "error"]
    if findings:
        raise HowtoError("the pages have errors; nothing was exported", findings)
    return out


def export(project: Project, out_dir: str, as_of: dt.date, force: bool = False) -> list[str]:
    """Write the pages under out_dir; return the files written."""
    pages = render_pages(project, as_of)
    manifest_path = os.path.join(out_dir, MANIFEST)
    try:
        with open(manifest_path, encoding="utf-8") as f:
            last = json.load(f).get("files", {})
    except (FileNotFoundError, ValueError, AttributeError):
        last = {}
    conflicts, todo = [], []
    for src, text in pages.items():
        dest = os.path.join(out_dir, src)
        if os.path.exists(dest):
            with open(dest, encoding="utf-8", errors="replace") as f:
                current = _sha(f.read())
            if current == _sha(text):
                continue
            if last.get(src) != current and not force:
                conflicts.append(dest)
                continue
        todo.append((dest, text))
    if conflicts:
        raise HowtoError(
            "refusing to overwrite files that changed since the last export (or that no export wrote):\n"
            + "\n".join(f"  {c}" for c in conflicts)
            + "\nmerge their edits into docs/ first, or rerun with --force to overwrite them"
        )
    for dest, text in todo:
        atomic.write_text(dest, text)
    manifest = {"files": {src: _sha(text) for src, text in sorted(pages.items())}}
    atomic.write_text(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return [d for d, _ in todo]
