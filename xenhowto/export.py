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
from xenhowto.inputs import InputError, read_bytes
from xenhowto.pages import MAX_PAGE_BYTES, page_name, read_page, site_url, wiki_sources
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
    """A page's source, read as the build and the check read it (a FIFO, a
    huge file or bytes that are not UTF-8 are findings)."""
    text, problems = read_page(os.path.join(project.docs_dir, src))
    if problems:
        raise HowtoError(f"{problems[0].path} cannot be read; nothing was exported", problems)
    return text


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


def _manifest(out_dir: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(files, pending) of the manifest: src -> the digest the last export
    wrote, and src -> the digests of a page an export was replacing when it
    stopped (both count as ours); empty when unreadable, so that every existing
    file counts as changed and nothing is overwritten silently."""
    try:
        data = json.loads(read_bytes(os.path.join(out_dir, MANIFEST), 16 * 1024 * 1024, "export manifest"))
        files, pending = data.get("files", {}), data.get("pending", {})
    except (InputError, ValueError, AttributeError, TypeError):
        return {}, {}
    return (files if isinstance(files, dict) else {},
            {k: v for k, v in pending.items() if isinstance(v, list)} if isinstance(pending, dict) else {})


def read_manifest(out_dir: str) -> dict[str, str]:
    return _manifest(out_dir)[0]


def _ours(out_dir: str, src: str, digest: str) -> bool:
    """Is ``digest`` what an export wrote (or was writing) for ``src``?"""
    files, pending = _manifest(out_dir)
    return digest == files.get(src) or digest in pending.get(src, ())


def _check_out_dir(out_dir: str) -> None:
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise atomic.OutputError(f"-o {out_dir} is not a directory; give a directory (e.g. a wikisrc "
                                 "checkout) or a new path")


def _write_manifest(out_dir: str, files: dict[str, str], pending: dict[str, list[str]]) -> None:
    body: dict = {"files": dict(sorted(files.items()))}
    if pending:
        body["pending"] = dict(sorted(pending.items()))
    atomic.write_text(os.path.join(out_dir, MANIFEST), json.dumps(body, indent=2, sort_keys=True) + "\n")


def read_exported(out_dir: str, src: str, strict: bool = False) -> str | None:
    """The page as the output directory holds it now (None: not there).
    ``strict``: text that is not UTF-8 is an error rather than replaced (for
    whoever keeps the text, as `howto sync` does)."""
    dest = os.path.join(out_dir, src)
    real = atomic.target_of(dest)  # only a regular file (symlinks followed) may be there
    if not os.path.exists(real):
        return None
    try:
        data = read_bytes(real, MAX_PAGE_BYTES * 4, "page")
    except InputError as e:
        raise atomic.OutputError(f"cannot export there: {e}") from None
    try:
        return data.decode("utf-8", "strict" if strict else "replace")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise HowtoError(f"{dest}:{line}: not UTF-8 text (byte {data[e.start]:#04x}); the wiki's pages are "
                         "UTF-8: fix the file, then run the command again") from None


def write_pages(out_dir: str, pages: dict[str, tuple[str, str]]) -> list[str]:
    """Write src -> (text, exported): the file gets ``text``; the manifest
    remembers ``exported``, what the sources gave.  They differ where `howto
    sync` kept the wiki's wording, so a later export will not overwrite it
    unasked.  Returns the files written."""
    _check_out_dir(out_dir)
    manifest, pending = _manifest(out_dir)
    before = (dict(manifest), dict(pending))
    written = []
    for src, (text, exported) in sorted(pages.items()):
        dest = os.path.join(out_dir, src)
        current = read_exported(out_dir, src)
        if current != text:
            # The manifest stays true at every step: before the page is replaced it
            # names the old and the new text as ours, after it the new one, so an
            # export stopped in between is not taken next time for someone's edit.
            pending[src] = sorted({_sha(text), _sha(exported)} | ({_sha(current)} if current is not None else set()))
            _write_manifest(out_dir, manifest, pending)
            atomic.write_text(dest, text)
            written.append(dest)
            del pending[src]
            manifest[src] = _sha(exported)
            _write_manifest(out_dir, manifest, pending)
        pending.pop(src, None)  # (a page an earlier export had written before it stopped)
        manifest[src] = _sha(exported)
    if (manifest, pending) != before or not os.path.exists(os.path.join(out_dir, MANIFEST)):
        _write_manifest(out_dir, manifest, pending)
    return written


def export(project: Project, out_dir: str, as_of: dt.date, force: bool = False) -> list[str]:
    """Write the pages under out_dir; return the files written."""
    from xenhowto.sync import last_synced

    pages = render_pages(project, as_of)
    _check_out_dir(out_dir)
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
        if current is not None and current != text and not _ours(out_dir, src, _sha(current)) and not force:
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
