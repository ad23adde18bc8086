"""A page of any day without rendering the whole page again: the page is
rendered once with a marker in place of each markdown block that holds a
fact directive (its template); each text such a block has on some day is
rendered once, and a day's page is the template with the day's blocks in
the markers' places.

That holds where such a block is a top-level block (not inside a list or a
quote): then it renders alone as it does in the page.  ``Slots.of`` returns
None where a marker is not a block of its own, and the caller checks the
assembly against a real rendering of one day before trusting it
(xenhowto.history.build)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from xenhowto.ikiwiki.syntax import Directive

# Words no page contains and markdown leaves alone.
_SLOT = "HOWTOHISTORYSLOT{}X"
_PIECE = "HOWTOHISTORYPIECE{}X"

Render = Callable[[str], str]  # markdown of the page's context -> HTML


_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Block:
    """The markdown block (between blank lines) around some fact directives."""

    start: int
    end: int
    members: tuple[int, ...]  # indexes of its directives in the page's list

    def text(self, page: str, found: list[Directive], outputs: tuple[str, ...]) -> str:
        """The block with its directives replaced by what they write."""
        out, pos = [], self.start
        for n in self.members:
            out += [page[pos:found[n].start], outputs[n]]
            pos = found[n].end
        out.append(page[pos:self.end])
        return "".join(out)


def blocks(page: str, found: list[Directive]) -> list[Block]:
    """The blocks holding the directives, in page order (two directives in
    one block share it)."""
    out: list[Block] = []
    for n, d in enumerate(found):
        before = [m.end() for m in _BLANK.finditer(page, 0, d.start)]
        after = _BLANK.search(page, d.end)
        start, end = (before[-1] if before else 0), (after.start() if after else len(page))
        if out and out[-1].end > start:
            out[-1] = Block(out[-1].start, max(end, out[-1].end), out[-1].members + (n,))
        else:
            out.append(Block(start, end, (n,)))
    return out


def template_markdown(page: str, parts: list[Block]) -> str:
    """The page's markdown with each block replaced by its marker."""
    out, pos = [], 0
    for n, b in enumerate(parts):
        out += [page[pos:b.start], _SLOT.format(n)]
        pos = b.end
    out.append(page[pos:])
    return "".join(out)


def _block_re(word: str) -> re.Pattern:
    # the marker's paragraph and the newline after it (a block's separator)
    return re.compile(r"<p>" + re.escape(word) + r"</p>(\n?)")


@dataclass(frozen=True)
class Slots:
    """The page's HTML cut at its markers: segments[0], slot 0, segments[1], ...
    (each slot's marker paragraph removed, with the newline after it kept
    in ``separators``)."""

    segments: tuple[str, ...]
    separators: tuple[str, ...]

    @classmethod
    def of(cls, template_html: str, count: int) -> "Slots | None":
        segments, separators, rest = [], [], template_html
        for n in range(count):
            found = _block_re(_SLOT.format(n)).findall(rest)
            m = _block_re(_SLOT.format(n)).search(rest)
            if len(found) != 1 or m is None:
                return None  # the block is not one of its own in the page
            segments.append(rest[:m.start()])
            separators.append(m.group(1))
            rest = rest[m.end():]
        segments.append(rest)
        return cls(tuple(segments), tuple(separators))

    def parts(self, pieces: list[str]) -> list[str]:
        """The page's HTML in order, slot n holding ``pieces[n]``; a slot whose
        block renders to nothing takes its separator with it, as a block that
        writes nothing leaves none."""
        out = [self.segments[0]]
        for piece, sep, seg in zip(pieces, self.separators, self.segments[1:]):
            out += [piece + sep if piece else "", seg]
        return out

    def fill(self, pieces: list[str]) -> str:
        return "".join(self.parts(pieces))


def render_pieces(texts: list[str], render: Render) -> dict[str, str]:
    """{markdown text: its HTML}, all rendered in one pass of the page's
    renderer (each text a block between two markers)."""
    distinct = list(dict.fromkeys(texts))
    if not distinct:
        return {}
    doc = "".join(f"\n\n{_PIECE.format(k)}\n\n{t.strip(chr(10))}\n\n" for k, t in enumerate(distinct))
    html = render(doc + f"\n\n{_PIECE.format(len(distinct))}\n\n")
    out = {}
    for k, t in enumerate(distinct):
        start = html.index(f"<p>{_PIECE.format(k)}</p>") + len(f"<p>{_PIECE.format(k)}</p>")
        end = html.index(f"<p>{_PIECE.format(k + 1)}</p>", start)
        piece = html[start:end]  # "\n" + the block's HTML + "\n" (the separators)
        piece = piece[1:] if piece.startswith("\n") else piece
        out[t] = piece[:-1] if piece.endswith("\n") else piece
    return out
