"""Make Python-Markdown read a page the way Discount does.

The NetBSD wiki renders .mdwn with ikiwiki's mdwn plugin on top of
Text::Markdown::Discount (libmarkdown 2.2.7), with the flags ikiwiki always
sets: no SmartyPants, fenced code, Markdown Extra definition lists and
footnotes, no alpha lists.  Where Discount and Python-Markdown read the same
source differently, the site must show what the wiki shows, so each rule
below follows one Discount behaviour (tests/test_parity.py compares the two
renderings of a fixture page of such constructs with the real ikiwiki).

Blocks (lists, fences, Discount's =term= definitions) are in
discount_blocks.py, emphasis in discount_emphasis.py; the inline rules,
footnotes and the registration are here.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import InlineProcessor, SimpleTagInlineProcessor
from markdown.preprocessors import Preprocessor

from xenhowto.ikiwiki.discount_blocks import DiscountBlocks
from xenhowto.ikiwiki.discount_emphasis import DiscountEmphasisInlineProcessor


class DiscountBlocksPreprocessor(Preprocessor):
    """After ikiwiki's expansion, before fenced code and raw HTML are stashed."""

    def run(self, lines: list[str]) -> list[str]:
        key = (self.md.tab_length, "\n".join(lines))
        out = _BLOCKS.get(key)
        if out is None:
            out = tuple(DiscountBlocks(self.md.tab_length).run(lines))
            if len(_BLOCKS) >= 64:
                del _BLOCKS[next(iter(_BLOCKS))]  # the oldest
            _BLOCKS[key] = out
        return list(out)


# (tab length, text) -> its lines as Discount's blocks: the same for the same
# text, and a `mkdocs serve` rebuild renders every page again after an edit of one
_BLOCKS: dict[tuple, tuple] = {}


# Discount 2.2.7 (generate.c ``text``): after a non-blank character, ^ makes
# the following letters and digits, or a (parenthesized text), superscript:
# 2^10, is 2<sup>10</sup>, and x^(a b) is x<sup>a b</sup>; e^-1 stays as it is.
SUPERSCRIPT_RE = r"(?<=\S)\^(?:\(([^()]*)\)|([A-Za-z0-9]+))"
# Discount: ~~text~~ is deleted text.
STRIKE_RE = r"(?<!~)(~~)(?!~)(?=\S)(.+?)(?<=\S)~~(?!~)"


class SuperscriptInlineProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        el = etree.Element("sup")
        el.text = m.group(1) if m.group(1) is not None else m.group(2)
        return el, m.start(0), m.end(0)


# Discount's backslash escapes (generate.c ``text``) include these, which
# Python-Markdown leaves as a backslash and the character.
EXTRA_ESCAPES = ("^", ":")
# Discount writes \& as &amp; even before "amp;" ("\&amp;" shows "&amp;");
# as a plain escape Python-Markdown's serializer would keep "&amp;" an entity.
AMP_ESCAPE_RE = r"\\&"


class AmpEscapeInlineProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        return self.md.htmlStash.store("&amp;"), m.start(0), m.end(0)


# Discount escapes < only before a blank or the end ("\< b" is "< b"); before
# anything else it keeps the backslash, as Markdown.pl does ("\<<" stays).
LT_ESCAPE_RE = r"\\<(?=\s|$)"


class LtEscapeInlineProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        return f"{util.STX}{ord('<')}{util.ETX}", m.start(0), m.end(0)


class DiscountFootnoteExtension(FootnoteExtension):
    """Python-Markdown's footnotes (ikiwiki turns on MKD_EXTRA_FOOTNOTE), with
    Discount's ids: footnotes are numbered, #fn:1, whatever their label."""

    def makeFootnoteId(self, id: str) -> str:
        return f"fn{self.get_separator()}{self._number(id)}"

    def makeFootnoteRefId(self, id: str, found: bool = False) -> str:
        return self.unique_ref(f"fnref{self.get_separator()}{self._number(id)}", found)

    def _number(self, id: str) -> int | str:
        keys = list(self.footnotes.keys())
        return keys.index(id) + 1 if id in keys else id


def register(md: Markdown) -> None:
    """Install the Discount rules into ``md`` (from IkiwikiExtension)."""
    md.preprocessors.register(DiscountBlocksPreprocessor(md), "discount_blocks", 28)
    if "fenced_code_block" not in md.preprocessors:
        FencedCodeExtension().extendMarkdown(md)  # ikiwiki sets MKD_FENCEDCODE
    md.inlinePatterns.register(SuperscriptInlineProcessor(SUPERSCRIPT_RE, md), "discount_sup", 65)
    md.inlinePatterns.register(SimpleTagInlineProcessor(STRIKE_RE, "del"), "discount_del", 66)
    md.inlinePatterns.register(AmpEscapeInlineProcessor(AMP_ESCAPE_RE, md), "discount_amp_escape", 186)
    md.inlinePatterns.register(LtEscapeInlineProcessor(LT_ESCAPE_RE, md), "discount_lt_escape", 185)
    md.inlinePatterns.deregister("em_strong2", strict=False)
    md.inlinePatterns.register(DiscountEmphasisInlineProcessor(md), "em_strong", 60)
    for ch in EXTRA_ESCAPES:
        if ch not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append(ch)
