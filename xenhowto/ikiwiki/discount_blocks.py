"""Discount's block structure for Python-Markdown (see discount.py).

Discount does not indent list content on a 4-space grid.  A list item's
content starts at the column of its first word after the marker (markdown.c
``islist``/``listitem``), so a nested list needs only 2 spaces and a code
block inside ``1.`` needs 3 + 4; and a fence after a blank line is code
wherever it is (``compile_document``).  Rather than re-implement lists as
block processors, ``DiscountBlocks`` walks the blocks the way Discount's
``compile()`` does and writes them back with lists on Python-Markdown's
4-space grid and fences where fenced_code finds them, so Python-Markdown's
own list, code and paragraph processors then build the tree Discount builds.
"""
from __future__ import annotations

import re

# Block-level tags that start a raw HTML block (Discount's tags.c list).
_BLOCK_TAGS = {
    "address", "blockquote", "center", "del", "div", "dl", "fieldset", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "iframe", "ins", "map", "math", "noscript", "object", "ol", "p", "pre",
    "script", "style", "table", "ul",
}
_HR_RE = re.compile(r"^ {0,3}([-*_=])(?: *\1){2,} *$")
_SETEXT_RE = re.compile(r"^(?:=+|-+) *$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OL_RE = re.compile(r"^(\d+)\.")
_TAG_RE = re.compile(r"^<(!--|/?[a-zA-Z][a-zA-Z0-9]*)")
_INDENT = 4  # Python-Markdown's tab_length: one level of list content


def _blank(line: str) -> bool:
    return not line.strip()


def _dle(line: str) -> int:
    """Discount's ``dle``: the column of the first non-blank character."""
    return len(line) - len(line.lstrip())


class _Lines:
    """A block of lines and Discount's tests on them (markdown.c)."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    def next_nonblank(self, i: int) -> int | None:
        while i < len(self.lines) and _blank(self.lines[i]):
            i += 1
        return i if i < len(self.lines) else None

    def is_code(self, i: int) -> bool:
        return not _blank(self.lines[i]) and _dle(self.lines[i]) >= 4

    def is_hr(self, i: int) -> bool:
        return bool(_HR_RE.match(self.lines[i]))

    def is_setext(self, i: int) -> bool:
        """Line i is the text of a setext heading: the next line is === or ---."""
        return i + 1 < len(self.lines) and bool(_SETEXT_RE.match(self.lines[i + 1])) \
            and not _blank(self.lines[i])

    def is_hdr(self, i: int) -> bool:
        line = self.lines[i]
        return (line.startswith("#") and len(line) > 1) or self.is_setext(i)

    def end_of_block(self, i: int) -> bool:
        return _blank(self.lines[i]) or self.is_hr(i) or self.is_hdr(i)

    def is_quote(self, i: int) -> bool:
        line = self.lines[i]
        d = _dle(line)
        return d < 4 and line[d:d + 1] == ">"

    def is_fence(self, i: int) -> bool:
        return bool(_FENCE_RE.match(self.lines[i]))

    def list_clip(self, i: int) -> int | None:
        """Discount's ``islist``: the column where the item's content starts
        (its "clip"), or None when line i does not start a list item.
        Bullets clip at most 4 columns; numbers clip the whole marker."""
        if self.end_of_block(i):
            return None
        line = self.lines[i]
        d = _dle(line)
        if d >= 4:
            return None
        if line[d] in "*-+" and line[d + 1:d + 2].isspace():
            return min(d + 1 + _dle(line[d + 1:]), 4)
        m = _OL_RE.match(line[d:])
        if m and line[d + m.end():d + m.end() + 1].isspace():
            return d + m.end() + _dle(line[d + m.end():])
        return None

    def discount_dt(self, i: int) -> int:
        """Discount's own definition list (``is_discount_dt``): lines
        ``=term=`` followed by a line indented 4; the number of term lines."""
        k = i
        while k + 1 < len(self.lines):
            line = self.lines[k]
            if not (len(line) > 2 and line[0] == "=" and line.rstrip()[-1] == "="):
                return 0
            if _dle(self.lines[k + 1]) >= 4 and not _blank(self.lines[k + 1]):
                return k + 1 - i
            k += 1
        return 0

    def html_end(self, i: int) -> int | None:
        """A raw HTML block starting at line i (a block tag in column 0): the
        index after its last line, as Discount's ``htmlblock`` finds it."""
        m = _TAG_RE.match(self.lines[i])
        if not m:
            return None
        tag = m.group(1).lower()
        if tag == "!--":
            for j in range(i, len(self.lines)):
                if "-->" in self.lines[j]:
                    return j + 1
            return None
        if tag not in _BLOCK_TAGS:
            return None
        if tag == "hr":
            return i + 1
        depth = 0
        pattern = re.compile(rf"<(/?){tag}(?![a-z0-9])", re.I)
        for j in range(i, len(self.lines)):
            for t in pattern.finditer(self.lines[j]):
                depth += -1 if t.group(1) else 1
                if depth == 0:
                    return j + 1
        return None


def _atx(line: str) -> str:
    """Discount drops closing #s only at the very end of the line: after
    them, trailing blanks keep them as text ("## A ##  " is "A ##")."""
    stripped = line.rstrip()
    if stripped == line or not stripped.endswith("#"):
        return line
    body = stripped.rstrip("#")
    if not body.lstrip("#").strip():
        return line
    return body + "\\#" * (len(stripped) - len(body))


def _trim(line: str, clip: int) -> str:
    """Discount's ``__mkd_trim_line``: cut ``clip`` characters off the front."""
    return line[clip:] if clip < len(line) else ""


class DiscountBlocks:
    """Discount's block structure (markdown.c ``compile``), re-emitted as
    markdown that Python-Markdown parses into the same blocks."""

    def __init__(self, tab_length: int = _INDENT):
        self.tab = tab_length

    def run(self, lines: list[str]) -> list[str]:
        lines = [ln.expandtabs(self.tab) if "\t" in ln else ln for ln in lines]
        # Discount (compile_document) takes a fence after a blank line out of
        # the document before it looks at any other block: the code block
        # ends a list it sits in, and its lines stay as they are, indentation
        # included.  Written back as a fence in column 0 (no language when
        # the fence was indented: Discount's class for it is junk).
        b = _Lines(lines)
        out: list[str] = []
        start = i = 0
        while i < len(lines):
            end = self._fence_end(b, i) if b.is_fence(i) and (i == 0 or _blank(lines[i - 1])) else None
            if end is None:
                i += 1
                continue
            out.extend(self.blocks(lines[start:i], True))
            fence = lines[i].strip() if _dle(lines[i]) == 0 else _FENCE_RE.match(lines[i]).group(1)
            bare = _FENCE_RE.match(lines[i]).group(1)
            out.extend(["", fence, *lines[i + 1:end - 1], bare, ""])
            start = i = end
        out.extend(self.blocks(lines[start:], True))
        return out

    def blocks(self, lines: list[str], toplevel: bool) -> list[str]:
        b = _Lines(lines)
        out: list[str] = []
        i, n = 0, len(lines)
        block_start = True  # the previous line ended a block
        while i < n:
            line = lines[i]
            if _blank(line):
                out.append(line)
                i, block_start = i + 1, True
                continue
            if b.is_fence(i) and block_start:
                end = self._fence_end(b, i)
                if end is not None:
                    if out and not _blank(out[-1]):
                        # Discount ends a heading's block at its line, so a fence
                        # right under a heading opens code; Python-Markdown
                        # needs the blank line to see it.
                        out.append("")
                    if toplevel and _dle(line) == 0:
                        out.extend(lines[i:end])  # fenced_code does the rest
                    else:
                        # Discount also opens fenced code indented (in a list
                        # item, or 1-3 spaces in) and keeps the lines as they
                        # are; fenced_code wants column 0, so write the same
                        # code as an indented block.
                        out.extend(" " * self.tab + ln if not _blank(ln) else "" for ln in lines[i + 1:end - 1])
                    i = end
                    continue
            if b.is_code(i):
                j = i + 1
                while j < n and (b.is_code(j) or (_blank(lines[j]) and (k := b.next_nonblank(j)) is not None
                                                  and b.is_code(k))):
                    j += 1
                out.extend(lines[i:j])
                i = j
                continue
            if b.is_hr(i):
                out.append(line)
                i += 1
                continue
            labels = b.discount_dt(i)
            if labels:
                emitted, i = self.discount_dl(b, i, labels)
                out.extend(emitted)
                block_start = True
                continue
            clip = b.list_clip(i)
            if clip is not None:
                emitted, i = self.list_block(b, i, clip)
                out.extend(emitted)
                block_start = True
                continue
            if b.is_quote(i):
                emitted, i = self.quote_block(b, i)
                out.extend(emitted)
                continue
            if b.is_hdr(i):
                if line.startswith("#"):
                    out.append(_atx(line))
                    i += 1
                else:
                    out.extend(lines[i:i + 2])
                    i += 2
                block_start = True
                continue
            if line.startswith("<"):
                end = b.html_end(i)
                if end is not None:
                    out.extend(lines[i:end])
                    i = end
                    continue
            # a paragraph: up to a blank line, hr, heading or quote; inside a
            # list item also up to a list item (markdown.c endoftextblock)
            j = i + 1
            while j < n and not (b.end_of_block(j) or b.is_quote(j)
                                 or (not toplevel and b.list_clip(j) is not None)):
                j += 1
            for k in range(i, j):
                # Discount opens fenced code only at the start of a block: a
                # fence inside a paragraph is text (``` pairs as a code span).
                # Indented by one space, Python-Markdown's fenced_code (which
                # wants the fence in column 0) leaves it to the paragraph too.
                out.append(" " + lines[k] if k > i and b.is_fence(k) else lines[k])
            if j < n and b.is_setext(j):
                # Discount ends the paragraph above a setext heading's text;
                # Python-Markdown would take that line into the paragraph and
                # read the underline as a rule.
                out.append("")
            i, block_start = j, False
        return out

    def _fence_end(self, b: _Lines, i: int) -> int | None:
        """The index after the closing fence of the fence at line i: a fence
        of the same character at least as long (markdown.c iscodefence)."""
        fence = _FENCE_RE.match(b.lines[i]).group(1)
        for j in range(i + 1, len(b)):
            m = _FENCE_RE.match(b.lines[j])
            if m and m.group(1).startswith(fence):
                return j + 1
        return None

    def list_block(self, b: _Lines, i: int, clip: int) -> tuple[list[str], int]:
        """Discount's ``enumerated_block``: items until a line that is not a
        list item; bullets and numbers continue the same list."""
        out: list[str] = []
        first = b.lines[i].lstrip()
        ordered = bool(_OL_RE.match(first))
        while True:
            marker_line = b.lines[i].lstrip()
            m = _OL_RE.match(marker_line)
            marker = (m.group(0) if m else "1.") if ordered else "*"
            content, i = self.list_item(b, i, clip)
            body = self.blocks(content, False)
            out.append(f"{marker} {body[0].lstrip()}" if body else marker)
            out.extend(" " * self.tab + ln if not _blank(ln) else "" for ln in body[1:])
            q = b.next_nonblank(i)
            if q is None or (next_clip := b.list_clip(q)) is None:
                return out, i
            out.extend("" for _ in range(i, q))
            if q == i and any(_blank(ln) for ln in body):
                # Python-Markdown reads an indented block up to the next blank
                # line as one; the blank line lets it see the new item.
                out.append("")
            i, clip = q, next_clip

    def list_item(self, b: _Lines, t: int, indent: int) -> tuple[list[str], int]:
        """Discount's ``listitem``: the item's lines with its indentation cut
        off, and the index after it.  After a blank line the item goes on
        only while lines are indented to its content column; a less indented
        list item or rule ends it."""
        clip = indent
        out: list[str] = []
        while True:
            out.append(_trim(b.lines[t], clip))
            indent = min(indent, 4)
            q = b.next_nonblank(t + 1)
            if q is None:
                return out, len(b)
            d = _dle(b.lines[q])
            if q != t + 1:
                if d < indent:
                    return out, t + 1
                indent = clip if clip else 2
                out.extend("" for _ in range(t + 1, q))
            if d < indent and (b.is_hr(q) or b.list_clip(q) is not None) and not b.is_setext(q):
                return out, t + 1
            clip = min(d, indent)
            t = q

    def discount_dl(self, b: _Lines, i: int, labels: int) -> tuple[list[str], int]:
        """``=term=`` / indented definition, written as the Markdown Extra
        definition list (term, then ``:   definition``) that def_list reads."""
        out = [b.lines[k].rstrip()[1:-1] for k in range(i, i + labels)]
        content, end = self.list_item(b, i + labels, 4)
        body = self.blocks(content, False)
        out.append(f":   {body[0].lstrip()}")
        out.extend(" " * self.tab + ln if not _blank(ln) else "" for ln in body[1:])
        return out, end

    def quote_block(self, b: _Lines, i: int) -> tuple[list[str], int]:
        """Discount's ``quoteblock``: strip "> " (lazy lines stay as they are),
        treat the content as a document of its own, quote it again."""
        content: list[str] = []
        t = i
        while True:
            line = b.lines[t]
            if b.is_quote(t):
                rest = line[line.index(">") + 1:]
                line = rest[1:] if rest.startswith(" ") else rest
            content.append(line)
            q = b.next_nonblank(t + 1)
            if q is None or (q != t + 1 and not b.is_quote(q)):
                end = t + 1
                break
            content.extend("" for _ in range(t + 1, q))
            t = q
        return [f"> {ln}" if not _blank(ln) else ">" for ln in self.blocks(content, True)], end
