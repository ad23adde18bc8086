"""MkDocs wiring for xenhowto.last_updated: each page's "last updated" day
(Material shows page.meta.revision_date under the page; the sitemap's
<lastmod> is page.update_date, otherwise the build's clock).  Runs after
hooks/howto_history.py, which leaves the day the facts last changed a page
in page.meta["facts_changed"].  No logic here."""
from __future__ import annotations

import datetime as dt
import os

from mkdocs.structure.files import Files

from xenhowto import asof
from xenhowto.history.candidates import may_change
from xenhowto.last_updated import git_dates, last_updated

FACTS_CHANGED = "facts_changed"
HOWTO = "docs/ports/xen/howto.mdwn"


def on_env(env, config, files: Files):
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    as_of = asof.resolve()
    dates = git_dates(root)
    data = sorted(p for p in dates if p.startswith("data/"))
    for f in files.documentation_pages():
        page = f.page
        if page is None:
            continue
        if f.abs_src_path:
            sources = [os.path.relpath(f.abs_src_path, root).replace(os.sep, "/")]
            if page.markdown and may_change(page.markdown):
                sources += data
        else:  # generated from the HOWTO and the facts (guides, history, api)
            sources = [HOWTO] + data
        facts = page.meta.get(FACTS_CHANGED)
        day = last_updated(sources, dates, dt.date.fromisoformat(facts) if facts else None)
        if day is not None:
            page.meta["revision_date"] = day.isoformat()
        # the sitemap's <lastmod>: without a known day, the site's as-of date, never the clock
        page.update_date = (day or as_of).isoformat()
    return env
