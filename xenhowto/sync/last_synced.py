"""The last synchronised text of each wiki page: what the wiki and the sources
last agreed on, committed in the project under wiki-sync/ at the page's wiki
path, with wiki-sync/manifest.json (per page: the as-of date it was exported
at, its digest, and what wrote it).

It is the common ancestor of a three-way comparison: the wiki's edits are
what the wiki changed since, the sources' what the export changed since.
Only `howto sync` and `howto export` write it; a file that does not match
its digest is refused, so a hand edit cannot silently turn into a "change"."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field

from xenhowto import atomic
from xenhowto.findings import HowtoError
from xenhowto.project import Project

FOLDER = "wiki-sync"
MANIFEST = "manifest.json"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def folder(project: Project) -> str:
    return os.path.join(project.root, FOLDER)


@dataclass
class LastSynced:
    pages: dict[str, dict] = field(default_factory=dict)  # src -> {as_of, sha256, written_by}
    texts: dict[str, str] = field(default_factory=dict)

    def text(self, src: str) -> str | None:
        return self.texts.get(src)

    def as_of(self, src: str) -> str | None:
        return (self.pages.get(src) or {}).get("as_of")


def read(project: Project) -> LastSynced:
    base = folder(project)
    manifest_path = os.path.join(base, MANIFEST)
    shown = os.path.relpath(manifest_path)
    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except FileNotFoundError:
        return LastSynced()
    except ValueError as e:
        raise HowtoError(f"{shown}: not valid JSON ({e}); restore it from version control") from None
    pages = manifest.get("pages") if isinstance(manifest, dict) else None
    if not isinstance(pages, dict):
        raise HowtoError(f"{shown}: has no \"pages\"; restore it from version control")
    out = LastSynced(pages=pages)
    for src, entry in pages.items():
        path = os.path.join(base, src)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise HowtoError(f"{os.path.relpath(path)}: {e.strerror or e}; {shown} lists it; "
                             "restore it from version control") from None
        if not isinstance(entry, dict) or entry.get("sha256") != _sha(text):
            raise HowtoError(
                f"{os.path.relpath(path)}: does not match its digest in {shown}: only `howto sync` and "
                "`howto export` write it (it is what the wiki and the sources last agreed on); "
                "restore it from version control"
            )
        out.texts[src] = text
    return out


def record(project: Project, texts: dict[str, str], as_of: dt.date, written_by: str) -> list[str]:
    """Make ``texts`` (src -> exported text) the last synchronised text of
    their pages; a page whose text is already that is left as it is (its
    date too).  Returns the files written."""
    current = read(project)
    base = folder(project)
    written = []
    for src, text in sorted(texts.items()):
        if current.text(src) == text:
            continue
        path = os.path.join(base, src)
        atomic.write_text(path, text)
        written.append(path)
        current.pages[src] = {"as_of": as_of.isoformat(), "sha256": _sha(text), "written_by": written_by}
    if written:
        manifest = {"pages": dict(sorted(current.pages.items()))}
        path = os.path.join(base, MANIFEST)
        atomic.write_text(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
