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


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    lo, hi = 0, n  # the longest equal prefix, by halving (C-speed comparisons)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


class Table:
    """Fragments shared by several pages: each distinct fragment once, in the
    order first seen; a page is a list of indexes.

    Pages added one after another mostly share their beginning and end with
    the page before: only what lies between the first and the last block
    that differ is split anew (a cut between two top-level elements is where
    splitting the whole page would cut too)."""

    def __init__(self):
        self.fragments: list[str] = []
        self._index: dict[str, int] = {}
        self._last: tuple[str, list[str]] = ("", [])

    def _split(self, html: str) -> list[str]:
        prev, frags = self._last
        if not frags:
            return split(html)
        starts = [0]
        for f in frags:
            starts.append(starts[-1] + len(f))  # starts[i]: where fragment i begins; starts[-1] == len(prev)
        head = _common_prefix(prev, html)
        tail = _common_prefix(prev[::-1], html[::-1])
        tail = min(tail, len(prev) - head, len(html) - head)
        # fragments kept from the start: up to an element that begins inside the shared prefix
        i = max(k for k in range(len(frags) + 1) if k == 0 or starts[k] < head)
        # ... and from the end: from an element (the first fragment may begin with text)
        j = min(k for k in range(max(i, 1), len(frags) + 1) if len(prev) - starts[k] <= tail)
        middle = html[starts[i]:len(html) - (len(prev) - starts[j])]
        return frags[:i] + (split(middle) if middle else []) + frags[j:]

    def add(self, html: str) -> list[int]:
        parts = self._split(html)
        self._last = (html, parts)
        out = []
        for frag in parts:
            if frag not in self._index:
                self._index[frag] = len(self.fragments)
                self.fragments.append(frag)
            out.append(self._index[frag])
        return out

    def page(self, ids: list[int]) -> str:
        return "".join(self.fragments[i] for i in ids)

    def __getstate__(self):  # the last page is only a speed-up while adding
        return {"fragments": self.fragments, "_index": self._index, "_last": ("", [])}


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
