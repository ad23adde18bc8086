"""Any edits of the exported HOWTO on the wiki (lines inserted, deleted or
changed anywhere) are either applied to docs/, so that exporting again gives
the wiki's text exactly, or reported; never lost."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, MiniProject
from sync_helpers import DAY, PAGE
from xenhowto import conflict_markers
from xenhowto.export import read_source, render_page
from xenhowto.project import load
from xenhowto.sync import run
from xenhowto.sync.merge import Matcher, lines

NEW_LINES = st.sampled_from([
    "A sentence added on the wiki.", "", "    an indented command", "* a list item", "Heading", "=======",
    "See [[ports/xen]] too.", "[[!xen_packages]]", "[[!toc]]", "<<<<<<< not a conflict", "\tcode with a tab",
    "xenkernel46 provides Xen 4.6.",
])

# One edit: (where, what): insert a line, delete a line, change a line.
EDITS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                           st.one_of(st.tuples(st.just("insert"), NEW_LINES), st.tuples(st.just("delete")),
                                     st.tuples(st.just("change"), NEW_LINES), st.tuples(st.just("append")))),
                 min_size=1, max_size=4)


def edited(text: str, edits) -> str:
    out = lines(text)
    for where, what in edits:
        at = int(where * len(out))
        if what[0] == "insert":
            out.insert(at, what[1])
        elif what[0] == "delete" and len(out) > 1:
            del out[at]
        elif what[0] == "change":
            out[at] = what[1]
        elif what[0] == "append":
            out[at] += " (edited on the wiki)"
    return "\n".join(out)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The real HOWTO in a project of its own, published into a wiki
    directory; returns the root and the published files, to restore them."""
    root = tmp_path_factory.mktemp("hypothesis")
    (root / "project").mkdir()
    project = MiniProject(root / "project")
    project.write(PAGE, (ROOT / "docs" / PAGE).read_text(encoding="utf-8"))
    (root / "wiki").mkdir()
    cwd = os.getcwd()
    os.chdir(root / "project")
    try:
        outcome = run.sync(load(project.config), str(root / "wiki"), DAY)
    finally:
        os.chdir(cwd)
    assert [i.kind for i in outcome.items] == [run.PUBLISHED]
    return root, {p: p.read_bytes() for p in tree_files(root)}


def tree_files(root):
    return [root / "project" / "docs" / PAGE, *(root / "project" / "wiki-sync").rglob("*.*"),
            *(root / "wiki").rglob("*.*"), root / "wiki" / ".howto-export.json"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_wiki_edits_are_applied_exactly_or_reported_never_lost(workspace, edits):
    workspace, published = workspace
    for path, data in published.items():
        path.write_bytes(data)
    cwd = os.getcwd()
    os.chdir(workspace / "project")
    try:
        project = load("mkdocs.yml")
        wiki_page = workspace / "wiki" / PAGE
        wiki = edited(wiki_page.read_text(), edits)
        wiki_page.write_text(wiki)

        outcome = run.sync(project, str(workspace / "wiki"), DAY)

        # never lost: the wiki directory still has every word the wiki had
        assert wiki_page.read_text() == wiki
        page = read_source(project, PAGE)
        assert not conflict_markers.lines(page) or "<<<<<<< not a conflict" in wiki  # no source-side change
        again = render_page(project, PAGE, page, DAY).text
        reported = [i for i in outcome.items if i.needs_person]
        if not reported:  # all applied: exporting again gives the wiki's text exactly
            assert again == wiki
        # every difference that remains is one that was reported
        for tag, i1, i2, j1, j2 in Matcher(None, lines(again), lines(wiki)).get_opcodes():
            if tag != "equal":
                assert any(i.wiki_range and i.wiki_range[0] <= j2 and j1 <= i.wiki_range[1] for i in reported), (
                    tag, lines(wiki)[j1:j2], [str(i) for i in outcome.items])
        # and a second run with nothing new changes nothing
        assert run.sync(project, str(workspace / "wiki"), DAY).written == []
    finally:
        os.chdir(cwd)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS, where=st.floats(0, 1, exclude_max=True))
def test_with_a_change_in_the_sources_too_neither_side_is_lost(workspace, edits, where):
    workspace, published = workspace
    for path, data in published.items():
        path.write_bytes(data)
    cwd = os.getcwd()
    os.chdir(workspace / "project")
    try:
        project = load("mkdocs.yml")
        # the sources change one line of hand-written prose
        source_path = workspace / "project" / "docs" / PAGE
        source = lines(source_path.read_text())
        prose = [i for i, line in enumerate(source) if line[:1].isalpha() and "[[" not in line]
        at = prose[int(where * len(prose))]
        source[at] += " (changed in the sources)"
        source_path.write_text("\n".join(source))
        wiki_page = workspace / "wiki" / PAGE
        base = wiki_page.read_text()
        wiki = edited(base, edits)
        wiki_page.write_text(wiki)

        run.sync(project, str(workspace / "wiki"), DAY)

        page = lines(read_source(project, PAGE))
        assert source[at] in page  # the sources' change is kept
        kept = set(lines(wiki_page.read_text())) | set(page) | {"    " + line for line in page}
        for tag, _, _, j1, j2 in Matcher(None, lines(base), lines(wiki)).get_opcodes():
            for line in lines(wiki)[j1:j2] if tag != "equal" else []:
                assert line in kept or not line.strip(), line  # every line the wiki wrote is in DIR or in docs/
        if not conflict_markers.lines("\n".join(page)):
            assert run.sync(project, str(workspace / "wiki"), DAY).written == []
    finally:
        os.chdir(cwd)
