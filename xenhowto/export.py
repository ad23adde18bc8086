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
from xenhowto.inputs import InputError, read_bytes
from xenhowto.pages import MAX_PAGE_BYTES, page_name, read_page, site_url, wiki_sources
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


def _current(dest: str) -> str | None:
    """The digest of what is at ``dest`` now (None: nothing); only a regular
    file may be there (symlinks followed)."""
    try:
        real = atomic.target_of(dest)
    except atomic.OutputError as e:
        raise atomic.OutputError(f"cannot export there: {e}") from None
    if not os.path.exists(real):
        return None
    try:
        return hashlib.sha256(read_bytes(real, MAX_PAGE_BYTES * 4, "page")).hexdigest()
    except InputError as e:
        raise atomic.OutputError(f"cannot export there: {e}") from None


def _read_manifest(path: str) -> dict:
    """{"files": {src: digest}, "pending": {src: [digests]}}; empty when unreadable
    (then every existing file counts as changed: nothing is overwritten silently)."""
    try:
        data = json.loads(read_bytes(path, 16 * 1024 * 1024, "export manifest"))
        files, pending = data.get("files", {}), data.get("pending", {})
        if isinstance(files, dict) and isinstance(pending, dict):
            return {"files": dict(files), "pending": {k: list(v) for k, v in pending.items() if isinstance(v, list)}}
    except (InputError, ValueError, AttributeError, TypeError):
        pass
    return {"files": {}, "pending": {}}


def _write_manifest(path: str, manifest: dict) -> None:
    body = {"files": dict(sorted(manifest["files"].items()))}
    if manifest["pending"]:
        body["pending"] = dict(sorted(manifest["pending"].items()))
    atomic.write_text(path, json.dumps(body, indent=2, sort_keys=True) + "\n")


def export(project: Project, out_dir: str, as_of: dt.date, force: bool = False) -> list[str]:
    """Write the pages under out_dir; return the files written.

    The manifest is kept true after every step: before a page is replaced
    it lists both the page's old and new digest as "pending", after it the
    new one, so an export killed at any point is never mistaken next time
    for someone's edit."""
    pages = render_pages(project, as_of)
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise atomic.OutputError(f"-o {out_dir} is not a directory; give a directory (e.g. a wikisrc "
                                 "checkout) or a new path")
    manifest_path = os.path.join(out_dir, MANIFEST)
    manifest = _read_manifest(manifest_path)
    conflicts, todo = [], []
    for src, text in pages.items():
        dest = os.path.join(out_dir, src)
        current = _current(dest)
        if current == _sha(text):
            continue
        ours = {manifest["files"].get(src), *manifest["pending"].get(src, [])}
        if current is not None and current not in ours and not force:
            conflicts.append(dest)
            continue
        todo.append((src, dest, text, current))
    if conflicts:
        raise HowtoError(
            "refusing to overwrite files that changed since the last export (or that no export wrote):\n"
            + "\n".join(f"  {c}" for c in conflicts)
            + "\nmerge their edits into docs/ first, or rerun with --force to overwrite them"
        )
    for src, dest, text, current in todo:
        manifest["pending"][src] = sorted({_sha(text)} | ({current} if current else set()))
        _write_manifest(manifest_path, manifest)
        atomic.write_text(dest, text)
        manifest["files"][src] = _sha(text)
        del manifest["pending"][src]
        _write_manifest(manifest_path, manifest)
    final = {"files": {src: _sha(text) for src, text in pages.items()}, "pending": {}}
    if final != manifest or not os.path.exists(manifest_path):
        _write_manifest(manifest_path, final)
    return [d for _, d, _, _ in todo]
