"""MkDocs wiring for xenhowto.checking.examples: every example of every .mdwn
page is judged by its validator while the site builds, so `mkdocs build
--strict` fails on an invalid example with page, line and message (the
findings come from xenhowto.buildcache when nothing they depend on changed)."""
from __future__ import annotations

import datetime as dt
import logging

from xenhowto import buildcache
from xenhowto.ikiwiki.context import SITE, PageContext

_log = logging.getLogger("mkdocs.hooks.example_checks")
EXT = "xenhowto.ikiwiki"


def on_page_markdown(markdown: str, page, config, files):
    if not page.file.src_uri.endswith(".mdwn"):
        return markdown
    ext = config.mdx_configs.get(EXT, {})
    ctx = PageContext(
        path=ext.get("path") or page.file.src_uri, page=ext.get("page", ""), target=SITE,
        site_pages=ext.get("site_pages", {}), known_wiki_pages=frozenset(ext.get("known_wiki_pages", ())),
        wiki_url=ext.get("wiki_url", "https://wiki.netbsd.org/"), templates_dir=ext.get("templates_dir"),
        as_of=dt.date.fromisoformat(ext["as_of"]) if ext.get("as_of") else None,
    )
    for finding in buildcache.example_findings(markdown, ctx):
        _log.log(logging.ERROR if finding.severity == "error" else logging.INFO, str(finding))
    return markdown
