"""``howto export``: the pages as plain ikiwiki .mdwn for the NetBSD wiki.

Directives the wiki has ([[!meta]], [[!toc]], [[!table]], [[!template]]) and
wikilinks are kept verbatim; the project's own directives are expanded into
markdown and those directives.  A manifest in the output directory remembers
what the last export wrote, so a file edited since (say, on the wiki) is never
overwritten silently: ``howto sync`` brings such edits into docs/ first.

Exporting into the wiki (a directory whose page was the last synchronised text
or already ours, or any page with --force) also records the export as the
last synchronised text in wiki-sync/ (xenhowto.sync.last_synced)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

from xenhowto import atomic
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import WIKI, PageContext
from xenhowto.ikiwiki.expand import expand_mapped
from xenhowto.ikiwiki.sourcemap import Mapped
from xenhowto.pages import page_name, site_url, wiki_sources
from xenhowto.project import Project

MANIFEST = ".howto-export.json"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_page(project: Project, src: str, text: str, as_of: dt.date) -> Mapped:
    """One page's export with its source map; raises on any error."""
    ctx = PageContext(
        path=os.path.relpath(os.path.join(project.docs_dir, src)),
        page=page_name(src),
        target=WIKI,
        site_pages={page_name(s): site_url(s) for s in wiki_sources(project.docs_dir)},
        known_wiki_pages=project.known_wiki_pages,
        wiki_url=project.wiki_url,
        templates_dir=project.templates_dir,
        as_of=as_of,
    )
    mapped = expand_mapped(text, ctx)
    errors = [f for f in ctx.findings if f.severity == "error"]
    if errors:
        raise HowtoError(f"{ctx.path} has errors; nothing was exported", errors)
    return mapped


def read_source(project: Project, src: str) -> str:
    with open(os.path.join(project.docs_dir, src), encoding="utf-8") as f:
        return f.read()


def render_pages(project: Project, as_of: dt.date) -> dict[str, str]:
    """src_uri -> exported text, for every wiki page; raises on any error."""
    out: dict[str, str] = {}
    findings = []
    for src in wiki_sources(project.docs_dir):
        try:
            out[src] = render_page(project, src, read_source(project, src), as_of).text
        except HowtoError as e:
            findings += e.findings
    if findings:
        raise HowtoError("the pages have errors; nothing was exported", findings)
    return out


def read_manifest(out_dir: str) -> dict[str, str]:
    try:
        with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as f:
            files = json.load(f).get("files", {})
    except (FileNotFoundError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def read_exported(out_dir: str, src: str, strict: bool = False) -> str | None:
    """The page as the output directory holds it now (None: not there).
    ``strict``: text that is not UTF-8 is an error rather than replaced (for
    whoever keeps the text, as `howto sync` does)."""
    dest = os.path.join(out_dir, src)
    if not os.path.exists(dest):
        return None
    if not os.path.isfile(dest):
        raise HowtoError(f"{dest} is not a regular file; refusing to use it as a page")
    try:
        with open(dest, encoding="utf-8", errors="strict" if strict else "replace") as f:
            return f.read()
    except UnicodeDecodeError as e:
        line = e.object[:e.start].count(b"\n") + 1
        raise HowtoError(f"{dest}:{line}: not UTF-8 text (byte {e.object[e.start]:#04x}); the wiki's pages are "
                         "UTF-8: fix the file, then run the command again") from None


def write_pages(out_dir: str, pages: dict[str, tuple[str, str]]) -> list[str]:
    """Write src -> (text, exported): the file gets ``text``; the manifest
    remembers ``exported``, what the sources gave.  They differ where `howto
    sync` kept the wiki's wording, so a later export will not overwrite it
    unasked.  Returns the files written."""
    manifest = read_manifest(out_dir)
    before = dict(manifest)
    written = []
    for src, (text, exported) in sorted(pages.items()):
        dest = os.path.join(out_dir, src)
        if read_exported(out_dir, src) != text:
            atomic.write_text(dest, text)
            written.append(dest)
        manifest[src] = _sha(exported)
    if manifest != before or not os.path.exists(os.path.join(out_dir, MANIFEST)):
        atomic.write_text(os.path.join(out_dir, MANIFEST),
                          json.dumps({"files": dict(sorted(manifest.items()))}, indent=2, sort_keys=True) + "\n")
    return written


def export(project: Project, out_dir: str, as_of: dt.date, force: bool = False) -> list[str]:
    """Write the pages under out_dir; return the files written."""
    from xenhowto.sync import last_synced

    pages = render_pages(project, as_of)
    last = read_manifest(out_dir)
    synced = last_synced.read(project)
    conflicts, todo, in_sync = [], {}, {}
    for src, text in pages.items():
        dest = os.path.join(out_dir, src)
        current = read_exported(out_dir, src)
        base = synced.text(src)
        # the directory holds the wiki's page as last synchronised (or as we
        # would write it, or one whose edits --force drops): after this export
        # the two agree again.  A directory without the page is not taken for
        # the wiki (a preview); the first publication is `howto sync`'s.
        if current is not None and (force or current in (base, text)):
            in_sync[src] = text
        if current is not None and current != text and last.get(src) != _sha(current) and not force:
            conflicts.append(dest)
            continue
        todo[src] = (text, text)
    if conflicts:
        raise HowtoError(
            "refusing to overwrite files that changed since the last export (or that no export wrote):\n"
            + "\n".join(f"  {c}" for c in conflicts)
            + f"\nbring their edits into docs/ with `howto sync --wiki {out_dir}` first, "
            "or rerun with --force to overwrite them"
        )
    written = write_pages(out_dir, todo)
    last_synced.record(project, in_sync, as_of, "howto export")
    return written
