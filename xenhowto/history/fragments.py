"""A rendered page as a list of fragments: its top-level HTML elements, each
with the whitespace that follows it.  Joining a page's fragments gives its
HTML back byte for byte, so a page of any day is a list of indexes into one
table of fragments shared by all days."""
from __future__ import annotations

from html.parser import HTMLParser

# Elements without an end tag (HTML's void elements).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})


class _Splitter(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.depth = 0
        self.cuts: list[int] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.cuts.append(self._offset())
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.cuts.append(self._offset())

    def handle_endtag(self, tag):
        if tag not in _VOID and self.depth:
            self.depth -= 1


def split(html: str) -> list[str]:
    """The page's top-level elements (text between them stays with the
    element before it); "".join(split(html)) == html."""
    p = _Splitter(html)
    p.feed(html)
    p.close()
    cuts = sorted(set(c for c in p.cuts if 0 < c < len(html)))
    bounds = [0] + cuts + [len(html)]
    return [html[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


class Table:
    """Fragments shared by several pages: each distinct fragment once, in the
    order first seen; a page is a list of indexes."""

    def __init__(self):
        self.fragments: list[str] = []
        self._index: dict[str, int] = {}
        self._split: dict[str, list[str]] = {}  # part -> its fragments

    def add(self, html: str) -> list[int]:
        return self.add_parts([html])

    def add_parts(self, parts: list[str]) -> list[int]:
        """A page given as consecutive parts that each begin at a top-level
        element (or are empty): each part is split on its own, once."""
        out = []
        for part in parts:
            if part not in self._split:
                self._split[part] = split(part)
            for frag in self._split[part]:
                if frag not in self._index:
                    self._index[frag] = len(self.fragments)
                    self.fragments.append(frag)
                out.append(self._index[frag])
        return out

    def __getstate__(self):  # the split memo is not worth keeping
        return {"fragments": self.fragments, "_index": self._index, "_split": {}}

    def page(self, ids: list[int]) -> str:
        return "".join(self.fragments[i] for i in ids)


def runs(ids: list[int]) -> list[list[int]]:
    """[[first, count], ...]: runs of consecutive ascending indexes (a page
    that shares most of its fragments with an earlier one is a few runs)."""
    out: list[list[int]] = []
    for i in ids:
        if out and out[-1][0] + out[-1][1] == i:
            out[-1][1] += 1
        else:
            out.append([i, 1])
    return out


def expand_runs(encoded: list[list[int]]) -> list[int]:
    return [first + k for first, count in encoded for k in range(count)]
