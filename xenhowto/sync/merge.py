"""The three-way comparison of a page's texts, line by line: BASE (the last
synchronised text), OURS (what the sources export now) and WIKI (the wiki's
page now).  merge3 (Breezy's three-way merge) finds the lines all three
share; between them each stretch is unchanged, changed by one side only, by
both the same way, or a conflict.  Lines are matched by patience diff (also
Breezy's): it anchors on lines that occur once, so the page's many blank
lines do not misalign a change, and it is fast."""
from __future__ import annotations

from dataclasses import dataclass

import merge3
from patiencediff import PatienceSequenceMatcher as Matcher

UNCHANGED, OURS, WIKI, SAME, CONFLICT = "unchanged", "ours", "wiki", "same", "conflict"


@dataclass(frozen=True)
class Region:
    kind: str
    base: tuple[int, int]  # line ranges [start, end) in each text
    ours: tuple[int, int]
    wiki: tuple[int, int]


@dataclass(frozen=True)
class Hunk:
    """One change of the wiki: WIKI lines ``wiki`` replace the lines ``ours``
    of OURS (equal to the lines ``base`` of BASE)."""

    base: tuple[int, int]
    ours: tuple[int, int]
    wiki: tuple[int, int]


def lines(text: str) -> list[str]:
    """The lines of a text; "\\n".join() gives it back exactly."""
    return text.split("\n")


def regions(base: list[str], ours: list[str], wiki: list[str]) -> list[Region]:
    # merge3.merge_regions() gives the region kinds but, for a change on the
    # wiki's side only, not the range of OURS it replaces; find_sync_regions()
    # gives all three ranges, so the kinds are told here the same way.
    m = merge3.Merge3(base, ours, wiki, sequence_matcher=Matcher)
    out: list[Region] = []
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in m.find_sync_regions():
        if zmatch > iz or amatch > ia or bmatch > ib:
            b, o, w = base[iz:zmatch], ours[ia:amatch], wiki[ib:bmatch]
            kind = SAME if o == w else WIKI if o == b else OURS if w == b else CONFLICT
            out.append(Region(kind, (iz, zmatch), (ia, amatch), (ib, bmatch)))
        if zend > zmatch:
            out.append(Region(UNCHANGED, (zmatch, zend), (amatch, aend), (bmatch, bend)))
        iz, ia, ib = zend, aend, bend
    return out


def wiki_hunks(region: Region, base: list[str], wiki: list[str]) -> list[Hunk]:
    """A change on the wiki's side only, in its smallest pieces (OURS equals
    BASE there, so the same opcodes locate each piece in OURS)."""
    (z0, z1), (a0, _), (b0, b1) = region.base, region.ours, region.wiki
    out = []
    for tag, i1, i2, j1, j2 in Matcher(None, base[z0:z1], wiki[b0:b1]).get_opcodes():
        if tag != "equal":
            out.append(Hunk((z0 + i1, z0 + i2), (a0 + i1, a0 + i2), (b0 + j1, b0 + j2)))
    return out


def keep_wiki(base: list[str], ours: list[str], wiki: list[str]) -> tuple[list[str], list[Region]]:
    """OURS with the wiki's text wherever the wiki changed it and OURS did not
    take the change (or changed the same lines otherwise): what the wiki
    directory gets, so nothing the wiki has is lost.  Also returns those
    regions, where the result differs from OURS."""
    out: list[str] = []
    kept = []
    for r in regions(base, ours, wiki):
        if r.kind in (WIKI, CONFLICT):
            out += wiki[r.wiki[0]:r.wiki[1]]
            kept.append(r)
        else:
            out += ours[r.ours[0]:r.ours[1]]
    return out, kept
