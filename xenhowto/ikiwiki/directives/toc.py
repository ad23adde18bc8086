"""[[!toc levels=N startlevel=M]]: a table of contents of the page's headings
(ikiwiki's toc plugin).  The directive leaves a marker paragraph; the
extension's ``TocTreeprocessor`` replaces it once heading ids exist."""
from __future__ import annotations

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = True
MARKER = "IKIWIKI-TOC-MARKER"


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
    return f"\n\n{MARKER}:{levels}:{startlevel}\n\n"
