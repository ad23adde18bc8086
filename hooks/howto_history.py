"""MkDocs wiring for xenhowto.history: each wiki page with fact directives
(the HOWTO) gets its history next to it (history.json), a form under its
title to read it as of one of its days, and the site a history page listing
the days.  The pages are complete by on_env, so the history is made there
with MkDocs' own rendering of the page.  `mkdocs serve` skips it (a preview
after each edit must not wait for every day's page), and so does a strict
build that has already failed.  No logic here."""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import posixpath

import markdown
import mkdocs
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof, sitepage
from xenhowto.buildcache import history_site
from xenhowto.facts import load_with_findings
from xenhowto.history import candidates, publish
from xenhowto.history.build import cache_key, page_history
from xenhowto.ikiwiki.context import SITE, PageContext
from xenhowto.pages import is_wiki_page, page_name

EXT = "xenhowto.ikiwiki"
HOWTO = "ports/xen/howto.mdwn"
PAGE = "history.md"  # the site's history page (of the HOWTO)
DATA = "history.json"  # beside each page that has a history


_log = logging.getLogger("mkdocs.hooks.howto_history")
with open(__file__, "rb") as _f:  # how the days are rendered (_renderer): part of the history's cache key
    _RENDERER = hashlib.sha256(_f.read()).hexdigest()
PREVIEW = "# History of the HOWTO\n\nThe history is made by `howto build` and `mkdocs build`, not while previewing.\n"
_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    if os.path.exists(os.path.join(config.docs_dir, HOWTO)) and config.nav is not None:
        if not any(isinstance(e, dict) and PAGE in e.values() for e in config.nav):
            config.nav.append({"HOWTO history": PAGE})
    return config


def on_files(files: Files, config) -> Files:
    if files.get_file_from_path(HOWTO) is not None:
        # filled in on_env, when the HOWTO has been rendered
        files.append(File.generated(config, PAGE, content=PREVIEW))
    return files


def _renderer(page, config, files):
    """page's markdown rendered as MkDocs renders the page, as of a day."""
    ext = config.mdx_configs[EXT]
    quiet = logging.getLogger("xenhowto.ikiwiki")  # the page's own findings were reported by its build

    def render(markdown: str, day, expanded: str) -> str:
        saved = {k: ext.get(k) for k in ("as_of", "page", "path", "expanded")}
        ext.update(as_of=day.isoformat(), expanded=expanded, page=page_name(page.file.src_uri),
                   path=os.path.relpath(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri)
        other = copy.copy(page)
        other.markdown = markdown
        quiet.disabled = True
        try:
            other.render(config, files)
        finally:
            quiet.disabled = False
            for k, v in saved.items():
                if v is None:
                    ext.pop(k, None)
                else:
                    ext[k] = v
        return other.content

    return render


def _already_failed(config) -> bool:
    """A strict build that has logged a warning fails anyway: no history for it."""
    from mkdocs.utils import CountHandler

    return bool(config.strict) and any(isinstance(h, CountHandler) and h.get_counts()
                                       for h in logging.getLogger("mkdocs").handlers)


def on_env(env, config, files: Files):
    if _serving or _already_failed(config):
        return env
    history_file = files.get_file_from_path(PAGE)
    for f in files.documentation_pages():
        page = f.page
        if not is_wiki_page(f.src_uri) or page is None or not candidates.may_change(page.markdown):
            continue
        ext = config.mdx_configs[EXT]
        data_dir = os.path.join(os.path.dirname(os.path.abspath(config.config_file_path)), "data")
        facts, findings = load_with_findings(data_dir)
        if facts is None:
            raise PluginError(f"history of {f.src_uri}: the data has problems: {findings[0]}")
        path = os.path.relpath(f.abs_src_path) if f.abs_src_path else f.src_uri
        ctx = PageContext(path=path, page=page_name(f.src_uri), target=SITE,
                          site_pages=ext.get("site_pages", {}),
                          known_wiki_pages=frozenset(ext.get("known_wiki_pages", ())),
                          wiki_url=ext.get("wiki_url", "https://wiki.netbsd.org/"),
                          templates_dir=ext.get("templates_dir"))
        settings = json.dumps([config.mdx_configs, repr(config.markdown_extensions), markdown.__version__,
                               mkdocs.__version__, _RENDERER], sort_keys=True, default=str)
        key = cache_key(page.markdown, settings, data_dir, ext.get("templates_dir") or "")
        here = posixpath.dirname(f.url.rstrip("/") + "/x")
        with_page = history_file is not None and f.src_uri == HOWTO
        history_url = posixpath.relpath(history_file.url, here) + "/" if with_page else None
        link = posixpath.relpath(f.src_uri, posixpath.dirname(history_file.src_uri) or ".") if with_page else None
        title = page.meta.get("title") or page.title
        when = asof.resolve()
        made = history_site(key, when, DATA, history_url, title, link, lambda: publish.site_parts(
            page_history(page.markdown, ctx, facts, when, _renderer(page, config, files), key),
            facts, DATA, history_url, title, link))
        for note in made.left_out:
            _log.info(f"{path}: {note}")
        if made.json is None:
            continue
        src = posixpath.join(posixpath.dirname(f.dest_uri), DATA)
        files.append(File.generated(config, src, content=made.json))
        page.meta["facts_changed"] = made.last_day  # for hooks/last_updated.py
        page.meta["history_days"] = made.days  # for hooks/guide_builder.py
        heading, rest = sitepage.split_title(page.content)
        page.content = heading + made.switcher + '<div class="howto-history__page">' + rest + "</div>\n"
        if with_page:
            hp = history_file.page
            hp.markdown = made.page_markdown
            hp.render(config, files)
    return env
