"""One entry point for guides: from the reader's values to a Guide, reading
the HOWTO page from the project (the CLI, the site's guide pages and the
builder's data all come through here)."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os

from xenhowto.guide import compose, fragments
from xenhowto.guide.setup import Setup, resolve
from xenhowto.ikiwiki.context import GUIDE, PageContext
from xenhowto.pages import page_name, site_url, wiki_sources
from xenhowto.project import Project

HOWTO = "ports/xen/howto.mdwn"


def page_context(project: Project, as_of: dt.date, target: str = GUIDE, src: str = HOWTO) -> PageContext:
    sources = wiki_sources(project.docs_dir)
    return PageContext(
        path=os.path.relpath(os.path.join(project.docs_dir, src)),
        page=page_name(src),
        target=target,
        site_pages={page_name(s): site_url(s) for s in sources},
        known_wiki_pages=project.known_wiki_pages,
        wiki_url=project.wiki_url,
        templates_dir=project.templates_dir,
        as_of=as_of,
    )


def _parse(project: Project, text: str, as_of: dt.date) -> tuple:
    from xenhowto.guide.compose import prose

    ctx = page_context(project, as_of)
    parsed = fragments.parse(text, ctx)
    for step in parsed:
        for piece in step.pieces:
            if piece.text is not None:
                piece.markdown = prose(piece.text, ctx)
    return tuple(parsed)


def _digest(project: Project, text: str, as_of: dt.date) -> str:
    """Changes with the page, the data, the date, the project's code or templates,
    the wiki settings (links resolve against them) and the site's pages."""
    from xenhowto.facts import _digest as data_digest

    h = hashlib.sha256(text.encode() + as_of.isoformat().encode())
    h.update(repr((sorted(project.known_wiki_pages), project.wiki_url, wiki_sources(project.docs_dir))).encode())
    from xenhowto.facts.load import default_data_dir

    h.update(data_digest(os.path.abspath(default_data_dir())).encode())  # the data the facts are read from
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for base, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(files):
            if n.endswith((".py", ".j2", ".json")):
                with open(os.path.join(base, n), "rb") as f:
                    h.update(n.encode() + f.read())
    for n in sorted(os.listdir(project.templates_dir)) if os.path.isdir(project.templates_dir) else ():
        with open(os.path.join(project.templates_dir, n), "rb") as f:
            h.update(n.encode() + f.read())
    return h.hexdigest()[:32]


@functools.lru_cache(maxsize=16)
def _steps(project: Project, as_of: dt.date, stamp: tuple) -> tuple:
    """Parsing the page takes most of a cold `howto guide`; the result depends
    only on the page, the data, the date and the code, so it is kept on disk
    under their digest (a stale entry can never match)."""
    from xenhowto import diskcache

    with open(os.path.join(project.docs_dir, HOWTO), encoding="utf-8") as f:
        text = f.read()
    return diskcache.cached("steps", _digest(project, text, as_of), lambda: _parse(project, text, as_of))


def steps(project: Project, as_of: dt.date) -> list[fragments.Step]:
    from xenhowto.facts import _stamp
    from xenhowto.facts.load import default_data_dir

    mtime = os.stat(os.path.join(project.docs_dir, HOWTO)).st_mtime_ns
    data_dir = os.path.abspath(default_data_dir())
    return list(_steps(project, as_of, (mtime, data_dir, _stamp(data_dir))))


def guide_for(project: Project, given: dict, as_of: dt.date) -> compose.Guide:
    setup: Setup = resolve(given, as_of)
    return compose.compose(setup, steps(project, as_of), page_context(project, as_of))
