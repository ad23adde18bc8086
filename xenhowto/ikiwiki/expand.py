"""Expanding a page's ikiwiki syntax, in ikiwiki's order: directives first
(preprocess), then wikilinks (linkify); markdown comes after.

``expand(text, ctx)`` serves both outputs:
- for the site (ctx.target == SITE) every directive and wikilink becomes
  markdown/HTML;
- for the wiki export (WIKI) the directives the NetBSD wiki has and all
  wikilinks stay verbatim, and only the project's own directives are expanded.
Problems go to ctx.findings with the source line; the text is still produced.
``expand_mapped`` gives the export with its source map (sourcemap.py).
"""
from __future__ import annotations

from dataclasses import replace

from xenhowto import conflict_markers
from xenhowto.findings import shorten
from xenhowto.ikiwiki import directives, regions, sourcemap, wikilinks
from xenhowto.ikiwiki.context import MAX_NESTING, SITE, WIKI, DirectiveError, PageContext
from xenhowto.ikiwiki.sourcemap import Mapped, Origin
from xenhowto.ikiwiki.syntax import Directive, Escaped, Unclosed, WikiLink, code_block_lines, scan, substitute


def _directive(d: Directive, ctx: PageContext) -> str:
    module = directives.REGISTRY.get(d.name)
    if module is None:
        ctx.error(d.line, f"unknown directive [[!{shorten(d.name)}]]; known directives: {directives.known_names()}")
        return d.raw if ctx.target == WIKI else ""
    try:
        out = directives.render(module, d, ctx)
    except DirectiveError as e:
        ctx.error(d.line, f"[[!{d.name}]]: {e}")
        return d.raw if ctx.target == WIKI else ""
    except Exception as e:  # a bug of ours must still name the page's line, never end the build
        ctx.error(d.line, f"[[!{d.name}]] could not be expanded ({type(e).__name__}: {shorten(str(e), 200)}); "
                          "this is a bug in the project: please report it with this line")
        return d.raw if ctx.target == WIKI else ""
    if ctx.target == WIKI and module.WIKI_NATIVE:
        return d.raw
    return out


def _nested_context(ctx: PageContext) -> PageContext:
    return replace(ctx, findings=[], sources=None, dropped=[], nesting=ctx.nesting + 1)


def _too_deep(ctx: PageContext, line: int) -> bool:
    """Directives expanding into directives past ikiwiki's limit: a finding."""
    if ctx.nesting < MAX_NESTING:
        return False
    ctx.error(line, f"directives expand into directives more than {MAX_NESTING} deep here "
                    "(as ikiwiki, this is taken for a loop); the inner ones are left unexpanded")
    return True


def _adopt(inner: PageContext, line: int, ctx: PageContext) -> None:
    """A nested expansion's problems are reported at the directive's line."""
    for f in inner.findings:
        ctx.record(replace(f, line=line))
    ctx.dropped += inner.dropped
    ctx.meta.update(inner.meta)


def _nested(text: str, line: int, ctx: PageContext) -> str:
    """Expand what a project directive produced (it may use wiki-native
    directives and wikilinks); its problems are reported at the directive's line."""
    if _too_deep(ctx, line):
        return text
    inner = _nested_context(ctx)
    out = expand(text, inner, nested=True)
    _adopt(inner, line, ctx)
    return out


def _link(link: WikiLink, ctx: PageContext) -> str:
    rendered = wikilinks.render(link, ctx)
    return link.raw if ctx.target == WIKI else rendered


def _replace(token, text: str, ctx: PageContext) -> str:
    if isinstance(token, Directive):
        out = _directive(token, ctx)
        return out if out == token.raw else _nested(out, token.line, ctx)
    if isinstance(token, WikiLink):
        return _link(token, ctx)
    if isinstance(token, Escaped):
        # the wiki needs the backslash to keep showing the brackets
        return "\\" + token.literal if ctx.target == WIKI else token.literal
    if isinstance(token, Unclosed):
        ctx.error(
            token.line,
            f"directive [[!{shorten(token.name)} is never closed: end it with ]] "
            "(quote values that contain spaces or ]; use \"\"\"...\"\"\" across lines)",
        )
        return text[token.start : token.end]
    raise AssertionError(token)


def _finish(ctx: PageContext, text: str) -> None:
    for line in conflict_markers.lines(text):
        ctx.error(line, "an unresolved conflict of `howto sync` (<<<<<<< ... >>>>>>>): keep the text "
                  "that is right, delete the markers, then run `howto sync` again")
    for module in directives.REGISTRY.values():
        finish = getattr(module, "finish", None)
        if finish:
            finish(ctx)
    ctx.summarize()


def expand(text: str, ctx: PageContext, nested: bool = False) -> str:
    if ctx.target == WIKI:
        return expand_mapped(text, ctx, nested).text
    if ctx.target == SITE:
        # the full page at its as-of date: regions no available setup meets go (ikiwiki.regions)
        reduced, lines = regions.reduce(text, ctx)
        first = len(ctx.findings)
        out = _expand(reduced, ctx, nested)
        _page_lines(ctx, first, reduced, lines)
        return out
    return _expand(text, ctx, nested)


def _page_lines(ctx: PageContext, first: int, reduced: str, lines: list[int]) -> None:
    """Findings since ``first`` point at the page's lines, not the reduced text's."""
    if len(lines) < reduced.count("\n") + 1 or lines != list(range(1, len(lines) + 1)):
        ctx.findings[first:] = [replace(f, line=lines[min(max(f.line, 1), len(lines)) - 1])
                                for f in ctx.findings[first:]]


def _expand(text: str, ctx: PageContext, nested: bool) -> str:
    out = substitute(text, lambda token: _replace(token, text, ctx))
    if not nested:
        _finish(ctx, text)
    return out


def expand_mapped(text: str, ctx: PageContext, nested: bool = False) -> Mapped:
    """The wiki export of ``text`` and the origin of each of its lines (the
    full page at its as-of date: regions no available setup meets go)."""
    if ctx.target != WIKI:
        raise ValueError("expand_mapped is for the wiki export")
    cuts = regions.cuts(text, ctx)
    reduced, lines = regions.apply(text, cuts)
    first = len(ctx.findings)
    mapped = _blocks(reduced, ctx, nested)
    _page_lines(ctx, first, reduced, lines)
    if cuts:
        mapped = sourcemap.uncut(mapped, text, reduced, cuts, lines)
    return sourcemap.finish(text, mapped) if not nested else mapped


def _blocks(text: str, ctx: PageContext, nested: bool) -> Mapped:
    """A project directive alone on its lines is replaced by its block without
    extra blank lines, and one that produces nothing takes its line (and a
    blank line, when that would leave two) with it, so the wiki source reads
    as if written by hand.  A directive that makes inline text (its module
    says INLINE) stays in its paragraph.  Everything else (text, wikilinks,
    the wiki's own directives) is copied verbatim."""
    chunks: list = []
    tail = ""  # the last characters written, to see a blank line before a cut
    written = False

    def write(chunk) -> None:
        nonlocal tail, written
        piece = text[chunk[0]:chunk[1]] if isinstance(chunk, tuple) else chunk.text
        chunks.append(chunk)  # empty ones too: an empty block marks its line generated, empty text its place
        if piece:
            tail, written = (tail + piece)[-2:], True

    pos = 0
    for token in scan(text):
        start, end = token.start, token.end
        if not isinstance(token, Directive):
            _replace(token, text, ctx)  # verbatim in the export; its problems are still reported
            continue
        block = _directive_mapped(token, ctx)
        if block is None:
            continue
        inline = bool(getattr(directives.REGISTRY.get(token.name), "INLINE", False))
        alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
        if inline or not alone:
            block = _rstrip(block)  # the source's own line break follows
        else:
            block = _as_block(block, token, text, before=tail + text[pos:start])
            if not block.text:
                end = min(end + 1, len(text))
        write((pos, start))
        if block.text or not alone or inline:
            write(block)
        pos = end
        if not block.text and alone and (tail == "\n\n" or not written) and text.startswith("\n", pos):
            pos += 1  # the line it leaves would make two blank lines
    write((pos, len(text)))
    out = "".join(text[c[0]:c[1]] if isinstance(c, tuple) else c.text for c in chunks)
    mapped = Mapped(out, sourcemap.assemble(text, chunks))
    if not nested:
        _finish(ctx, text)
    return mapped


def _rstrip(block: Mapped) -> Mapped:
    trail = len(block.text) - len(block.text.rstrip("\n"))
    return Mapped(block.text[:len(block.text) - trail], block.lines[:len(block.lines) - trail])


def _directive_mapped(d: Directive, ctx: PageContext) -> Mapped | None:
    """A project directive's expansion with its origins; None when the export keeps it verbatim."""
    saved, ctx.sources = ctx.sources, []
    try:
        out = _directive(d, ctx)
        noted = ctx.sources
    finally:
        ctx.sources = saved
    if out == d.raw or _too_deep(ctx, d.line):
        return None
    inner = _nested_context(ctx)
    nested = expand_mapped(out, inner, nested=True)
    _adopt(inner, d.line, ctx)
    hand_written = getattr(directives.REGISTRY.get(d.name), "hand_written", None)
    written = hand_written(d, out) if hand_written else None
    return sourcemap.compose(nested, out, d, written, noted)


def _as_block(block: Mapped, d: Directive, text: str, before: str) -> Mapped:
    """Without its own leading and trailing blank lines, but with a blank line
    on each side where there is none (``before``: what the output will end
    with), so a block stays a block."""
    body, lines = block.text, block.lines
    lead = len(body) - len(body.lstrip("\n"))
    trail = len(body) - len(body.rstrip("\n")) if body.strip("\n") else 0
    body = body.strip("\n")
    lines = lines[lead : len(lines) - trail] if body else []
    if not body:
        return Mapped("", [])
    pad = Origin(line=d.line, directive=d.name)
    start, end = d.start, d.end
    if start >= 2 and not before.endswith("\n\n"):
        body, lines = "\n" + body, [pad, *lines]
    if end + 1 < len(text) and text[end + 1] != "\n":
        body, lines = body + "\n", [*lines, pad]
    return Mapped(body, lines)


def code_warnings(text: str, ctx: PageContext) -> None:
    """Warn about directives/wikilinks in code blocks: ikiwiki expands them there
    too, which is rarely what the author meant (escape them as \\[[)."""
    code = code_block_lines(text)
    for token in scan(text):
        if isinstance(token, (Directive, WikiLink)) and token.line in code:
            ctx.warn(
                token.line,
                f"{shorten(token.raw.splitlines()[0])} is inside a code block; ikiwiki expands it there too. "
                "Write \\[[ if it should show literally",
            )
    ctx.summarize()


def page_directives(text: str) -> list[Directive]:
    return [t for t in scan(text) if isinstance(t, Directive)]
