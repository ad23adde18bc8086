"""MkDocs wiring for the ikiwiki extension (xenhowto.ikiwiki); no logic here.

- .mdwn files under docs/ become pages (MkDocs only knows .md);
- each page's wiki name, source path and the site's pages go to the
  extension's config just before MkDocs renders that page;
- the extension's findings go to MkDocs' log, so --strict fails on them;
- [[!meta title=...]] (else ikiwiki's title from the page name) becomes the
  page title and its visible heading, as the wiki's page header shows it (as
  text: the theme prints page.meta.title unescaped, so it holds it escaped);
- a wiki page's address on the wiki goes to page.meta.wiki_page (overrides/main.html links it);
- every page but the site's own hand-written .md pages is sanitized as the
  wiki's htmlscrubber does (the wiki pages and the guides made from them);
- the facts, and the files the caches' keys read, are read once per build (xenhowto.buildcache.begin);
  `mkdocs serve` reads at startup what the first rebuild after an edit needs (buildcache.prepare_serve).
"""
from __future__ import annotations

import logging
import os

from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import AnchorLink, TableOfContents

from xenhowto import asof, buildcache
from xenhowto import sitepage
from xenhowto.ikiwiki.directives.meta import shown_title, title_of
from xenhowto.ikiwiki.expand import page_directives
from xenhowto.ikiwiki.htmlscrubber import inert_text
from xenhowto.ikiwiki.wikilinks import wiki_page_url
from xenhowto.pages import is_wiki_page, page_name, read_page

EXT = "xenhowto.ikiwiki"
_log = logging.getLogger("mkdocs.hooks.ikiwiki")


class _ToMkDocsLog(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _log.log(record.levelno, record.getMessage())


class MdwnFile(File):
    """A .mdwn source that MkDocs renders as a documentation page."""

    def is_documentation_page(self) -> bool:
        return True


def on_config(config):
    source = logging.getLogger("xenhowto")
    if not any(isinstance(h, _ToMkDocsLog) for h in source.handlers):
        source.addHandler(_ToMkDocsLog())
        source.propagate = False
    ext = config.mdx_configs.setdefault(EXT, {})
    ext["as_of"] = asof.resolve().isoformat()
    ext.setdefault("templates_dir", os.path.join(config.docs_dir, "templates"))
    return config


def on_files(files: Files, config) -> Files:
    out = []
    for f in files:
        if is_wiki_page(f.src_uri):
            f = MdwnFile(f.src_uri, f.src_dir, f.dest_dir, f.use_directory_urls, inclusion=f.inclusion)
        out.append(f)
    pages = {page_name(f.src_uri): f.url if f.url != "./" else "" for f in out if f.is_documentation_page()}
    config.mdx_configs[EXT]["site_pages"] = pages
    return Files(out)


def on_page_read_source(page, config):
    """A wiki page is read as the check and the export read it (xenhowto.pages):
    a FIFO, a huge file or bytes that are not UTF-8 are an error at file:line."""
    if not isinstance(page.file, MdwnFile):
        return None
    text, findings = read_page(page.file.abs_src_path, os.path.relpath(page.file.abs_src_path))
    for finding in findings:
        _log.error(str(finding))
    page.ikiwiki_source = text
    return text


def on_page_markdown(markdown: str, page, config, files):
    if isinstance(page.file, MdwnFile):
        # ikiwiki has no "Key: value" header: MkDocs must not eat a first line like "Warning: ..."
        source = getattr(page, "ikiwiki_source", None)
        if source is None:  # (read by another plugin's on_page_read_source)
            source = on_page_read_source(page, config)
        markdown, page.meta = source, {}
    ext = config.mdx_configs[EXT]
    ext["page"] = page_name(page.file.src_uri)
    ext["path"] = os.path.relpath(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri
    ext["scrub"] = isinstance(page.file, MdwnFile) or page.file.generated_by is not None
    found = page_directives(markdown)
    title = shown_title(ext["page"], found) if is_wiki_page(page.file.src_uri) else title_of(found)
    if title and "title" not in page.meta:
        page.meta["title"] = inert_text(title)
        page.ikiwiki_title = title
    if isinstance(page.file, MdwnFile) and ext.get("wiki_url"):
        page.meta["wiki_page"] = wiki_page_url(ext["wiki_url"], ext["page"])
    return markdown


def on_startup(command, dirty):
    if command == "serve":
        buildcache.prepare_serve()


def on_pre_build(config):
    buildcache.begin()  # the facts and the files the caches' keys read: once per build


def on_post_build(config):
    buildcache.end()


def on_build_error(error):
    buildcache.end()


def on_serve(server, config, builder):
    """mkdocs serve: rebuild when the dated facts in data/ change."""
    data_dir = os.path.join(os.path.dirname(os.path.abspath(config.config_file_path)), "data")
    if os.path.isdir(data_dir):
        server.watch(data_dir)
    return server


def on_page_content(html: str, page, config, files):
    if not is_wiki_page(page.file.src_uri):
        return html
    # Material shows only the first <h1>'s children in its sidebar, taking that
    # <h1> for the page title; wiki pages have several top-level sections.
    if page.toc and len(page.toc.items) > 1 and page.toc.items[0].level == 1:
        root = AnchorLink(page.meta["title"], page.toc.items[0].id, 0)
        root.children = list(page.toc.items)
        page.toc = TableOfContents([root])
    return sitepage.with_title(html, getattr(page, "ikiwiki_title", None) or page.meta["title"])
