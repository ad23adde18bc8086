"""The Python-Markdown extension for ikiwiki markup.  It depends on nothing but
Python-Markdown: MkDocs (through hooks/) or any other host passes the page's
name and the site's pages as extension configuration.

    markdown.Markdown(extensions=["toc", IkiwikiExtension(page="ports/xen/howto", ...)])
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.extensions.def_list import DefListExtension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from xenhowto.findings import line_of
from xenhowto.ikiwiki import discount, htmlscrubber, limits
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
        self.md.ikiwiki_context = ctx
        self.md.ikiwiki_source = source = "\n".join(lines)
        limits.check_depth(source, ctx.error)
        # a page's history has expanded each day already (xenhowto.history)
        out = self.ext.getConfig("expanded") or expansion(source, ctx)
        return out.split("\n")


def _report_inline(md: Markdown, text: str) -> None:
    """A span the inline budget kept plain, reported at its line in the page."""
    ctx: PageContext = md.ikiwiki_context
    first = text.strip().split("\n", 1)[0][:40]
    at = md.ikiwiki_source.find(first) if first else -1
    ctx.error(line_of(md.ikiwiki_source, at) if at >= 0 else 1, limits.inline_message(text))


def _publish(md: Markdown) -> None:
    """The page's findings to the log (once): errors at ERROR, so that a
    quiet build (-q keeps only errors) still sees and fails on them."""
    ctx = getattr(md, "ikiwiki_context", None)
    if ctx is None or getattr(md, "ikiwiki_published", False):
        return
    md.ikiwiki_published = True
    ctx.summarize()
    if md.ikiwiki_log:
        for finding in ctx.findings:
            log.log(logging.ERROR if finding.severity == "error" else logging.INFO, str(finding))


class ScrubPostprocessor(Postprocessor):
    """Last: the page's HTML as ikiwiki's htmlscrubber leaves it."""

    def __init__(self, md: Markdown, enabled: bool):
        super().__init__(md)
        self.enabled = enabled

    def run(self, text: str) -> str:
        _publish(self.md)
        return htmlscrubber.scrub(text) if self.enabled else text


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
        parents = [parent for parent in root.iter()
                   if any(child.tag == "p" and toc.marker(child.text) for child in parent)]
        if not parents:
            return
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        built: dict[tuple[int, int], etree.Element] = {}
        for parent in parents:
            children = []
            for child in parent:  # one pass per parent: no rescans for each marker
                found = toc.marker(child.text) if child.tag == "p" else None
                if found is None:
                    children.append(child)
                    continue
                if found not in built:
                    built[found] = self.build(headings, *found)
                div = copy.deepcopy(built[found])
                div.tail = child.tail
                children.append(div)
            parent[:] = children

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
        self.md: Markdown | None = None
        self.config = {
            "page": ["index", "wiki page name of the page being rendered"],
            "path": ["", "source file shown in messages"],
            "site_pages": [{}, "wiki page name -> URL relative to the site root"],
            "known_wiki_pages": [[], "pages of the wider NetBSD wiki links may point to"],
            "wiki_url": ["https://wiki.netbsd.org/", "base URL of the NetBSD wiki"],
            "templates_dir": ["", "directory holding templates/<id>.mdwn"],
            "as_of": ["", "as-of date YYYY-MM-DD for dated facts (default today)"],
            "scrub": [True, "sanitize the page's HTML as ikiwiki's htmlscrubber does (false only for the "
                            "site's own hand-written pages)"],
            # ("" and not None: Python-Markdown reads a None default as a yes/no option)
            "context": ["", "a PageContext to fill instead of a new one (howto check reads its findings; "
                              "nothing is logged)"],
            "expanded": ["", "the page's text as this preprocessor would expand it (given by xenhowto.history)"],
        }
        super().__init__(**kwargs)

    def new_context(self) -> PageContext:
        c = self.getConfigs()
        if c["context"]:
            return c["context"]
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

    def reset(self) -> None:
        if self.md is not None:
            self.md.ikiwiki_published = False

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        md.ikiwiki_log = not self.getConfig("context")
        md.ikiwiki_published = False
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
        # Bounds on what Python-Markdown parses recursively (xenhowto.ikiwiki.limits):
        # before the inline pass (20), and around the whole conversion.
        limits.register(md)
        md.treeprocessors.register(
            limits.InlineBudget(md, lambda text: _report_inline(md, text)), "inline_budget", 25)

        def recursion(line: int, message: str) -> None:
            ctx = getattr(md, "ikiwiki_context", None) or self.new_context()
            md.ikiwiki_context = ctx
            ctx.error(line, message)
            _publish(md)

        limits.guard(md, recursion)
        # After raw HTML is put back (30) and every other postprocessor.
        md.postprocessors.register(ScrubPostprocessor(md, bool(self.getConfig("scrub"))), "htmlscrubber", 1)


def makeExtension(**kwargs) -> IkiwikiExtension:
    return IkiwikiExtension(**kwargs)
