"""The site build's costly results, kept on disk (``xenhowto.diskcache``)
under a digest of exactly what each depends on (``xenhowto.digest``), so a
build recomputes only what an edit changed and never serves a stale result:

- ``example_findings``: every example of a page judged by its validator
  (the page's text and settings, the data, the templates, the checking code;
  each example's verdict is also kept by itself, ``checking.examples``);
- ``builder_json``: the guide builder's data (the guides' steps as parsed
  from the page, not the page's other text; the data, the templates, the
  builder's code);
- ``guide_page`` and ``guides_index``: the site's guide pages (likewise);
- ``api_files``: the files of api/ (the data, the date, the site's URL and
  name, the API's code);
- ``history_site``: what the site shows of the HOWTO's history (the days
  themselves are kept by ``history.build``).

Each function wraps the one that computes the result and computes nothing
itself, and reads no module it does not need on a hit (a warm build imports
neither the validators nor the API's feed and calendar libraries).
"""
from __future__ import annotations

import datetime as dt
import os

from xenhowto import diskcache, digest


def data(*dirs: str | None) -> str:
    """The data a rule may read: ``dirs`` (the project's data/), the default
    data directory of ``xenhowto.facts`` and that of the setup model."""
    from xenhowto.facts import data_digest
    from xenhowto.facts.load import default_data_dir
    from xenhowto.guide.model import data_dir as model_dir

    found = {os.path.realpath(d) for d in (*dirs, default_data_dir(), model_dir()) if d and os.path.isdir(d)}
    return digest.of([data_digest(d) for d in sorted(found)])


# --- examples -------------------------------------------------------------------

def example_findings(markdown: str, ctx) -> list:
    """``checking.examples.validate(collect(markdown, ctx), ctx.path)``."""
    from xenhowto import asof
    from xenhowto.ikiwiki.directives._facts import data_dir
    from xenhowto.validators.libxlutil import library_files

    def compute():
        from xenhowto.checking import examples

        return examples.validate(examples.collect(markdown, ctx), ctx.path)

    settings = [ctx.path, ctx.page, ctx.target, sorted(ctx.site_pages.items()), sorted(ctx.known_wiki_pages),
                ctx.wiki_url, ctx.templates_dir, (ctx.as_of or asof.resolve()).isoformat()]
    tools = [digest.tool(p) for p in ("shellcheck", "sh", *library_files())]
    key = digest.of(markdown, settings, data(data_dir(ctx)), digest.files(ctx.templates_dir or "-"), tools,
                    digest.code("xenhowto.checking.examples"))
    return diskcache.cached("page-examples", key, compute)


# --- guides ---------------------------------------------------------------------

def _guides_key(project, as_of: dt.date, *modules: str) -> str:
    """The steps the page gives guides at ``as_of`` (their text, not where on
    the page they are), the inputs of the page's parsing and ``modules``' code."""
    from xenhowto.guide import build

    return digest.of(build.steps_digest(project, as_of), build.inputs_digest(project, as_of),
                     data(os.path.join(project.root, "data")), digest.code(*modules))


def builder_json(project, as_of: dt.date) -> str:
    """The guide builder's data file (``guide.matrix.builder_json``)."""
    from xenhowto.guide import model

    named = sorted({str(n.as_of) for n in model.load().named if n.as_of})
    key = digest.of(as_of.isoformat(), [_guides_key(project, dt.date.fromisoformat(d), "xenhowto.guide.matrix")
                                         for d in [as_of.isoformat(), *named] if d <= as_of.isoformat()],
                    _guides_key(project, as_of, "xenhowto.guide.matrix"))

    def compute():
        from xenhowto.guide.matrix import builder_json as uncached

        return uncached(project, as_of)

    return diskcache.cached("builder", key, compute)


def guide_page(project, named, as_of: dt.date) -> str:
    """A named guide's page (``guide.pages.page_markdown``)."""
    from xenhowto.guide import pages

    day = pages.guide_date(named, as_of)
    key = digest.of(repr(named), as_of.isoformat(), _guides_key(project, day, "xenhowto.guide.pages"))
    return diskcache.cached("guide-page", key, lambda: pages.page_markdown(project, named, as_of))


def guides_index(project, as_of: dt.date, has_howto: bool, has_builder: bool) -> str:
    """The index of the guides (``guide.pages.index_markdown``)."""
    from xenhowto.guide import pages

    key = digest.of(as_of.isoformat(), has_howto, has_builder, [repr(n) for n in pages.named_guides()],
                    data(os.path.join(project.root, "data")), digest.code("xenhowto.guide.pages"))
    return diskcache.cached("guides-index", key, lambda: pages.index_markdown(
        has_howto=has_howto, has_builder=has_builder, project=project, as_of=as_of))


# --- api/ ---------------------------------------------------------------------

def api_files(data_dir: str, as_of: dt.date, site_url: str, title: str) -> dict[str, bytes]:
    """Every file of api/ and its page (``api.publish.files``, ``api.docs.markdown``),
    the page under ``api.docs.PAGE``; HowtoError when the data has problems."""
    def compute():
        from xenhowto.api import docs, publish
        from xenhowto.facts import load_facts

        out = publish.files(load_facts(data_dir), as_of, site_url, title)  # HowtoError with the findings
        out[docs.PAGE] = docs.markdown(as_of, site_url).encode("utf-8")
        return out

    key = digest.of(as_of.isoformat(), site_url, title, data(data_dir),
                    digest.code("xenhowto.api.publish", "xenhowto.api.docs"))
    return diskcache.cached("api", key, compute)


# --- the history ------------------------------------------------------------------

def history_site(history_key: str, as_of: dt.date, json_url: str, history_url: str | None, title: str,
                 page_url: str | None, compute):
    """What the site shows of a page's history (``history.publish.site_parts``,
    ``compute`` makes it): ``history_key`` (``history.build.cache_key``) covers
    the page, the renderer, the data, the templates and the code that finds
    the days; the rest is how the site links it."""
    key = digest.of(history_key, as_of.isoformat(), json_url, history_url, title, page_url,
                    digest.code("xenhowto.history.publish"))
    return diskcache.cached("history-site", key, compute)
