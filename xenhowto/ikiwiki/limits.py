"""Limits that keep Python-Markdown inside the stack and inside linear time
on any page.

Python-Markdown parses nested blocks (quotes, lists) recursively and nested
inline markup (emphasis, links) recursively too, and its inline pass rescans
a text span once per match.  So 600 nested ``>``, 500 nested lists or 2000
``_`` raise RecursionError, and a span of a few thousand ``*a`` takes seconds.
Real pages nest a few levels and have a few dozen markup characters per
paragraph; these limits are far above that and far below the harm:

- a line nested deeper than ``MAX_DEPTH`` (quote markers, list markers and
  every two columns of indentation count one) is a finding, and is rendered
  without its nesting;
- a span of inline text with more than ``MAX_INLINE_MARKUP`` markup
  characters is a finding, and is rendered as plain text.
- ``guard(md, report)`` turns any RecursionError left into a finding and a
  page that says it could not be rendered, never a traceback.

And one that needs no limit: Python-Markdown finds raw HTML with Python's
html.parser, which rescans to the end of the page for every ``<`` that
starts a tag, comment or CDATA section never closed (4000 ``<![CDATA[`` take
36 s).  Such a ``<`` can only ever be text, so it is set aside before the
parser sees it and comes back as ``&lt;``, which is what it would have shown.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Callable, Iterator

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

MAX_DEPTH = 100
MAX_INLINE_MARKUP = 400

# One nesting marker at the start of a line: a quote, or a list marker.
_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_MARKUP = re.compile(r"[*_\[`<&!\\]")
# What stands for a "<" that can only be text while the page is parsed: a
# Unicode noncharacter, which no text holds.
_TEXT_LT = "\ufdd0"
_OPENER = re.compile(r"<(?=[A-Za-z/!?])")

Report = Callable[[int, str], None]  # (line, message)


def _depth(line: str) -> tuple[int, int]:
    """(nesting depth, length of the nesting prefix) of one line: its quote and
    list markers, and one level per two columns of indentation before them."""
    stripped = line.lstrip(" \t")
    indent = sum(4 if ch == "\t" else 1 for ch in line[: len(line) - len(stripped)])
    depth = pos = 0
    while True:
        m = _MARKER.match(line, pos)
        if not m:
            break
        depth += 1
        pos = m.end()
    end = len(line) - len(line[pos:].lstrip(" \t"))
    return depth + indent // 2, end


def deep_lines(text: str, limit: int = MAX_DEPTH) -> Iterator[tuple[int, int]]:
    """(line number, depth) of each line nested deeper than ``limit``."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > limit and _depth(line)[0] > limit:
            yield number, _depth(line)[0]


def flatten(lines: list[str], limit: int = MAX_DEPTH) -> list[str]:
    """The lines, each nested deeper than ``limit`` cut to its content."""
    out = []
    for line in lines:
        if len(line) > limit:
            depth, prefix = _depth(line)
            if depth > limit:
                line = line[prefix:]
        out.append(line)
    return out


def check_depth(text: str, report: Report) -> None:
    """One finding per run of consecutive lines nested too deep."""
    runs: list[list[int]] = []  # [first line, last line, deepest]
    for number, depth in deep_lines(text):
        if runs and runs[-1][1] == number - 1:
            runs[-1][1], runs[-1][2] = number, max(runs[-1][2], depth)
        else:
            runs.append([number, number, depth])
    for first, last, depth in runs:
        where = "this line is" if first == last else f"lines {first} to {last} are"
        report(first, f"{where} nested up to {depth} levels deep (quotes, lists and indentation); "
                      f"markdown renders at most {MAX_DEPTH}: flatten it")


class FlattenDeepLines(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return flatten(lines)


def set_aside_unclosed(text: str) -> str:
    """Each "<" that opens a tag, comment or CDATA section that nothing after
    it closes (no ">", "-->" or "]]>" later in the page) as _TEXT_LT."""
    last = {">": text.rfind(">"), "-->": text.rfind("-->"), "]]>": text.rfind("]]>")}

    def one(m: re.Match) -> str:
        at = m.start()
        closer = "]]>" if text.startswith("<![CDATA[", at) else "-->" if text.startswith("<!--", at) else ">"
        return m.group(0) if last[closer] > at else _TEXT_LT

    return _OPENER.sub(one, text) if "<" in text else text


def put_back(html: str) -> str:
    return html.replace(_TEXT_LT, "&lt;")


class SetAsideUnclosed(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return set_aside_unclosed("\n".join(lines)).split("\n")


class PutBack(Postprocessor):
    def run(self, text: str) -> str:
        for token in _walk_toc(getattr(self.md, "toc_tokens", [])):
            for key in ("name", "html"):
                if isinstance(token.get(key), str):
                    token[key] = put_back(token[key])
        return put_back(text)


def _walk_toc(tokens):
    for token in tokens:
        yield token
        yield from _walk_toc(token.get("children", []))


def register(md: Markdown) -> None:
    """The parts every Markdown instance that renders page text needs."""
    md.preprocessors.register(FlattenDeepLines(md), "flatten_deep_lines", 28.5)  # before Discount's blocks (28)
    # before raw HTML is found (20)
    md.preprocessors.register(SetAsideUnclosed(md), "set_aside_unclosed", 21)
    # after raw HTML is put back (30) and every other postprocessor that makes HTML
    md.postprocessors.register(PutBack(md), "put_back_unclosed", 2)


class InlineBudget(Treeprocessor):
    """Before the inline pass: a text span with too much markup stays plain text."""

    def __init__(self, md: Markdown, report: Callable[[str], None]):
        super().__init__(md)
        self.report = report

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for attr in ("text", "tail"):
                value = getattr(el, attr)
                if value and not isinstance(value, AtomicString) and len(value) > MAX_INLINE_MARKUP:
                    count = len(_MARKUP.findall(value))
                    if count > MAX_INLINE_MARKUP:
                        setattr(el, attr, AtomicString(value))
                        self.report(value)


def inline_message(count_text: str) -> str:
    count = len(_MARKUP.findall(count_text))
    return (f"this paragraph has {count} markup characters (* _ [ ` < & ! \\); markdown reads at most "
            f"{MAX_INLINE_MARKUP} in one paragraph, so it is shown as plain text: split it or escape them")


def guard(md: Markdown, report: Report) -> None:
    """Whatever recursion is left in Python-Markdown (a deep tree of inline
    markup, a parser we did not foresee) becomes a finding, not a traceback."""
    convert = md.convert

    def guarded(source: str) -> str:
        try:
            return convert(source)
        except RecursionError:
            report(1, "this page nests markup too deeply to render; see the other findings, "
                      "or look for deeply nested lists, quotes or emphasis")
            return f"<pre>{html.escape(source)}</pre>"

    md.convert = guarded  # type: ignore[method-assign]


class LimitsExtension(Extension):
    """The limits for a Markdown instance that renders page text outside a page
    (a table cell, a guide): problems are collected in ``md.limit_problems``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        md.limit_problems = []
        register(md)
        md.treeprocessors.register(
            InlineBudget(md, lambda text: md.limit_problems.append(inline_message(text))), "inline_budget", 25)
        guard(md, lambda line, message: md.limit_problems.append(message))

    def reset(self) -> None:
        self.md.limit_problems = []


def markdown_to_html(text: str, **options) -> tuple[str, list[str]]:
    """Page text (a table cell, a guide) as HTML within the limits and as
    htmlscrubber leaves it; with the problems the limits found."""
    from xenhowto.ikiwiki.htmlscrubber import scrub

    md = Markdown(extensions=[LimitsExtension(), *options.pop("extensions", [])], **options)
    out = md.convert(text)
    return scrub(out), list(md.limit_problems)
