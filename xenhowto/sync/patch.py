"""A wiki hunk as an edit of the page source, through the export's source map.

Lines the page has written by hand (``Origin.span``) are edited in place; a
line inserted by the wiki goes after the hand-written line before it (or
before the one after it).  A hunk that touches generated text, or whose new
lines cannot be written where they would export the same, is not an edit:
the reason says why and where the text comes from."""
from __future__ import annotations

from dataclasses import dataclass

from xenhowto import conflict_markers
from xenhowto.ikiwiki.sourcemap import Origin, unrendered


@dataclass(frozen=True)
class Edit:
    """Replace ``page[start:end]`` with ``text``."""

    start: int
    end: int
    text: str


class NotHandWritten(Exception):
    """The lines are not (all) hand-written text of the page; ``origins`` are the others."""

    def __init__(self, message: str, origins: list[Origin]):
        super().__init__(message)
        self.origins = origins


def apply(page: str, edits: list[Edit]) -> str:
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        page = page[:e.start] + e.text + page[e.end:]
    return page


def _span(origins: list[Origin], page: str) -> tuple[int, int, str]:
    """(start, end, indent) of hand-written lines that follow each other in the page."""
    others = [o for o in origins if not o.hand_written]
    if others:
        raise NotHandWritten("generated", others)
    indents = {o.indent for o in origins}
    if len(indents) > 1:
        raise NotHandWritten("the lines mix an example's text and the text around it", [])
    for a, b in zip(origins, origins[1:]):
        if b.span[0] != a.span[1] + 1 or page[a.span[1]] != "\n":
            raise NotHandWritten("the lines are not next to each other in the page source", [])
    return origins[0].span[0], origins[-1].span[1], indents.pop()


def _source_lines(new: list[str], indent: str) -> list[str]:
    out = [unrendered(line, indent) for line in new]
    if any(line is None for line in out):
        raise NotHandWritten(f"the new lines are not all indented like the example they are in ({indent!r})", [])
    return out


def replacement(origins: list[Origin], ours: tuple[int, int], new: list[str], page: str) -> Edit:
    """The edit that makes the lines ``ours`` of the export read ``new``;
    raises NotHandWritten when there is none."""
    i0, i1 = ours
    if i0 < i1:
        start, end, indent = _span(origins[i0:i1], page)
        if not new:  # the lines go, with one of the newlines around them
            if end < len(page) and page[end] == "\n":
                end += 1
            elif start > 0 and page[start - 1] == "\n":
                start -= 1
            return Edit(start, end, "")
        return Edit(start, end, "\n".join(_source_lines(new, indent)))
    return insertion(origins, i0, lambda indent: "\n".join(_source_lines(new, indent)), page)


def insertion(origins: list[Origin], at: int, text_for, page: str) -> Edit:
    """Text inserted before line ``at`` of the export: after the hand-written
    line before it, else before the hand-written line at it."""
    reasons = []
    if at > 0 and origins[at - 1].hand_written:
        o = origins[at - 1]
        try:
            return Edit(o.span[1], o.span[1], "\n" + text_for(o.indent))
        except NotHandWritten as e:
            reasons.append(str(e))
    if at < len(origins) and origins[at].hand_written:
        o = origins[at]
        try:
            return Edit(o.span[0], o.span[0], text_for(o.indent) + "\n")
        except NotHandWritten as e:
            reasons.append(str(e))
    around = [o for o in origins[max(at - 1, 0):at + 1] if not o.hand_written]
    raise NotHandWritten("; ".join(reasons) or "generated", around)


def conflict(origins: list[Origin], ours: tuple[int, int], new: list[str], page: str,
             ours_label: str, wiki_label: str) -> Edit:
    """Conflict markers around the page's text of the lines ``ours`` and the
    wiki's lines ``new``; raises NotHandWritten when those lines are not the
    page's own text."""
    i0, i1 = ours
    if i0 < i1:
        start, end, indent = _span(origins[i0:i1], page)
        mine = page[start:end].split("\n")
        theirs = [unrendered(line, indent) for line in new]
        theirs = [t if t is not None else line for t, line in zip(theirs, new)]
        return Edit(start, end, "\n".join(conflict_markers.block(mine, theirs, ours_label, wiki_label)))

    def text_for(indent: str) -> str:
        theirs = [unrendered(line, indent) for line in new]
        theirs = [t if t is not None else line for t, line in zip(theirs, new)]
        return "\n".join(conflict_markers.block([], theirs, ours_label, wiki_label))

    return insertion(origins, i0, text_for, page)
