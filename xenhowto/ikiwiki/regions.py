"""[[!when]] regions of the full HOWTO at its as-of date.

A region whose condition no setup available at the date can meet is left out
(its text speaks of packages that left pkgsrc, of branches past their end of
support); one that every available setup meets loses its markers and so its
"For ..." label; the others stay as written.  ``reduce`` returns the text and,
for each of its lines, the line of the source it comes from, so findings keep
pointing at the page.  Guides need none of this: they evaluate each region on
their own setup.
"""
from __future__ import annotations

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive, scan

KEEP, DROP, UNWRAP = "keep", "drop", "unwrap"


def _regions(text: str) -> list[tuple[Directive, Directive]]:
    """Matched [[!when]] ... [[!endwhen]] pairs (nested ones too); unmatched
    markers are left to the page build to report."""
    pairs, stack = [], []
    for token in scan(text):
        if not isinstance(token, Directive):
            continue
        if token.name == "when":
            stack.append(token)
        elif token.name == "endwhen" and stack:
            pairs.append((stack.pop(), token))
    return pairs


def _decide(start: Directive, view) -> str:
    from xenhowto.guide.possible import always, possible
    from xenhowto.ikiwiki.directives import when

    try:
        cond = when.parse_condition(start)
    except DirectiveError:
        return KEEP  # reported where the directive is expanded
    if not possible(cond, view):
        return DROP
    if always(cond, view):
        return UNWRAP
    return KEEP


def _cut_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to whole lines when the markers stand alone on theirs, and
    to the blank line after them when one is before them too, so the page
    keeps no run of empty lines where text was."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    cut_end = min(line_end + 1, len(text))
    blank_before = line_start == 0 or text[max(line_start - 2, 0):line_start] == "\n\n"
    if blank_before and text.startswith("\n", cut_end):
        cut_end += 1
    return line_start, cut_end


def reduce(text: str, ctx: PageContext) -> tuple[str, list[int]]:
    """The text for the page at ``ctx.as_of`` and, per output line (index
    0 = line 1), its source line."""
    return apply(text, cuts(text, ctx))


def cuts(text: str, ctx: PageContext) -> list[list[int]]:
    """The spans [start, end) of ``text`` that the page at ``ctx.as_of`` leaves
    out, in order and not overlapping (the export's source map needs them)."""
    if "[[!when" not in text or ctx.as_of is None:
        return []
    from xenhowto.ikiwiki.directives import _facts

    try:
        view = _facts.view(ctx)
    except DirectiveError:
        return []
    found: list[tuple[int, int]] = []
    for start, end in _regions(text):
        decision = _decide(start, view)
        if decision == DROP:
            found.append(_cut_span(text, start.start, end.end))
        elif decision == UNWRAP:
            found.append(_cut_span(text, start.start, start.end))
            found.append(_cut_span(text, end.start, end.end))
    # overlapping cuts (a region inside a dropped one) merge
    found.sort()
    merged: list[list[int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def apply(text: str, merged: list[list[int]]) -> tuple[str, list[int]]:
    """``text`` without the spans ``merged`` (from ``cuts``), and the source line of each line."""
    if not merged:
        return text, list(range(1, text.count("\n") + 2))
    out, pos = [], 0
    for a, b in merged:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return "".join(out), _line_map(text, merged)


def _line_map(text: str, cuts: list[list[int]]) -> list[int]:
    """For the text with ``cuts`` removed: the source line of each line."""
    out_lines: list[int] = []
    at_line_start = True
    line = 1
    pos = 0
    for a, b in cuts + [[len(text), len(text)]]:
        i = pos
        while i < a:  # the kept text[pos:a], a line at a time
            if at_line_start:
                out_lines.append(line)
                at_line_start = False
            newline = text.find("\n", i, a)
            if newline < 0:
                break
            at_line_start = True
            line += 1
            i = newline + 1
        line += text.count("\n", a, b)
        pos = b
    if at_line_start:
        out_lines.append(line)
    return out_lines
