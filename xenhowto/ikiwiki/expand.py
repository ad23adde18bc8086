"""Expanding a page's ikiwiki syntax, in ikiwiki's order: directives first
(preprocess), then wikilinks (linkify); markdown comes after.

``expand(text, ctx)`` serves both outputs:
- for the site (ctx.target == SITE) every directive and wikilink becomes
  markdown/HTML;
- for the wiki export (WIKI) the directives the NetBSD wiki has and all
  wikilinks stay verbatim, and only the project's own directives are expanded.
Problems go to ctx.findings with the source line; the text is still produced.
"""
from __future__ import annotations

from dataclasses import replace

from xenhowto.ikiwiki import directives, regions, wikilinks
from xenhowto.ikiwiki.context import SITE, WIKI, DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive, Escaped, Unclosed, WikiLink, code_block_lines, scan, substitute


def _directive(d: Directive, ctx: PageContext) -> str:
    module = directives.REGISTRY.get(d.name)
    if module is None:
        ctx.error(d.line, f"unknown directive [[!{d.name}]]; known directives: {directives.known_names()}")
        return d.raw if ctx.target == WIKI else ""
    try:
        out = module.render(d, ctx)
    except DirectiveError as e:
        ctx.error(d.line, f"[[!{d.name}]]: {e}")
        return d.raw if ctx.target == WIKI else ""
    if ctx.target == WIKI and module.WIKI_NATIVE:
        return d.raw
    return out


def _nested(text: str, line: int, ctx: PageContext) -> str:
    """Expand what a project directive produced (it may use wiki-native
    directives and wikilinks); its problems are reported at the directive's line."""
    inner = replace(ctx, findings=[])
    out = expand(text, inner, nested=True)
    ctx.findings.extend(replace(f, line=line) for f in inner.findings)
    ctx.meta.update(inner.meta)
    return out


def _link(link: WikiLink, ctx: PageContext) -> str:
    rendered = wikilinks.render(link, ctx)
    return link.raw if ctx.target == WIKI else rendered


def expand(text: str, ctx: PageContext, nested: bool = False) -> str:
    if ctx.target in (SITE, WIKI):
        # the full page at its as-of date: regions no available setup meets go (ikiwiki.regions)
        text, lines = regions.reduce(text, ctx)
        first = len(ctx.findings)
        out = _expand(text, ctx, nested)
        if len(lines) < text.count("\n") + 1 or lines != list(range(1, len(lines) + 1)):
            ctx.findings[first:] = [replace(f, line=lines[min(max(f.line, 1), len(lines)) - 1])
                                    for f in ctx.findings[first:]]
        return out
    return _expand(text, ctx, nested)


def _expand(text: str, ctx: PageContext, nested: bool) -> str:
    def one(token) -> str:
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
                f"directive [[!{token.name} is never closed: end it with ]] "
                "(quote values that contain spaces or ]; use \"\"\"...\"\"\" across lines)",
            )
            return text[token.start : token.end]
        raise AssertionError(token)

    out = substitute(text, one) if ctx.target == SITE else _substitute_blocks(text, one)
    if not nested:
        for module in directives.REGISTRY.values():
            finish = getattr(module, "finish", None)
            if finish:
                finish(ctx)
    return out


def _substitute_blocks(text: str, replace_token) -> str:
    """For the export: a project directive alone on its lines is replaced by
    its block without extra blank lines, and one that produces nothing takes
    its line (and a blank line, when that would leave two) with it, so the
    wiki source reads as if written by hand.  A directive that makes inline
    text (its module says INLINE) stays in its paragraph."""
    out: list[str] = []
    tail = ""  # the last characters written, to see a blank line before a cut

    def write(piece: str) -> None:
        nonlocal tail
        if piece:
            out.append(piece)
            tail = (tail + piece)[-2:]

    pos = 0
    for token in scan(text):
        replacement = replace_token(token)
        start, end = token.start, token.end
        changed = isinstance(token, Directive) and replacement != text[start:end]
        module = directives.REGISTRY.get(token.name) if isinstance(token, Directive) else None
        inline = bool(getattr(module, "INLINE", False))
        alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
        if changed and (inline or not alone):
            replacement = replacement.rstrip("\n")  # the source's own line break follows
        if changed and alone and not inline:
            replacement = replacement.strip("\n")
            if not replacement:
                end = min(end + 1, len(text))
            else:  # a block needs a blank line on each side to stay a block
                before = tail + text[pos:start]  # what the output will end with
                if start >= 2 and not before.endswith("\n\n"):
                    replacement = "\n" + replacement
                if end + 1 < len(text) and text[end + 1] != "\n":
                    replacement += "\n"
        write(text[pos:start])
        write(replacement)
        pos = end
        if changed and not replacement and alone and (tail == "\n\n" or not out) and text.startswith("\n", pos):
            pos += 1  # the line it leaves would make two blank lines
    write(text[pos:])
    return "".join(out)


def code_warnings(text: str, ctx: PageContext) -> None:
    """Warn about directives/wikilinks in code blocks: ikiwiki expands them there
    too, which is rarely what the author meant (escape them as \\[[)."""
    code = code_block_lines(text)
    for token in scan(text):
        if isinstance(token, (Directive, WikiLink)) and token.line in code:
            ctx.warn(
                token.line,
                f"{token.raw.splitlines()[0]} is inside a code block; ikiwiki expands it there too. "
                "Write \\[[ if it should show literally",
            )


def page_directives(text: str) -> list[Directive]:
    return [t for t in scan(text) if isinstance(t, Directive)]
