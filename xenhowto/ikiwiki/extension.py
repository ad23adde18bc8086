"""The Python-Markdown extension for ikiwiki markup.  It depends on nothing but
Python-Markdown: MkDocs (through hooks/) or any other host passes the page's
name and the site's pages as extension configuration.

    markdown.Markdown(extensions=["toc", IkiwikiExtension(page="ports/xen/howto", ...)])
"""
from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.extensions.def_list import DefListExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from xenhowto.ikiwiki import discount
from xenhowto.ikiwiki.context import SITE, PageContext
from xenhowto.ikiwiki.directives import toc

log = logging.getLogger("xenhowto.ikiwiki")


class IkiwikiPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: "IkiwikiExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        from xenhowto.buildcache import expansion  # expand(), kept on disk by digest of what it reads

        ctx = self.ext.new_context()
        # a page's history has expanded each day already (xenhowto.history)
        out = self.ext.getConfig("expanded") or expansion("\n".join(lines), ctx)
        self.md.ikiwiki_context = ctx
        for finding in ctx.findings:
            log.log(logging.WARNING if finding.severity == "error" else logging.INFO, str(finding))
        return out.split("\n")


def _heading_text(h: etree.Element) -> str:
    """The heading's text without permalink anchors added by the toc extension."""
    parts = [h.text or ""]
    for child in h:
        if "headerlink" not in (child.get("class") or ""):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts).strip()


class TocTreeprocessor(Treeprocessor):
    """Replaces the toc marker with ikiwiki's nested <ol> of the page headings."""

    def run(self, root: etree.Element) -> None:
        markers = [
            (parent, child)
            for parent in root.iter()
            for child in parent
            if child.tag == "p" and (child.text or "").startswith(toc.MARKER + ":")
        ]
        if not markers:
            return
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        for parent, marker in markers:
            _, levels, startlevel = marker.text.strip().split(":")
            div = self.build(headings, int(levels), int(startlevel))
            index = list(parent).index(marker)
            parent.remove(marker)
            parent.insert(index, div)

    @staticmethod
    def build(headings, levels: int, startlevel: int) -> etree.Element:
        """ikiwiki's toc: the first heading's level (or startlevel) is the top;
        deeper headings nest in the previous item; levels limits the depth.

        On the site it is a closed <details>: the wiki's long list would push
        the first section a screen or more down, and the site's sidebar shows
        the same headings.  Its <summary> is the site's (class site-only): the
        list itself is the wiki's."""
        div = etree.Element("details", {"class": "toc"})
        summary = etree.SubElement(div, "summary", {"class": "site-only"})
        summary.text = "Contents"
        start = startlevel or (int(headings[0].tag[1]) if headings else 1)
        stack = [(start, etree.SubElement(div, "ol"))]  # (level of this list, list)
        for h in headings:
            level = int(h.tag[1])
            if startlevel and level < startlevel:
                continue
            level = max(level, start)
            if level - start >= levels:
                continue
            while level < stack[-1][0]:
                stack.pop()
            while level > stack[-1][0]:
                depth, ol = stack[-1]
                li = ol[-1] if len(ol) else etree.SubElement(ol, "li")
                stack.append((depth + 1, etree.SubElement(li, "ol")))
            li = etree.SubElement(stack[-1][1], "li")
            a = etree.SubElement(li, "a", {"href": "#" + h.get("id", "")})
            a.text = _heading_text(h)
        return div


class IkiwikiExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "page": ["index", "wiki page name of the page being rendered"],
            "path": ["", "source file shown in messages"],
            "site_pages": [{}, "wiki page name -> URL relative to the site root"],
            "known_wiki_pages": [[], "pages of the wider NetBSD wiki links may point to"],
            "wiki_url": ["https://wiki.netbsd.org/", "base URL of the NetBSD wiki"],
            "templates_dir": ["", "directory holding templates/<id>.mdwn"],
            "as_of": ["", "as-of date YYYY-MM-DD for dated facts (default today)"],
            "expanded": ["", "the page's text as this preprocessor would expand it (given by xenhowto.history)"],
        }
        super().__init__(**kwargs)

    def new_context(self) -> PageContext:
        c = self.getConfigs()
        return PageContext(
            path=c["path"] or c["page"],
            page=c["page"],
            target=SITE,
            site_pages=dict(c["site_pages"]),
            known_wiki_pages=frozenset(c["known_wiki_pages"]),
            wiki_url=c["wiki_url"],
            templates_dir=c["templates_dir"] or None,
            as_of=dt.date.fromisoformat(c["as_of"]) if c["as_of"] else None,
        )

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After normalize_whitespace (30), before raw HTML is stashed (20),
        # and before fenced code (25): ikiwiki expands the page before Discount
        # sees any of it, code blocks included.
        md.preprocessors.register(IkiwikiPreprocessor(md, self), "ikiwiki", 29)
        # Then Discount's reading of the expanded text (see discount.py), with
        # the Discount features ikiwiki's mdwn plugin turns on: Markdown Extra
        # footnotes (mdwn_footnotes defaults to 1) and definition lists
        # (MKD_DLEXTRA), both as Python-Markdown's own extensions.
        discount.register(md)
        if "footnote" not in md.inlinePatterns:
            discount.DiscountFootnoteExtension().extendMarkdown(md)
        if "deflist" not in md.parser.blockprocessors:
            DefListExtension().extendMarkdown(md)
        if "toc" not in md.treeprocessors:
            from markdown.extensions.toc import TocExtension

            TocExtension().extendMarkdown(md)
        # After toc (5) has given the headings their ids.
        md.treeprocessors.register(TocTreeprocessor(md), "ikiwiki_toc", 4)


def makeExtension(**kwargs) -> IkiwikiExtension:
    return IkiwikiExtension(**kwargs)
