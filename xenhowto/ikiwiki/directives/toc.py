"""[[!toc levels=N startlevel=M]]: a table of contents of the page's headings
(ikiwiki's toc plugin).  The directive leaves a marker paragraph; the
extension's ``TocTreeprocessor`` replaces it once heading ids exist."""
from __future__ import annotations

import re

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = True
MARKER = "IKIWIKI-TOC-MARKER"
_MARKER_RE = re.compile(MARKER + r":([1-6]):([0-6])")
# Each table of contents holds every heading: more than a few per page only
# multiplies the page (ikiwiki would print them all).
MAX_PER_PAGE = 10
COUNT = "toc_count"


def marker(text: str | None) -> tuple[int, int] | None:
    """(levels, startlevel) of a marker paragraph's text, or None."""
    m = _MARKER_RE.fullmatch((text or "").strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def _level(d: Directive, key: str, default: int, low: int, high: int) -> int:
    raw = d.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise DirectiveError(f"toc {key}={raw!r} must be a whole number from {low} to {high}")
    return int(raw)


def render(d: Directive, ctx: PageContext) -> str:
    unknown = [k for k in d.keys() if k not in ("levels", "startlevel")]
    if unknown:
        raise DirectiveError(f"toc takes levels= and startlevel=, not {', '.join(unknown)}")
    levels = _level(d, "levels", 1, 1, 6)
    startlevel = _level(d, "startlevel", 0, 1, 6)
    ctx.state[COUNT] = ctx.state.get(COUNT, 0) + 1
    if ctx.state[COUNT] > MAX_PER_PAGE:
        raise DirectiveError(f"a page has at most {MAX_PER_PAGE} tables of contents; remove this one")
    return f"\n\n{MARKER}:{levels}:{startlevel}\n\n"


def finish(ctx: PageContext) -> None:
    ctx.state.pop(COUNT, None)
