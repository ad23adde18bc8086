"""[[!table data=\"\"\"...\"\"\" format=dsv|csv header=row|column|no class=...]]:
an HTML table from delimited data (ikiwiki's table plugin, same defaults:
format auto-detected, first row is the header, empty cells extend the previous
cell's colspan)."""
from __future__ import annotations

import csv
import html
import io
import re

from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = True
_KEYS = {"data", "format", "delimiter", "header", "class"}


def _rows(d: Directive) -> list[list[str]]:
    data = d.get("data")
    if d.get("file") is not None:
        raise DirectiveError('table file= is not supported here; put the rows in data="""..."""')
    if data is None or not data.strip():
        raise DirectiveError('table needs data="""row|row""" with at least one row')
    fmt = (d.get("format") or "auto").lower()
    if fmt == "auto":
        first = data.split("\n", 1)[0]
        fmt = "dsv" if "|" in first[1:] else "csv"
    if fmt == "dsv":
        sep = d.get("delimiter") or "|"
        return [line.split(sep) for line in data.split("\n")]
    if fmt == "csv":
        sep = d.get("delimiter") or ","
        if len(sep) != 1:
            raise DirectiveError(f"table delimiter {sep!r} must be one character for csv")
        return [row for row in csv.reader(io.StringIO(data), delimiter=sep)]
    raise DirectiveError(f"table format={fmt!r} is unknown; use dsv or csv")


# A cell of plain words, dates and versions renders as itself (escaped): no
# need to run markdown over it.  Anything that could be syntax goes to markdown.
# (Not: 4 leading blanks (code), a list marker or # after blanks, a line of dashes (a rule).)
_PLAIN = re.compile(r"^(?![ ]{4}|\s*(?:[-+*](?:\s|$)|\d+[.)](?:\s|$)|#)|\s*(?:-\s*){3,}$)[A-Za-z0-9 ,.()/:+'-]*$")


def _cell(md, text: str) -> str:
    if _PLAIN.match(text):
        return html.escape(text.lstrip(), quote=False)  # as markdown: leading blanks go
    out = md.reset().convert(text)
    for problem in getattr(md, "limit_problems", ()):
        raise DirectiveError(f"a table cell: {problem}")
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def _row(md, tag: str, cells: list[str], header: str) -> list[str]:
    out = ["\t\t<tr>"]
    x = 0
    while x < len(cells):
        content = _cell(md, cells[x])
        span = 1
        while x + 1 < len(cells) and cells[x + 1] == "":
            x += 1
            span += 1
        t = "th" if x - span + 1 == 0 and header == "column" else tag
        attr = f' colspan="{span}"' if span > 1 else ""
        out.append(f"\t\t\t<{t}{attr}>{content}</{t}>")
        x += 1
    out.append("\t\t</tr>")
    return out


def _markdown_table(head: list[str] | None, rows: list[list[str]]) -> str:
    """A guide's table as a markdown pipe table (guides are markdown to read)."""
    width = max(len(r) for r in ([head] if head else []) + rows)
    head = head or [""] * width

    def line(cells):
        cells = [c.strip().replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n\n" + "\n".join([line(head), "|" + "---|" * width] + [line(r) for r in rows]) + "\n\n"


def render(d: Directive, ctx: PageContext) -> str:
    unknown = [k for k in d.keys() if k not in _KEYS and k != "file"]
    if unknown:
        raise DirectiveError(f"table does not take {', '.join(unknown)}; it takes {', '.join(sorted(_KEYS))}")
    rows = _rows(d)
    header = (d.get("header") or "row").lower()
    if header not in ("row", "column", "yes", "no", "1", "0"):
        raise DirectiveError(f"table header={header!r} must be row, column or no")
    head = rows.pop(0) if header in ("row", "yes", "1") else None
    if not rows:
        raise DirectiveError("table has a header row but no data rows")
    if ctx.target == GUIDE:
        return _markdown_table(head, rows)
    import markdown

    from xenhowto.ikiwiki.limits import LimitsExtension

    # The cells' HTML lands in the page, which the htmlscrubber cleans as a whole.
    md = markdown.Markdown(extensions=[LimitsExtension()])
    cls = d.get("class")
    lines = [f'<table class="{html.escape(cls)}">' if cls else "<table>"]
    if head is not None:
        lines += ["\t<thead>", *_row(md, "th", head, header), "\t</thead>", "\t<tbody>"]
    for r in rows:
        lines += _row(md, "td", r, header)
    if head is not None:
        lines.append("\t</tbody>")
    lines.append("</table>")
    return "\n\n" + "\n".join(lines) + "\n\n"
