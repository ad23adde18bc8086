"""Which files of docs/ are wiki pages, and their names and site URLs.

A wiki page is a ``.mdwn`` file; its name is its path without the extension
(``docs/ports/xen/howto.mdwn`` is ``ports/xen/howto``), as on the NetBSD wiki.
``templates/`` holds ikiwiki templates, not pages."""
from __future__ import annotations

import os

from xenhowto.findings import Finding

PAGE_SUFFIXES = (".mdwn", ".md")
NOT_PAGES = ("templates/",)


def page_name(src_uri: str) -> str:
    for suffix in PAGE_SUFFIXES:
        if src_uri.endswith(suffix):
            return src_uri[: -len(suffix)]
    return src_uri


def site_url(src_uri: str) -> str:
    """URL relative to the site root with MkDocs' directory URLs."""
    name = page_name(src_uri)
    if name == "index" or name.endswith("/index"):
        return name[: -len("index")]
    return name + "/"


def is_wiki_page(src_uri: str) -> bool:
    return src_uri.endswith(".mdwn") and not src_uri.startswith(NOT_PAGES)


def wiki_sources(docs_dir: str) -> list[str]:
    """src_uris of the .mdwn pages under docs_dir, sorted (deterministic); a
    build lists them once (``digest.once``: each page context and key asks)."""
    from xenhowto import digest

    return list(digest.once(("wiki-sources", docs_dir), lambda: _wiki_sources(docs_dir)))


def _wiki_sources(docs_dir: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(docs_dir):
        dirs.sort()
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), docs_dir).replace(os.sep, "/")
            if is_wiki_page(rel):
                found.append(rel)
    return sorted(found)


# A page larger than this is not a page (the HOWTO is about 100 KB).
MAX_PAGE_BYTES = 8 * 1024 * 1024


def read_page(path: str, shown: str | None = None) -> tuple[str, list[Finding]]:
    """A wiki page's text, the one way the build, the check, the export and
    the guides read it: a problem (not a regular file, too large, not UTF-8)
    is a finding; the text is still returned when there is one to render."""
    from xenhowto.inputs import InputError, read_text

    shown = shown or os.path.relpath(path)
    try:
        text, problem = read_text(path, MAX_PAGE_BYTES, "page")
    except InputError as e:
        return "", [Finding(shown, 1, str(e))]
    return text, [Finding(shown, *problem)] if problem else []
