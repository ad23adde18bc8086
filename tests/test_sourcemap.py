"""The export's source map: every exported line of the HOWTO points at the
page's own text or at the directive and the data entries that generated it."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sync_helpers import DAY, PAGE, SOURCE, entry_line
from xenhowto import asof
from xenhowto.export import read_source, render_page
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.sourcemap import rendered
from xenhowto.pages import wiki_sources
from xenhowto.project import load


def exported(project, src: str, day: dt.date):
    page = read_source(project, src)
    mapped = render_page(project, src, page, day)
    return page, mapped, mapped.text.split("\n")


def assert_every_line_has_an_origin(page: str, mapped, out: list[str]) -> int:
    """Checks each line's origin against the files; returns how many lines
    name a data entry (file:line)."""
    page_lines = page.split("\n")
    assert len(mapped.lines) == len(out)
    entries = 0
    for n, (origin, line) in enumerate(zip(mapped.lines, out), 1):
        assert 1 <= origin.line <= len(page_lines), (n, line)
        if origin.hand_written:
            assert rendered(page[origin.span[0]:origin.span[1]], origin.indent) == line, (n, line)
            if origin.directive is None:  # a whole line of the page, as written
                assert page_lines[origin.line - 1] == line, (n, line)
            continue
        directive_line = page_lines[origin.line - 1]
        if origin.directive is None:  # what is left of a line whose directive or region went: it had one
            assert "[[!" in directive_line, (n, line, directive_line)
            continue
        assert f"[[!{origin.directive}" in directive_line, (n, line, directive_line)
        for source in origin.sources:
            assert os.path.isfile(source.path), (n, source)
            if source.line is not None:
                with open(source.path, encoding="utf-8") as f:
                    data_lines = f.read().split("\n")
                assert 1 <= source.line <= len(data_lines) and data_lines[source.line - 1].strip(), (n, source)
                entries += 1
    return entries


@pytest.mark.parametrize("day", ["2015-01-04", "2016-12-20", "today"])
def test_every_exported_line_of_every_page_points_at_its_source(day, monkeypatch):
    monkeypatch.chdir(ROOT)  # data entries are named relative to the project, as in messages
    project = load(str(ROOT / "mkdocs.yml"))
    when = asof.resolve(None) if day == "today" else dt.date.fromisoformat(day)
    sources = wiki_sources(project.docs_dir)
    assert PAGE in sources
    for src in sources:
        page, mapped, out = exported(project, src, when)
        entries = assert_every_line_has_an_origin(page, mapped, out)
        generated = [o for o in mapped.lines if not o.hand_written]
        if src == PAGE:  # the HOWTO has generated text, and it names data entries
            assert generated and entries


def test_a_package_paragraph_points_at_its_package_entry(project, monkeypatch):
    project.write(PAGE, SOURCE)
    monkeypatch.chdir(project.root)
    _, mapped, out = exported(load(project.config), PAGE, DAY)
    n = next(i for i, line in enumerate(out) if line.startswith("xenkernel46 provides Xen 4.6."))
    origin = mapped.lines[n]
    assert (origin.directive, origin.line, origin.span) == ("xen_packages", 9, None)
    where = [(s.path, s.line) for s in origin.sources]
    assert ("data/pkgsrc_packages.yaml", entry_line("pkgsrc_packages.yaml", "name", "xenkernel46")) in where
    assert ("data/xen_releases.yaml", entry_line("xen_releases.yaml", "version", "4.6")) in where
    # the paragraph about 4.5 names 4.5's entry, not 4.6's
    other = mapped.lines[next(i for i, line in enumerate(out) if line.startswith("xenkernel45 provides"))]
    assert ("data/pkgsrc_packages.yaml", entry_line("pkgsrc_packages.yaml", "name", "xenkernel46")) not in [
        (s.path, s.line) for s in other.sources]


def test_example_content_is_hand_written_and_a_template_is_named(project, monkeypatch):
    project.write(PAGE, SOURCE)
    monkeypatch.chdir(project.root)
    page, mapped, out = exported(load(project.config), PAGE, DAY)
    page_lines = page.split("\n")
    for command in ("xl list", "xl info"):
        origin = mapped.lines[out.index("    " + command)]
        assert origin.hand_written and origin.directive == "shell" and origin.indent == "    "
        assert page_lines[origin.line - 1] == command
    templated = [o for o in mapped.lines if o.directive == "file" and o.sources]
    assert templated and all(o.line == 20 and not o.hand_written for o in templated)
    template = ROOT / "xenhowto" / "snippets" / "templates" / "rc.conf.j2"
    assert all(len(o.sources) == 1 and os.path.samefile(o.sources[0].path, template) for o in templated)


# Pages made of hand-written lines, wiki directives, links and the project's
# directives, alone on their lines or inline.
_PIECES = st.sampled_from([
    "Plain words.", "", "    indented code", "See [[guide/inst]] here.", '[[!meta title="T"]]',
    '[[!table data="""\na|b\n1|2\n"""]]', "[[!xen_not_in_pkgsrc]]", "Inline [[!xen_not_in_pkgsrc]] text.",
    '[[!shell host=dom0 content="""\nls\n\nxl list\n"""]]', "[[!xen_toolstacks]]", "\\[[escaped]]",
    '[[!step id=s title="S" order=1]]', "[[!endstep]]", "text [[!endstep]] more",
    '[[!when "toolstack == xm"]]', '[[!when "disk == file"]]', "[[!endwhen]]",
    '[[!dated 2016-12 text="""It works."""]]', "A claim [[!dated 2010-01 text='aged']] here.",
    'Inline [[!when "toolstack == xm"]]xm only[[!endwhen]] text.',
])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(_PIECES, min_size=1, max_size=12), end=st.sampled_from(["", "\n"]),
       day=st.sampled_from([dt.date(2010, 1, 1), DAY, dt.date(2026, 1, 1)]))
def test_any_page_maps_every_line(project, pieces, end, day):
    text = "\n".join(pieces) + end
    project.write(PAGE, text)
    proj = load(project.config)
    cwd = os.getcwd()
    os.chdir(project.root)
    try:
        try:
            mapped = render_page(proj, PAGE, text, day)
        except HowtoError:  # a page with errors (a region never closed) has no export to map
            return
        assert_every_line_has_an_origin(text, mapped, mapped.text.split("\n"))
    finally:
        os.chdir(cwd)
