"""A comparable outline of a rendered page, and the differences between two.

ikiwiki (Discount) and MkDocs (Python-Markdown + Material) write different
HTML for the same page: other ids, other whitespace, tight or loose lists,
theme decorations.  What a reader sees must still be the same, so a page is
reduced to:

- blocks in document order, each a ``kind`` path and its text: headings
  (``h2``), paragraphs (``p``, ``blockquote>p``), list items (``ul>li``,
  ``ul>li>ol>li``: the path keeps nesting and list type), code blocks
  (``ul>li>code``: exact text), table cells (``table>th``), ``hr``;
- links in document order, each target normalized so both sides compare:
  ``#heading:Text`` for in-page anchors (ikiwiki writes ``#index1h2``, MkDocs
  slugs), ``wiki:guide/inst`` for pages of the site or the NetBSD wiki
  (ikiwiki writes ``../../guide/inst/``, the site
  ``https://wiki.netbsd.org/guide/inst/`` or a relative URL to its own page),
  anything else as written.

The page's title is read apart from its blocks: ikiwiki shows it in the page
header (``<span class="title">``, outside the content), the site as the
heading of class ``wiki-title`` (xenhowto.sitepage).

Text is whitespace-normalized; inline code, emphasis, strong emphasis and the
like are kept as markers (⟨em⟩x⟨/em⟩) so that e.g. an underscore read as
emphasis on one side and as a letter on the other shows up.  A list item's own
paragraphs are part of its text (``<li><p>a</p></li>`` and ``<li>a</li>`` differ
only in spacing, which is not content).

Only the stdlib ``html.parser``: both inputs are well-formed generated HTML.
"""
from __future__ import annotations

import difflib
import os.path
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from xenhowto.sitepage import TITLE_CLASS

IKIWIKI = "ikiwiki"
MKDOCS = "mkdocs"

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT_BLOCKS = _HEADINGS | {"p", "li", "th", "td", "dt", "dd"}
_CONTAINERS = {"ul", "ol", "blockquote", "table", "dl"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source"}
# Inline markup kept visible in normalized text, as ⟨code⟩x⟨/code⟩: brackets
# that no markdown source uses, so literal "*x*" never compares equal to <em>x</em>.
_INLINE = {"code": "code", "tt": "code", "kbd": "kbd", "em": "em", "i": "em", "strong": "strong",
           "b": "strong", "del": "del", "s": "del", "strike": "del", "sup": "sup", "sub": "sub"}
BR = " <br> "
_LINK = object()  # what an <a href> opens: its text goes to the link too  # a hard line break, kept visible in normalized text


@dataclass(frozen=True)
class Block:
    kind: str  # path of containers and the block's tag, e.g. "ul>li>code"
    text: str

    def __str__(self) -> str:
        return f"{self.kind} {_show(self.text)}"


@dataclass(frozen=True)
class Link:
    target: str  # normalized: "#heading:Text", "wiki:page#anchor", or the URL
    text: str

    def __str__(self) -> str:
        return f"{self.target} ({_show(self.text)})"


@dataclass
class Outline:
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    title: str | None = None  # the title the page shows, None when it shows none

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in _HEADINGS]


def _show(text: str, limit: int = 160) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """Spacing that is not content.  Discount keeps the newlines around a code
    span that spans lines (``` in a paragraph); a browser shows at most a
    space there.  Python-Markdown puts a no-break space before a footnote's
    back link (↩), Discount does not."""
    text = text.replace("⟨code⟩ ", "⟨code⟩").replace(" ⟨/code⟩", "⟨/code⟩")
    return text.replace(" \u21a9", "\u21a9")


class _Collector:
    def __init__(self, kind: str, slot: int, raw: bool):
        self.kind, self.slot, self.raw = kind, slot, raw
        self.parts: list[str] = []


class _Extractor(HTMLParser):
    def __init__(self, flavor: str):
        super().__init__(convert_charrefs=True)
        self.flavor = flavor
        self.inside = False  # inside the content root
        self.done = False  # the content root has closed: ignore the rest
        # open elements inside the root: (tag, what it opened: a collector, _LINK or None)
        self.stack: list[tuple[str, object]] = []
        self.collectors: list[_Collector] = []
        self.blocks: list[Block | None] = []
        self.raw_links: list[tuple[str, list[str]]] = []  # (href, text parts)
        self.open_links: list[list[str]] = []
        self.skip = 0  # inside a decoration whose text is not content
        self.anchors: dict[str, int] = {}  # id/name -> index of the heading block
        self.heading_slot: int | None = None
        self.drop_slots: set[int] = set()
        self.title_parts: list[str] | None = None  # collecting the title's text
        self.title_depth = 0
        self.title: str | None = None

    # -- the title -----------------------------------------------------------
    def _is_title(self, tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        if self.flavor == IKIWIKI:
            return not self.inside and tag == "span" and "title" in classes
        return self.inside and tag == "h1" and TITLE_CLASS in classes

    # -- the content root -------------------------------------------------
    def _is_root(self, tag: str, attrs: dict) -> bool:
        if self.flavor == IKIWIKI:
            return tag == "div" and attrs.get("id") == "content"
        return tag == "article" and "md-content__inner" in (attrs.get("class") or "").split()

    def _path(self, tag: str) -> str:
        """The block's kind: the lists, quotes and tables it sits in, and its tag."""
        containers = [t for t, _ in self.stack if t in _CONTAINERS or t == "li"]
        return ">".join(containers + [tag])

    # -- parser callbacks --------------------------------------------------
    def handle_starttag(self, tag: str, attr_list) -> None:
        attrs = {k: (v or "") for k, v in attr_list}
        if self.title_parts is not None:
            self.title_depth += tag not in _VOID
            return
        if self.title is None and self._is_title(tag, attrs):
            self.title_parts, self.title_depth = [], 1
            return
        if not self.inside:
            if not self.done and self._is_root(tag, attrs):
                self.inside = True
            return
        if tag in _VOID:
            self._void(tag, attrs)
            return
        opened = None
        if self.skip:
            self.skip += 1
        elif self._decoration(tag, attrs):
            self.skip = 1
        else:
            opened = self._open(tag, attrs)
        self.stack.append((tag, opened))

    def handle_startendtag(self, tag: str, attr_list) -> None:
        if self.inside:
            self._void(tag, {k: (v or "") for k, v in attr_list})

    def handle_endtag(self, tag: str) -> None:
        if self.title_parts is not None and tag not in _VOID:
            self.title_depth -= 1
            if not self.title_depth:
                self.title, self.title_parts = normalize_space("".join(self.title_parts)), None
            return
        if not self.inside or tag in _VOID:
            return
        if not self.stack:  # the content root itself closes
            self.inside = False
            self.done = True
            return
        # pop to the matching open tag (both renderers write well-formed HTML)
        while self.stack:
            t, opened = self.stack.pop()
            if self.skip:
                self.skip -= 1
            else:
                self._close(t, opened)
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if not self.inside or self.skip:
            return
        if self.collectors:
            self.collectors[-1].parts.append(data)
            for parts in self.open_links:
                parts.append(data)
        elif data.strip():
            self.blocks.append(Block(self._path("text"), normalize_space(data)))

    # -- helpers -----------------------------------------------------------
    def _decoration(self, tag: str, attrs: dict) -> bool:
        # Material/toc's permalink: <a class="headerlink" href="#id">¶</a> after
        # each heading; a theme decoration, not text of the page.  And what the
        # site adds around a wiki page (class="site-only": links to the site's
        # own guides, which the wiki does not have) is not part of the page, nor
        # are Material's page buttons (md-content__button: to the page's source
        # and to the page on the wiki).
        classes = attrs.get("class", "").split()
        # Material's facts under a page (last update) are the theme's too.
        return (tag == "a" and ("headerlink" in classes or "md-content__button" in classes)) \
            or "site-only" in classes or "md-source-file" in classes

    def _void(self, tag: str, attrs: dict) -> None:
        if self.skip:
            return
        if tag == "br" and self.collectors:
            self.collectors[-1].parts.append(BR if not self.collectors[-1].raw else "\n")
        elif tag == "hr":
            self.blocks.append(Block(self._path("hr"), ""))
        elif tag == "img":
            self.raw_links.append((attrs.get("src", ""), [attrs.get("alt", "")]))
            if self.collectors:
                self.collectors[-1].parts.append(attrs.get("alt", ""))

    def _open(self, tag: str, attrs: dict) -> object:
        top = self.collectors[-1] if self.collectors else None
        if tag in _HEADINGS:
            self.heading_slot = len(self.blocks)
            if attrs.get("id"):
                self.anchors[attrs["id"]] = len(self.blocks)
            elif self.flavor == MKDOCS and tag == "h1":
                # Material adds <h1>{{ page.title }}</h1> (no id) when the page
                # has no h1 of its own: the theme's title, not page content.
                self.drop_slots.add(len(self.blocks))
        elif attrs.get("id") and self.heading_slot is not None and top is not None:
            self.anchors[attrs["id"]] = self.heading_slot
        if tag == "a":
            if attrs.get("name") and self.heading_slot is not None and top is not None:
                self.anchors[attrs["name"]] = self.heading_slot  # ikiwiki toc: <a name="index1h2">
            if "href" in attrs:
                parts: list[str] = []
                self.raw_links.append((attrs["href"], parts))
                self.open_links.append(parts)
                return _LINK
            return None
        if tag == "pre":
            return self._collector("code", raw=True)
        # a list item's own <p> is its text, not a block of its own: tight or
        # loose (<li>a</li> or <li><p>a</p></li>) is spacing, not content
        if tag == "p" and self.stack and self.stack[-1][0] == "li" and top is not None:
            top.parts.append("\n\n")  # a paragraph of the list item
            return None
        if tag in _TEXT_BLOCKS:
            c = self._collector(tag, raw=False)
            if tag in ("th", "td") and attrs.get("colspan", "1") != "1":
                c.parts.append(f"[colspan={attrs['colspan']}] ")
            return c
        if top is not None and not top.raw and tag in _INLINE:
            top.parts.append(f"⟨{_INLINE[tag]}⟩")
        return None

    def _collector(self, tag: str, raw: bool) -> _Collector:
        c = _Collector(self._path(tag), len(self.blocks), raw)
        self.blocks.append(None)  # the slot keeps document order; filled on close
        self.collectors.append(c)
        return c

    def _close(self, tag: str, opened: object) -> None:
        if opened is _LINK:
            self.open_links.pop()
            return
        if isinstance(opened, _Collector):
            self.collectors.remove(opened)
            text = "".join(opened.parts)
            if opened.raw:
                block = Block(opened.kind, text)
            else:
                paras = [_tidy(normalize_space(p)) for p in text.split("\n\n")]
                block = Block(opened.kind, " ¶ ".join(p for p in paras if p))
            self.blocks[opened.slot] = block
            if tag in _HEADINGS:
                self.heading_slot = None
            return
        top = self.collectors[-1] if self.collectors else None
        if top is not None and not top.raw and tag in _INLINE:
            top.parts.append(f"⟨/{_INLINE[tag]}⟩")


def _page_of(path: str) -> str:
    """Site-root-relative URL path of a page (directory URLs) -> wiki page name."""
    path = unquote(path)
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    return path.strip("/") or "index"


def normalize_link(href: str, page_url: str, wiki_url: str) -> tuple[str, str | None]:
    """(normalized target, in-page anchor or None).  page_url is the page's URL
    path relative to its site's root, e.g. "ports/xen/howto/"."""
    if href.startswith("#"):
        return "", href[1:]
    parts = urlsplit(href)
    frag = f"#{parts.fragment}" if parts.fragment else ""
    if wiki_url and href.startswith(wiki_url.rstrip("/") + "/"):
        return f"wiki:{_page_of(href[len(wiki_url.rstrip('/')) + 1:].split('#')[0])}{frag}", None
    if parts.scheme or parts.netloc:
        return href, None
    joined = posixpath.normpath(posixpath.join("/" + page_url, parts.path)) if parts.path else "/" + page_url
    if joined != "/" and (parts.path.endswith("/") or not parts.path):
        joined += "/"
    here = "/" + page_url
    if joined.rstrip("/") == here.rstrip("/") and parts.fragment:
        return "", parts.fragment
    last = joined.rstrip("/").rsplit("/", 1)[-1]
    if "." in last and not joined.endswith(("/", "index.html")):
        return f"file:{joined.lstrip('/')}{frag}", None
    return f"wiki:{_page_of(joined)}{frag}", None


def extract(html: str, flavor: str, page_url: str, wiki_url: str = "https://wiki.netbsd.org/") -> Outline:
    """The outline of one rendered page.  flavor is IKIWIKI (content of
    <div id="content">) or MKDOCS (content of Material's <article>)."""
    if flavor not in (IKIWIKI, MKDOCS):
        raise ValueError(f"flavor must be {IKIWIKI!r} or {MKDOCS!r}, not {flavor!r}")
    p = _Extractor(flavor)
    p.feed(html)
    p.close()
    blocks = [b for i, b in enumerate(p.blocks) if b is not None and i not in p.drop_slots]
    links = []
    for href, parts in p.raw_links:
        target, anchor = normalize_link(href, page_url, wiki_url)
        if anchor is not None:
            slot = p.anchors.get(anchor)
            heading = p.blocks[slot] if slot is not None else None
            target = f"#heading:{heading.text}" if heading is not None else f"#{anchor}"
        links.append(Link(target, normalize_space("".join(parts))))
    return Outline(blocks, links, p.title)


def _context(blocks: list[Block], index: int) -> str:
    for b in reversed(blocks[:index]):
        if b.kind in _HEADINGS:
            return f" (under {b.kind} {_show(b.text, 60)})"
    return " (before the first heading)"


def _pair(ours: Block, theirs: Block) -> str:
    if ours.kind.endswith("code") and theirs.kind.endswith("code") and ours.kind == theirs.kind:
        lines = difflib.unified_diff(theirs.text.splitlines(), ours.text.splitlines(), "ikiwiki", "ours",
                                     lineterm="", n=1)
        return f"{ours.kind} differs:\n    " + "\n    ".join(list(lines)[:20])
    if ours.kind != theirs.kind:
        return f"ours {ours}\n    ikiwiki {theirs}"
    # long paragraphs: show both from a little before where they part
    same = len(os.path.commonprefix([ours.text, theirs.text]))
    cut = max(0, same - 60)
    lead = "..." if cut else ""
    return f"{ours.kind}: ours {_show(lead + ours.text[cut:])}\n    ikiwiki {_show(lead + theirs.text[cut:])}"


def _diff_seq(what: str, ours: list, theirs: list, context) -> list[str]:
    out = []
    sm = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        where = context(i1)
        if op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                out.append(f"{what} {i1 + k + 1}{context(i1 + k)}: " + _pair(ours[i1 + k], theirs[j1 + k])
                           if what == "block" else
                           f"{what} {i1 + k + 1}{context(i1 + k)}: ours {ours[i1 + k]}\n    ikiwiki {theirs[j1 + k]}")
            continue
        for k in range(i1, i2):
            out.append(f"{what} {k + 1}{where}: only ours has {ours[k]}")
        for k in range(j1, j2):
            out.append(f"{what}{where}: only ikiwiki has {theirs[k]}")
    return out


def diff(ours: Outline, theirs: Outline) -> list[str]:
    """Human-readable differences, ours (MkDocs) against ikiwiki's; [] when equal."""
    out = []
    if ours.title != theirs.title:
        out.append(f"title: ours {_show(ours.title or '(none)')}\n    ikiwiki {_show(theirs.title or '(none)')}")
    out += _diff_seq("block", ours.blocks, theirs.blocks, lambda i: _context(ours.blocks, i))
    targets_ours = [lk.target for lk in ours.links]
    targets_theirs = [lk.target for lk in theirs.links]
    sm = difflib.SequenceMatcher(None, targets_ours, targets_theirs, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        for k in range(i1, i2):
            out.append(f"link {k + 1}: only ours links {ours.links[k]}")
        for k in range(j1, j2):
            out.append(f"link: only ikiwiki links {theirs.links[k]}")
    return out
