"""MkDocs wiring for the "Build your guide" page (docs/guide-builder.md): the
builder's data (xenhowto.guide.editions.builder_data) becomes a file of the
site next to that page, where docs/javascripts/guide-builder.js reads it
(from xenhowto.buildcache when nothing it depends on changed).  It is made
in on_env, after hooks/howto_history.py has found the HOWTO's days (the
page's meta ``history_days``; none while `mkdocs serve` previews), so that
the builder can be read as of each of them.  No logic here."""
from __future__ import annotations

import datetime as dt
import logging
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof
from xenhowto.findings import HowtoError

PAGE = "guide-builder.md"
DATA = "guide-builder.json"  # the page's data-guide-builder attribute names it
_log = logging.getLogger("mkdocs.hooks.guide_builder")


def data_text(config_file: str, as_of, history_days=()) -> tuple[str, list[str]]:
    from xenhowto import buildcache
    from xenhowto.project import load

    return buildcache.builder_json(load(config_file), as_of, history_days)


def on_env(env, config, files: Files):
    from xenhowto.guide.build import HOWTO

    page, howto = files.get_file_from_path(PAGE), files.get_file_from_path(HOWTO)
    if page is None or howto is None:
        # a site without the page or the HOWTO (the tests' small projects) has no builder
        _log.debug(f"{PAGE} or {HOWTO} is not in {config.docs_dir}: no guide builder data")
        return env
    days = (howto.page.meta.get("history_days") if howto.page else None) or ()
    try:
        text, left_out = data_text(config.config_file_path, asof.resolve(), [dt.date.fromisoformat(d) for d in days])
    except HowtoError as e:
        raise PluginError(f"guide builder data: {e.describe()}") from None
    except ValueError as e:  # a history day that is not a date
        raise PluginError(f"guide builder data: {e}") from None
    for note in left_out:
        _log.info(note)
    src = posixpath.join(posixpath.dirname(page.dest_uri), DATA)
    files.append(File.generated(config, src, content=text))
    return env
