"""Build the site and the export of a project, render the export with ikiwiki
and compare every wiki page's outline: the whole parity check in one call."""
from __future__ import annotations

import datetime as dt
import os

from xenhowto.export import export
from xenhowto.findings import HowtoError
from xenhowto.pages import page_name, site_url, wiki_sources
from xenhowto.parity import ikiwiki_render
from xenhowto.parity.outline import IKIWIKI, MKDOCS, Outline, diff, extract
from xenhowto.project import Project, load
from xenhowto.site import build


def ikiwiki_url(page: str) -> str:
    """URL path of a wiki page relative to the wiki root (usedirs)."""
    return "" if page == "index" else page + "/"


def outlines(project: Project, site_dir: str, workdir: str, as_of: dt.date) -> dict[str, tuple[Outline, Outline]]:
    """{wiki page name: (our site's outline, ikiwiki's outline)} for a site
    already built into site_dir; the export and ikiwiki's rendering are left
    under workdir."""
    sources = wiki_sources(project.docs_dir)
    if not sources:
        raise HowtoError(f"{project.docs_dir}: no .mdwn pages to compare")
    export_dir = os.path.join(workdir, "export")
    export(project, export_dir, as_of)
    wiki = ikiwiki_render.render(
        export_dir, os.path.join(workdir, "ikiwiki"),
        templates_dir=project.templates_dir, known_wiki_pages=project.known_wiki_pages,
    )
    out = {}
    for src in sources:
        name = page_name(src)
        with open(os.path.join(site_dir, site_url(src), "index.html"), encoding="utf-8") as f:
            ours = extract(f.read(), MKDOCS, site_url(src), project.wiki_url)
        theirs = extract(wiki[name], IKIWIKI, ikiwiki_url(name), project.wiki_url)
        out[name] = (ours, theirs)
    return out


def compare(config_file: str, workdir: str, as_of: dt.date) -> dict[str, list[str]]:
    """Build the site (strict) and the export of the project, render the
    export with ikiwiki: {wiki page name: differences}; [] is parity."""
    project = load(config_file)
    site_dir = build(config_file, os.path.join(workdir, "site"), as_of.isoformat(), quiet=True)
    pages = outlines(project, site_dir, workdir, as_of)
    return {name: diff(ours, theirs) for name, (ours, theirs) in pages.items()}
