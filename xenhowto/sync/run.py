"""``howto sync --wiki DIR`` and ``howto export --check DIR``.

sync, for each page: compare the last synchronised text (BASE), the wiki's
page (WIKI) and the page the sources export now (OURS).  Each change of the
wiki that OURS does not have yet becomes an edit of the page source where the
source map says the text is hand-written, checked by exporting again (the
result must read exactly as the wiki); an edit of generated text is reported
with the data entry or template it comes from; lines both sides changed get
conflict markers in the source.  Then the result is exported into DIR, where
text that was not applied stays as the wiki has it, and becomes the last
synchronised text.  Files are written in the order docs/, DIR, wiki-sync/,
so an interrupted run is repeated safely."""
from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass, field

from xenhowto import atomic
from xenhowto.export import read_exported, read_source, render_page, write_pages
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.sourcemap import Origin
from xenhowto.pages import wiki_sources
from xenhowto.project import Project
from xenhowto.sync import last_synced, merge, patch
from xenhowto.sync.merge import Hunk, lines

APPLIED, GENERATED, NOT_APPLIED, CONFLICT, KEPT, PUBLISHED, NO_BASE, MISSING = (
    "applied", "generated", "not applied", "conflict", "kept", "published", "no base", "missing")


@dataclass
class Item:
    """One thing sync did or could not do, reported as ``path:line: message``."""

    kind: str
    path: str
    line: int
    message: str
    wiki: list[str] = field(default_factory=list)  # the wiki's wording
    ours: list[str] = field(default_factory=list)  # the sources' wording
    wiki_range: tuple[int, int] | None = None

    @property
    def needs_person(self) -> bool:
        return self.kind not in (APPLIED, PUBLISHED)

    def __str__(self) -> str:
        out = [f"{self.path}:{self.line}: {self.message}"]
        if self.wiki or self.ours:
            out += ["    the wiki has:" if self.wiki else "    the wiki has nothing here"]
            out += [f"      | {line}" for line in self.wiki]
            out += ["    the sources give:" if self.ours else "    the sources give nothing here"]
            out += [f"      | {line}" for line in self.ours]
        return "\n".join(out)


@dataclass
class Outcome:
    items: list[Item] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def needs_person(self) -> list[Item]:
        return [i for i in self.items if i.needs_person]


def comes_from(origins: list[Origin]) -> str:
    """'data/pkgsrc_packages.yaml:45 (xenkernel45), through [[!xen_packages]] on line 87'"""
    parts = []
    for o in origins:
        if o.directive is None:
            parts.append(f"the text around a directive on line {o.line}")
            continue
        through = f"[[!{o.directive}]] on line {o.line}"
        parts.append(", ".join(str(s) for s in o.sources) + f", through {through}" if o.sources else through)
    return "; ".join(dict.fromkeys(parts))


class _Page:
    """One page's sync: the three texts, and what becomes of the wiki's changes."""

    def __init__(self, project: Project, src: str, wiki_dir: str, as_of: dt.date,
                 page: str, base: str, wiki: str, ours):
        self.project, self.src, self.wiki_dir, self.as_of = project, src, wiki_dir, as_of
        self.path = os.path.relpath(os.path.join(project.docs_dir, src))
        self.wiki_path = os.path.join(wiki_dir, src)
        self.page, self.ours_mapped = page, ours
        self.base, self.ours, self.wiki = lines(base), lines(ours.text), lines(wiki)
        self.items: list[Item] = []

    def render(self, page: str):
        return render_page(self.project, self.src, page, self.as_of)

    def report(self, kind: str, line: int, message: str, hunk_ours, hunk_wiki) -> None:
        self.items.append(Item(kind, self.path, line, message, self.wiki[slice(*hunk_wiki)],
                               self.ours[slice(*hunk_ours)], hunk_wiki))

    def line_at(self, ours_index: int) -> int:
        origins = self.ours_mapped.lines
        return origins[min(ours_index, len(origins) - 1)].line

    def plan(self):
        """(edits of hand-written text with their hunks, conflict edits with their regions)."""
        origins = self.ours_mapped.lines
        edits, markers = [], []
        for region in merge.regions(self.base, self.ours, self.wiki):
            if region.kind == merge.WIKI:
                for hunk in merge.wiki_hunks(region, self.base, self.wiki):
                    new = self.wiki[slice(*hunk.wiki)]
                    try:
                        edits.append((hunk, patch.replacement(origins, hunk.ours, new, self.page)))
                    except patch.NotHandWritten as e:
                        self._not_hand_written(e, hunk.ours, hunk.wiki)
            elif region.kind == merge.CONFLICT:
                new = self.wiki[slice(*region.wiki)]
                try:
                    markers.append((region, patch.conflict(origins, region.ours, new, self.page,
                                                           f"{self.path} (the sources)", f"{self.wiki_path} (the wiki)")))
                except patch.NotHandWritten as e:
                    self.report(CONFLICT, self.line_at(region.ours[0]),
                                "conflict: the wiki and the sources both changed this text since the last sync, and "
                                f"the sources' side is generated: it comes from {comes_from(e.origins) or e}; make "
                                "data/ or the page give the text that is right (the wiki keeps its wording until "
                                "the sources give the same text)",
                                region.ours, region.wiki)
        return edits, markers

    def _not_hand_written(self, e: patch.NotHandWritten, ours, wiki) -> None:
        line = self.line_at(ours[0])
        if e.origins:
            self.report(GENERATED, line,
                        f"not applied: the wiki changed generated text; it comes from {comes_from(e.origins)}: "
                        "change it there (the wiki keeps its wording until the sources give the same text; "
                        f"to drop the wiki's wording instead, `howto export -o {self.wiki_dir} --force`)", ours, wiki)
        else:
            self.report(NOT_APPLIED, line, f"not applied: {e}; make this edit in the page by hand "
                        "(the wiki keeps its wording until the sources give the same text)", ours, wiki)

    def expected(self, hunks: list[Hunk]) -> list[str]:
        out = list(self.ours)
        for h in sorted(hunks, key=lambda h: h.ours, reverse=True):
            out[h.ours[0]:h.ours[1]] = self.wiki[slice(*h.wiki)]
        return out

    def _exports_as(self, page: str, expected: list[str]):
        try:
            mapped = self.render(page)
        except HowtoError as e:
            return None, (e.findings[0].message if e.findings else str(e))
        if lines(mapped.text) != expected:
            return None, "the page would not export as the wiki has it"
        return mapped, None

    def verify(self, edits):
        """The edits that export exactly as the wiki has the text: all at once
        when they can, else one by one from the bottom of the page up."""
        if not edits:
            return [], self.ours_mapped
        page = patch.apply(self.page, [e for _, e in edits])
        mapped, _ = self._exports_as(page, self.expected([h for h, _ in edits]))
        if mapped is not None:
            return edits, mapped
        kept, mapped = [], self.ours_mapped
        for hunk, edit in sorted(edits, key=lambda he: he[0].ours, reverse=True):
            trial = kept + [(hunk, edit)]
            result, why = self._exports_as(patch.apply(self.page, [e for _, e in trial]),
                                           self.expected([h for h, _ in trial]))
            if result is None:
                self.report(NOT_APPLIED, self.line_at(hunk.ours[0]),
                            f"not applied: written into the page here, the wiki's edit would not come back "
                            f"the same ({why}); make it in the page by hand", hunk.ours, hunk.wiki)
                continue
            kept, mapped = trial, result
        return kept, mapped


    def run(self) -> _Result:
        edits, markers = self.plan()
        kept, mapped = self.verify(edits)
        for hunk, _ in kept:
            at = min(hunk.ours[0] + _shift(kept, hunk), len(mapped.lines) - 1)
            self.items.append(Item(APPLIED, self.path, mapped.lines[at].line, "applied the wiki's edit",
                                   self.wiki[slice(*hunk.wiki)], self.ours[slice(*hunk.ours)]))
        all_edits = [e for _, e in kept] + [e for _, e in markers]
        new_page = patch.apply(self.page, all_edits)
        result = _Result(page=new_page if new_page != self.page else None)
        if markers:
            at = _marker_lines(new_page, all_edits, [e for _, e in markers])
            for region, edit in markers:
                self.items.append(Item(CONFLICT, self.path, at[id(edit)],
                                       "conflict: the wiki and the sources both changed these lines since the last "
                                       "sync; keep what is right between the <<<<<<< and >>>>>>> markers, delete "
                                       "the markers, then run `howto sync` again",
                                       self.wiki[slice(*region.wiki)], self.ours[slice(*region.ours)], region.wiki))
            # nothing is exported until the conflicts are resolved; what the
            # page took from the wiki counts as synchronised, the rest not yet
            taken = [(h.base, h.wiki) for h, _ in kept] + [(r.base, r.wiki) for r, _ in markers]
            base = list(self.base)
            for b, w in sorted(taken, reverse=True):
                base[b[0]:b[1]] = self.wiki[w[0]:w[1]]
            result.base = "\n".join(base)
        else:
            text, kept_regions = merge.keep_wiki(self.base, lines(mapped.text), self.wiki)
            result.export = ("\n".join(text), mapped.text)
            result.base = mapped.text
            self._safety_net(kept_regions, mapped)
        result.items = sorted(self.items, key=lambda i: i.line)
        return result

    def _safety_net(self, kept_regions, mapped) -> None:
        """Every place where DIR keeps the wiki's text must have been reported."""
        reported = [i.wiki_range for i in self.items if i.needs_person and i.wiki_range is not None]
        for r in kept_regions:
            if any(a <= r.wiki[1] and r.wiki[0] <= b for a, b in reported):
                continue
            self.items.append(Item(KEPT, self.path, mapped.lines[min(r.ours[0], len(mapped.lines) - 1)].line,
                                   "the wiki's text here differs from the sources' and was kept as the wiki has it; "
                                   "bring it into the page by hand", self.wiki[slice(*r.wiki)],
                                   lines(mapped.text)[slice(*r.ours)], r.wiki))


def _marker_lines(new_page: str, edits: list[patch.Edit], markers: list[patch.Edit]) -> dict[int, int]:
    """id(edit) -> line of its <<<<<<< in the page once all edits are applied."""
    out, shift = {}, 0
    ids = {id(m) for m in markers}
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if id(e) in ids:
            out[id(e)] = new_page.count("\n", 0, e.start + shift) + 1 + e.text.startswith("\n")
        shift += len(e.text) - (e.end - e.start)
    return out


@dataclass
class _Result:
    """What one page's sync writes (None: nothing) and reports."""

    items: list[Item] = field(default_factory=list)
    page: str | None = None  # the page source
    export: tuple[str, str] | None = None  # (text for DIR, text the sources export)
    base: str | None = None  # the new last synchronised text


def sync(project: Project, wiki_dir: str, as_of: dt.date) -> Outcome:
    """Bring the wiki's edits in DIR into docs/, then export the result into DIR."""
    synced = last_synced.read(project)
    results = {src: _sync_page(project, src, wiki_dir, as_of, synced) for src in wiki_sources(project.docs_dir)}
    outcome = Outcome([i for r in results.values() for i in r.items])
    for src, r in results.items():
        if r.page is not None:
            dest = os.path.join(project.docs_dir, src)
            atomic.write_text(dest, r.page)
            outcome.written.append(dest)
    exports = {src: r.export for src, r in results.items() if r.export is not None}
    if exports:
        outcome.written += write_pages(wiki_dir, exports)
    bases = {src: r.base for src, r in results.items() if r.base is not None}
    outcome.written += last_synced.record(project, bases, as_of, "howto sync")
    return outcome


def _sync_page(project: Project, src: str, wiki_dir: str, as_of: dt.date, synced) -> _Result:
    page = read_source(project, src)
    ours = render_page(project, src, page, as_of)
    wiki = read_exported(wiki_dir, src, strict=True)
    base = synced.text(src)
    path = os.path.relpath(os.path.join(project.docs_dir, src))
    wiki_path = os.path.join(wiki_dir, src)
    if wiki is None and base is None:
        return _Result([Item(PUBLISHED, path, 1, f"published as {wiki_path} (the wiki had no such page)")],
                       export=(ours.text, ours.text), base=ours.text)
    if wiki is None:
        return _Result([Item(MISSING, path, 1, f"{wiki_path} is missing, but the page was synchronised before: "
                             f"was it deleted on the wiki?  Nothing was changed; `howto export -o {wiki_dir}` "
                             "writes it again")])
    if wiki == ours.text:
        return _Result(base=ours.text)
    if base is None:
        return _Result([Item(NO_BASE, path, 1, f"{last_synced.FOLDER}/{src} is missing, so the wiki's edits "
                             f"cannot be told from the sources' changes; see `howto export --check {wiki_dir}`, "
                             f"bring what is right into docs/, then `howto export -o {wiki_dir} --force`")])
    return _Page(project, src, wiki_dir, as_of, page, base, wiki, ours).run()


def _shift(kept, hunk: Hunk) -> int:
    """How far the applied hunks above ``hunk`` moved its first line in the new export."""
    return sum((h.wiki[1] - h.wiki[0]) - (h.ours[1] - h.ours[0]) for h, _ in kept if h.ours[0] < hunk.ours[0])


# howto export --check -------------------------------------------------------------

@dataclass
class Drift:
    src: str
    wiki_path: str
    message: str
    diff: str


def check(project: Project, wiki_dir: str, as_of: dt.date) -> list[Drift]:
    """The pages whose text in DIR differs from what the sources export, with
    the side that changed since the last sync and a unified diff."""
    synced = last_synced.read(project)
    out = []
    for src in wiki_sources(project.docs_dir):
        ours = render_page(project, src, read_source(project, src), as_of).text
        wiki_path = os.path.join(wiki_dir, src)
        wiki = read_exported(wiki_dir, src, strict=True)
        if wiki == ours:
            continue
        base = synced.text(src)
        if wiki is None:
            what = "it is missing"
        elif base is None:
            what = (f"there is no last synchronised text ({last_synced.FOLDER}/{src}), so which side changed "
                    "cannot be told")
        else:
            wiki_changed, ours_changed = wiki != base, ours != base
            if wiki_changed and ours_changed:
                what = f"both the wiki and the sources changed since the last sync: run `howto sync --wiki {wiki_dir}`"
            elif wiki_changed:
                what = (f"the wiki changed since the last sync: run `howto sync --wiki {wiki_dir}` to bring its "
                        "edits into docs/")
            else:
                since = synced.as_of(src)
                moved = since and since != as_of.isoformat()
                dated = f" (last synchronised as of {since}, now as of {as_of.isoformat()})" if moved else ""
                what = f"the sources changed since the last sync{dated}: run `howto sync --wiki {wiki_dir}` to export them"
        diff = "".join(difflib.unified_diff(
            (wiki or "").splitlines(keepends=True), ours.splitlines(keepends=True),
            fromfile=f"{wiki_path} (the wiki)", tofile=f"{src} (the sources, as of {as_of.isoformat()})"))
        out.append(Drift(src, wiki_path, f"{wiki_path} differs from what the sources export: {what}", diff))
    return out
