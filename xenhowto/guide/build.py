"""One entry point for guides: from the reader's values to a Guide, reading
the HOWTO page from the project (the CLI, the site's guide pages and the
builder's data all come through here)."""
from __future__ import annotations

import datetime as dt
import os

from xenhowto.guide import compose, fragments
from xenhowto.guide.setup import Setup, resolve
from xenhowto.ikiwiki.context import GUIDE, PageContext
from xenhowto.findings import HowtoError
from xenhowto.memo import KeptWhile
from xenhowto.pages import page_name, read_page, site_url, wiki_sources
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


# inputs_digest -> {prose piece: its guide markdown}: `mkdocs serve` parses the
# page again after each edit, for each day it needs, and most pieces are as they were
_PROSE: dict[str, dict] = {}


def _parse(project: Project, text: str, as_of: dt.date) -> tuple:
    from xenhowto.guide.compose import prose

    ctx = page_context(project, as_of)
    inputs = inputs_digest(project, as_of)
    if inputs not in _PROSE and len(_PROSE) > 8:
        _PROSE.clear()
    memo = _PROSE.setdefault(inputs, {})
    parsed = fragments.parse(text, ctx, shared_as=inputs)
    for step in parsed:
        for piece in step.pieces:
            if piece.text is not None:
                if piece.text not in memo:
                    memo[piece.text] = prose(piece.text, ctx)
                piece.markdown = memo[piece.text]
    return tuple(parsed)


def project_digest(project: Project) -> str:
    """What a result made from the HOWTO depends on besides the page's text
    and the date: the data (the project's, HOWTO_DATA_DIR's, the setup
    model's), the ikiwiki templates, the wiki settings (links resolve against
    them) and the site's pages."""
    from xenhowto import buildcache, digest

    return digest.once(("project", project), lambda: digest.of(
        sorted(project.known_wiki_pages), project.wiki_url, wiki_sources(project.docs_dir),
        buildcache.data(os.path.join(project.root, "data")), digest.files(project.templates_dir)))


def inputs_digest(project: Project, as_of: dt.date) -> str:
    """``project_digest`` and the date."""
    from xenhowto import digest

    return digest.of(as_of.isoformat(), project_digest(project))


_PARSED: dict[str, tuple] = {}  # digest -> steps: this process's parses (mkdocs serve rebuilds)


def _parsed(project: Project, as_of: dt.date) -> tuple[str, str, tuple]:
    """(A digest of the page and of what parsing it depends on, ``inputs_digest``,
    the page's steps).  Parsing the page takes most of a cold `howto guide`,
    so the steps are kept on disk under that digest (a stale entry can never
    match)."""
    from xenhowto import digest

    # once per build: the builder, the guide pages and their keys each ask for every day's steps
    return digest.once(("guide-steps", project, as_of), lambda: _parsed_now(project, as_of))


def _parsed_now(project: Project, as_of: dt.date) -> tuple[str, str, tuple]:
    from xenhowto import diskcache, digest

    text, problems = read_page(os.path.join(project.docs_dir, HOWTO))
    if problems:
        raise HowtoError("the HOWTO cannot be read; guides are made from it", problems)
    inputs = inputs_digest(project, as_of)
    key = digest.of(text, inputs, digest.code(__name__))
    if key not in _PARSED:
        if len(_PARSED) > 32:
            _PARSED.clear()
        _PARSED[key] = diskcache.cached("steps", key, lambda: _parse(project, text, as_of), expect=tuple)
    return key, inputs, _PARSED[key]


def steps(project: Project, as_of: dt.date) -> list[fragments.Step]:
    return list(_parsed(project, as_of)[2])


def steps_digest(project: Project, as_of: dt.date) -> str:
    """A digest of what guides read of the page: each step and piece, in the
    guides' order, without where on the page they are (an edit elsewhere on
    the page, or one that moves lines, leaves it as it is), and the other
    inputs of the parse (``inputs_digest``)."""
    from xenhowto import digest

    key, inputs, parsed = _parsed(project, as_of)
    if (key, "content") not in _PARSED:
        in_order = sorted(parsed, key=lambda s: (s.order, s.line))
        _PARSED[key, "content"] = digest.of(inputs, [_step_digest(s) for s in in_order])
    return _PARSED[key, "content"]


# id(step) -> its digest, while the step is that object: the parser shares the
# steps of the page's unedited parts between parses (fragments.parse), so a
# rebuild digests the edited ones only
_STEP_DIGESTS = KeptWhile(limit=4096)


def _step_digest(s: fragments.Step) -> str:
    from xenhowto import digest

    return _STEP_DIGESTS.get_or_make(id(s), (s,), lambda: digest.of([
        s.id, s.title, s.order, s.when,
        [[p.when, p.text, p.kind, p.markdown,
          [p.directive.name, p.directive.params, p.directive.raw] if p.directive else None] for p in s.pieces]]))


def guide_for(project: Project, given: dict, as_of: dt.date) -> compose.Guide:
    setup: Setup = resolve(given, as_of)
    return compose.compose(setup, steps(project, as_of), page_context(project, as_of))
