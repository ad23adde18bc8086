"""The site build's costly results, kept on disk (``xenhowto.diskcache``)
under a digest of exactly what each depends on (``xenhowto.digest``), so a
build recomputes only what an edit changed and never serves a stale result:

- ``expansion``: a page's ikiwiki expansion (the page's text and settings,
  the data, the templates, the code that expands it), for the extension;
- ``example_findings``: every example of a page judged by its validator
  (the page's text and settings, the data, the templates, the checking code;
  each example's verdict is also kept by itself, ``checking.examples``);
- ``builder_json``: the guide builder's data (each day's edition under the
  guides' steps as parsed from the page that day, not the page's other
  text; the data, the templates, the builder's code);
- ``guide_pages``: the site's guide pages (likewise);
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


# What a rebuild after an edit reuses from the process when the build before
# it computed them, not when it read them from disk: the parsed steps' prose,
# the fact directives' output, the examples filled, the builder's pieces.
SERVE_WARM_KINDS = ("expansion", "page-examples", "steps", "guide-page", "builder", "builder-edition")
_warm_next_build = False


def begin() -> None:
    """A build begins: it takes the facts, the setup model and the files its
    keys read as they are now, once (``facts.pin``, ``model.pin``,
    ``digest.pin``; `mkdocs serve` reads them anew for each rebuild)."""
    from xenhowto import facts
    from xenhowto.guide import model

    global _warm_next_build
    facts.pin(fresh=True)
    model.pin(fresh=True)
    digest.pin(fresh=True)
    diskcache.recompute(SERVE_WARM_KINDS if _warm_next_build else ())
    _warm_next_build = False


def prepare_serve() -> None:
    """`mkdocs serve` starts: read now what the first rebuild after an edit
    needs and a build with warm caches does not (the facts, the setup model,
    the snippet templates compiled), and have the first build compute the
    page's results (``SERVE_WARM_KINDS``) instead of reading them, so that
    the first preview after an edit is as quick as the next ones."""
    global _warm_next_build
    _warm_next_build = True
    from xenhowto import examples
    from xenhowto.facts import load_with_findings
    from xenhowto.findings import HowtoError
    from xenhowto.guide import model

    try:
        load_with_findings()
        model.load()
    except HowtoError:
        return  # the build reports it
    for name in examples.template_names():
        examples.template_variables(name)
        examples._env.get_template(name + ".j2")


def end() -> None:
    from xenhowto import facts
    from xenhowto.guide import model

    diskcache.recompute(())
    facts.unpin()
    model.unpin()
    digest.unpin()
    diskcache.prune()  # once a day, and sooner after a quarter of its budget was written


def _cached(kind: str, key: str, compute):
    """``diskcache.cached`` under ``key`` and this module's source (how each
    result is asked for and what it holds)."""
    return diskcache.cached(kind, digest.of(key, digest.files(__file__)), compute)


def data(*dirs: str | None) -> str:
    """The data a rule may read: ``dirs`` (the project's data/), the default
    data directory of ``xenhowto.facts`` and that of the setup model."""
    from xenhowto.facts import data_digest
    from xenhowto.facts.load import default_data_dir
    from xenhowto.guide.model import data_dir as model_dir

    found = {os.path.realpath(d) for d in (*dirs, default_data_dir(), model_dir()) if d and os.path.isdir(d)}
    return digest.of([data_digest(d) for d in sorted(found)])


def _settings(ctx) -> list:
    """What of a page's context its expansion reads (the date: the page's, else the build's)."""
    from xenhowto import asof

    return [ctx.path, ctx.page, ctx.target, sorted(ctx.site_pages.items()), sorted(ctx.known_wiki_pages),
            ctx.wiki_url, ctx.templates_dir, (ctx.as_of or asof.resolve()).isoformat()]


# --- pages ------------------------------------------------------------------------

def expansion(text: str, ctx) -> str:
    """``ikiwiki.expand.expand(text, ctx)``, its findings and meta added to ``ctx``
    as expanding adds them (a page with directives only: the others expand at once)."""
    from xenhowto.ikiwiki.directives._facts import data_dir
    from xenhowto.ikiwiki.expand import expand

    if "[[!" not in text:
        return expand(text, ctx)

    expanded_here = []

    def compute():
        expanded_here.append(True)
        before = len(ctx.findings)
        out = expand(text, ctx)
        return out, ctx.findings[before:], dict(ctx.meta)

    key = digest.of(text, _settings(ctx), data(data_dir(ctx)), digest.files(ctx.templates_dir or "-"),
                    digest.code("xenhowto.ikiwiki.expand"))
    out, findings, meta = _cached("expansion", key, compute)
    if not expanded_here:  # from the cache: what expanding would have added to ctx
        ctx.findings.extend(findings)
        ctx.meta.update(meta)
    return out


# --- examples -------------------------------------------------------------------

def example_findings(markdown: str, ctx) -> list:
    """``checking.examples.validate(collect(markdown, ctx), ctx.path)``."""
    from xenhowto.checking.examples import judges
    from xenhowto.ikiwiki.directives._facts import data_dir

    def compute():
        from xenhowto.checking import examples

        return examples.validate(examples.collect(markdown, ctx), ctx.path)

    key = digest.of(markdown, _settings(ctx), data(data_dir(ctx)), digest.files(ctx.templates_dir or "-"), judges(),
                    digest.code("xenhowto.checking.examples"))
    return _cached("page-examples", key, compute)


# --- guides ---------------------------------------------------------------------

def guides_key(project, as_of: dt.date, *modules: str) -> str:
    """The steps the page gives guides at ``as_of`` (their text, not where on
    the page they are), the other inputs of the page's parsing, the data and
    ``modules``' code."""
    from xenhowto.guide import build

    return digest.of(build.steps_digest(project, as_of), data(os.path.join(project.root, "data")),
                     digest.code(*modules))


_PIECES: dict[str, dict] = {}  # the last build's builder pieces, by their key


def builder_json(project, as_of: dt.date, history_days=()) -> tuple[str, list[str]]:
    """The guide builder's data file (``guide.editions.builder_data`` as JSON)
    and the days it left out.  The file is kept under the page, the days, the
    data and the code; each day's edition under that day's steps
    (``editions.edition``), so an edit outside the steps rebuilds no edition."""
    import json

    from xenhowto.guide import build
    from xenhowto.guide.build import HOWTO

    with open(os.path.join(project.docs_dir, HOWTO), "rb") as f:
        page = f.read()
    days = sorted({d.isoformat() for d in history_days})
    key = digest.of(as_of.isoformat(), days, page, build.project_digest(project),
                    data(os.path.join(project.root, "data")), digest.code("xenhowto.guide.editions"))

    def compute():
        from xenhowto.guide import editions
        from xenhowto.guide.matrix import _USED

        # the pieces of steps built last time: an edit of one step rebuilds that step's pieces only
        pieces_key = digest.of(build.project_digest(project), data(os.path.join(project.root, "data")),
                               digest.code("xenhowto.guide.matrix"))
        # kept in this process too (`mkdocs serve`), written back only when it learned something
        memo = _PIECES.get(pieces_key)
        if memo is None:
            memo = diskcache.load("builder-pieces", pieces_key, {}, expect=dict)
        memo.pop(_USED, None)
        known = len(memo)
        made = editions.builder_data(project, as_of, history_days, memo=memo)
        used = memo.pop(_USED, set())
        kept = {k: memo[k] for k in used}
        _PIECES.clear()
        _PIECES[pieces_key] = kept
        if len(memo) != known or len(kept) != known:
            diskcache.store("builder-pieces", pieces_key, kept)
        return json.dumps(made, ensure_ascii=False, separators=(",", ":")) + "\n", made["left_out"]

    return _cached("builder", key, compute)


def guide_pages(project, as_of: dt.date, has_howto: bool, has_builder: bool) -> dict[str, str]:
    """The site's guide pages: the index (``guide.pages.index_markdown``) and
    each named guide's (``guide.pages.page_markdown``), by their source paths."""
    from xenhowto.guide import pages

    named = pages.named_guides()
    index_key = digest.of(as_of.isoformat(), has_howto, has_builder, [repr(n) for n in named],
                          data(os.path.join(project.root, "data")), digest.code("xenhowto.guide.pages"))
    out = {pages.INDEX: _cached("guides-index", index_key, lambda: pages.index_markdown(
        has_howto=has_howto, has_builder=has_builder, project=project, as_of=as_of))}
    by_day: dict[dt.date, str] = {}
    for n in named:
        day = pages.guide_date(n, as_of)
        if day not in by_day:
            by_day[day] = guides_key(project, day, "xenhowto.guide.pages")
        key = digest.of(repr(n), as_of.isoformat(), by_day[day])
        out[pages.src_uri(n)] = _cached("guide-page", key, lambda n=n: pages.page_markdown(project, n, as_of))
    return out


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
    return _cached("api", key, compute)


# --- the history ------------------------------------------------------------------

def history_site(history_key: str, as_of: dt.date, json_url: str, history_url: str | None, title: str,
                 page_url: str | None, compute):
    """What the site shows of a page's history (``history.publish.site_parts``,
    ``compute`` makes it): ``history_key`` (``history.build.cache_key``) covers
    the page, the renderer, the data, the templates and the code that finds
    the days; the rest is how the site links it."""
    key = digest.of(history_key, as_of.isoformat(), json_url, history_url, title, page_url,
                    digest.code("xenhowto.history.publish"))
    return _cached("history-site", key, compute)
