"""MkDocs wiring for xenhowto.guide.pages: the named guides become pages
under guides/, listed in the nav, and the HOWTO page gets a box linking them
(site-only: the export to the wiki does not carry it).  The pages come from
xenhowto.buildcache when nothing they depend on changed.  No logic here."""
from __future__ import annotations

import os
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof, buildcache
from xenhowto.findings import HowtoError
from xenhowto.guide import pages
from xenhowto.project import load

HOWTO = "ports/xen/howto.mdwn"
BUILDER = "guide-builder.md"


def on_config(config):
    if not os.path.exists(os.path.join(config.docs_dir, HOWTO)):
        return config  # guides are made from the HOWTO; a site without it has none
    try:
        entries = [{"All guides": pages.INDEX}] + [{n.title: pages.src_uri(n)} for n in pages.named_guides()]
    except HowtoError as e:
        raise PluginError(f"guide pages: {e.describe()}") from None
    if config.nav is not None and not any(isinstance(e, dict) and "Guides" in e for e in config.nav):
        config.nav.append({"Guides": entries})
    return config


def on_files(files: Files, config) -> Files:
    if files.get_file_from_path(HOWTO) is None:
        return files
    project = load(config.config_file_path)
    try:
        when = asof.resolve()
        made = buildcache.guide_pages(project, when, has_howto=files.get_file_from_path(HOWTO) is not None,
                                      has_builder=files.get_file_from_path(BUILDER) is not None)
        for src, markdown in made.items():
            files.append(File.generated(config, src, content=markdown))
    except HowtoError as e:
        raise PluginError(f"guide pages: {e.describe()}") from None
    return files


def on_page_content(html: str, page, config, files):
    if page.file.src_uri != HOWTO:
        return html
    here = posixpath.dirname(page.file.url.rstrip("/") + "/x")

    def url(src: str):
        f = files.get_file_from_path(src)
        return posixpath.relpath(f.url or ".", here) + "/" if f else None

    links = [(n.title, url(pages.src_uri(n))) for n in pages.named_guides()]
    box = pages.howto_box([(t, u) for t, u in links if u], url(BUILDER))
    # after the page's own table of contents, before the first section
    at = html.find("<h1 id=")  # a section, not the page's title heading
    return html[:at] + box + html[at:] if at >= 0 else box + html
