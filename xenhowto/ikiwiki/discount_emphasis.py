"""Discount's emphasis, which is laxer than Python-Markdown's.

Discount (generate.c ``text``, ``emmatch``) does not ask whether a ``*`` or
``_`` is left- or right-flanking.  A run of them is a delimiter unless
- it is ``_`` between two letters/digits (bootxx_ffsv1 stays as it is), or
- its first character has blanks (or the line's ends) on both sides;
then each delimiter, in order, pairs with a later run of the same character
of the same length (or of 3 or more): ``**`` makes <strong>, ``*`` <em>, and
``***`` both.  So "rc.d/xen* and xend*" is emphasis on the wiki, where
Python-Markdown leaves both stars alone; the site must show the same.

The rule replaces Python-Markdown's em_strong inline processor.  A run that
finds no partner stays text.  Runs that Discount would pair across the end of
an enclosing emphasis (malformed HTML there) are left as text here.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown.inlinepatterns import InlineProcessor

_TAGS = {1: "em", 2: "strong"}


def _space(data: str, i: int) -> bool:
    return i < 0 or i >= len(data) or data[i].isspace()


def _alnum(data: str, i: int) -> bool:
    return 0 <= i < len(data) and data[i].isascii() and data[i].isalnum()


@dataclass
class _Run:
    char: str
    pos: int
    count: int


def _runs(data: str, lo: int, hi: int) -> list[_Run]:
    """Delimiter runs in data[lo:hi], judged on their neighbours in data."""
    runs = []
    i = lo
    while i < hi:
        c = data[i]
        if c not in "*_":
            i += 1
            continue
        if (c == "_" and _alnum(data, i - 1) and _alnum(data, i + 1)) or (_space(data, i - 1) and _space(data, i + 1)):
            i += 1  # Discount: this character is text; the next one is judged on its own
            continue
        j = i
        while j < hi and data[j] == c:
            j += 1
        runs.append(_Run(c, i, j - i))
        i = j
    return runs


def _partner(runs: list[_Run], go: int, level: int) -> int | None:
    """Discount's ``empair``: the first later run of the same character whose
    count is ``level`` exactly or 3 or more; a used-up run is a wall."""
    begin = runs[go]
    for k in range(go + 1, len(runs)):
        r = runs[k]
        if r.count <= 0:
            return None
        if r.char == begin.char and (r.count == level or r.count > 2):
            return k
    return None


def _pairs(runs: list[_Run], go: int) -> list[tuple[int, int]]:
    """Discount's ``emmatch`` for run ``go``: [(level, index of the closing
    run)], outermost first; consumes the counts it uses."""
    start = runs[go]
    out = []
    while start.count > 0:
        if start.count == 2:
            level, e = 2, _partner(runs, go, 2)
            if e is None:
                level, e = 1, _partner(runs, go, 1)
        elif start.count == 1:
            level, e = 1, _partner(runs, go, 1)
        else:
            e1, e2 = _partner(runs, go, 1), _partner(runs, go, 2)
            if e1 is None or (e2 is not None and e2 >= e1):
                level, e = 2, e2
            else:
                level, e = 1, e1
        if e is None:
            break  # the rest of the run is text
        runs[e].count -= level
        out.append((level, e))
        start.count -= level
    return out


def _append(parent: etree.Element, nodes: list) -> None:
    for node in nodes:
        if isinstance(node, str):
            if not node:
                continue
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + node
            else:
                parent.text = (parent.text or "") + node
        else:
            parent.append(node)


def parse(data: str, lo: int, hi: int) -> list:
    """data[lo:hi] as a list of strings and emphasis elements."""
    nodes: list = []
    pos = scan = lo
    while True:
        runs = _runs(data, scan, hi)
        if not runs:
            break
        found = emphasis_at(data, runs[0].pos, hi)
        if found is None:
            scan = runs[0].pos + runs[0].count  # no partner: text
            continue
        el, end = found
        nodes += [data[pos:runs[0].pos], el]
        pos = scan = end
    nodes.append(data[pos:hi])
    return nodes


def emphasis_at(data: str, start: int, hi: int) -> tuple[etree.Element, int] | None:
    """The emphasis the run at ``start`` opens, and where it ends; None when
    the run finds no partner before hi."""
    runs = _runs(data, start, hi)
    if not runs or runs[0].pos != start:
        return None
    opened = runs[0].count
    pairs = _pairs(runs, 0)
    if not pairs:
        return None
    closes = [runs[e].pos for _, e in pairs]
    if any(inner > outer for outer, inner in zip(closes, closes[1:])):
        return None  # Discount would cross its tags here
    used: dict[int, int] = {}
    for (level, _), at in zip(pairs, closes):
        used[at] = used.get(at, 0) + level
    elements = [etree.Element(_TAGS[pairs[0][0]])]
    for level, _ in pairs[1:]:
        elements.append(etree.SubElement(elements[-1], _TAGS[level]))
    innermost = elements[-1]
    leftover = opened - sum(level for level, _ in pairs)
    # Discount writes a run's unmatched rest just inside the tags it opened
    _append(innermost, [runs[0].char * leftover] + parse(data, start + opened, closes[-1]))
    # between an inner close and the next outer one: more of the outer element
    for k in range(len(pairs) - 1, 0, -1):
        inner_end = closes[k] + used[closes[k]] if closes[k] < closes[k - 1] else closes[k - 1]
        _append(elements[k - 1], parse(data, inner_end, closes[k - 1]))
    return elements[0], closes[0] + used[closes[0]]


class DiscountEmphasisInlineProcessor(InlineProcessor):
    """Stands in for Python-Markdown's em_strong (see the module docstring)."""

    def __init__(self, md):
        super().__init__(r"\*+|_+", md)

    def handleMatch(self, m: re.Match, data: str):
        found = emphasis_at(data, m.start(0), len(data))
        if found is None:
            return None, None, None
        el, end = found
        return el, m.start(0), end
