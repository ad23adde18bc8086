"""One entry point for guides: from the reader's values to a Guide, reading
the HOWTO page from the project (the CLI, the site's guide pages and the
builder's data all come through here)."""
from __future__ import annotations

import datetime as dt
import functools
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


@functools.lru_cache(maxsize=16)
def _steps(project: Project, as_of: dt.date, mtime: int) -> tuple:
    with open(os.path.join(project.docs_dir, HOWTO), encoding="utf-8") as f:
        text = f.read()
    return tuple(fragments.parse(text, page_context(project, as_of)))


def steps(project: Project, as_of: dt.date) -> list[fragments.Step]:
    mtime = os.stat(os.path.join(project.docs_dir, HOWTO)).st_mtime_ns
    return list(_steps(project, as_of, mtime))


def guide_for(project: Project, given: dict, as_of: dt.date) -> compose.Guide:
    setup: Setup = resolve(given, as_of)
    return compose.compose(setup, steps(project, as_of), page_context(project, as_of))
