"""Parity with the NetBSD wiki: our MkDocs page and the real ikiwiki's
rendering of our export (Text::Markdown::Discount, as on wiki.netbsd.org)
must have the same headings, code blocks, paragraph and list item texts and
link targets.

Two sites: the real project (every wiki page) and a fixture of constructs
where Discount and Python-Markdown disagree (tests/fixtures/parity/).  The
comparison machinery itself is checked on small hand-written HTML, so a
broken extractor cannot make the parity tests pass by seeing nothing.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.directives.meta import title_of
from xenhowto.ikiwiki.expand import page_directives
from xenhowto.pages import page_name, wiki_sources
from xenhowto.parity import ikiwiki_render
from xenhowto.parity.compare import outlines
from xenhowto.parity.outline import IKIWIKI, MKDOCS, Block, diff, extract
from xenhowto.project import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "parity"
AS_OF = dt.date(2024, 6, 1)


def _report(name: str, differences: list[str]) -> str:
    return f"{name}: our page differs from ikiwiki's in {len(differences)} place(s):\n" + "\n".join(
        f"  - {d}" for d in differences
    )


@pytest.fixture(scope="module")
def real_outlines(tmp_path_factory):
    from xenhowto.site import build

    work = tmp_path_factory.mktemp("parity-real")
    config = str(ROOT / "mkdocs.yml")
    site = build(config, str(work / "site"), AS_OF.isoformat(), quiet=True)
    return outlines(load(config), site, str(work), AS_OF)


@pytest.mark.parametrize("page", [page_name(s) for s in wiki_sources(str(ROOT / "docs"))] or ["(none)"])
def test_real_page_matches_ikiwiki(page, real_outlines):
    if page == "(none)":
        pytest.skip("docs/ holds no .mdwn page yet")
    ours, theirs = real_outlines[page]
    assert theirs.headings(), f"{page}: ikiwiki's rendering has no headings; is the outline extractor broken?"
    assert diff(ours, theirs) == [], _report(page, diff(ours, theirs))


@pytest.fixture(scope="module")
def fixture_outlines(tmp_path_factory):
    from conftest import MiniProject

    root = tmp_path_factory.mktemp("parity-fixture")
    (root / "project").mkdir()
    project = MiniProject(root / "project")
    for src in sorted(FIXTURES.rglob("*.mdwn")):
        project.write("parity/" + src.relative_to(FIXTURES).as_posix(), src.read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOWTO_AS_OF", AS_OF.isoformat())
        site = project.build()
    return outlines(load(project.config), str(site), str(root / "work"), AS_OF)


@pytest.mark.parametrize("page", ["parity/tricky", "parity/other", "parity/c__43____43___and_xen"])
def test_fixture_matches_ikiwiki(page, fixture_outlines):
    ours, theirs = fixture_outlines[page]
    assert diff(ours, theirs) == [], _report(page, diff(ours, theirs))


def test_the_page_shows_the_wiki_title(real_outlines, fixture_outlines):
    """The title the wiki's page header shows is our page's visible heading:
    [[!meta title]] where the page has one, else ikiwiki's title of its name."""
    sources = {page_name(s): ROOT / "docs" / s for s in wiki_sources(str(ROOT / "docs"))}
    for page, (ours, theirs) in real_outlines.items():
        want = title_of(page_directives(sources[page].read_text(encoding="utf-8"))) or page.rsplit("/", 1)[-1]
        assert theirs.title == want, f"{page}: ikiwiki shows the title {theirs.title!r}; is the extractor broken?"
        assert ours.title == theirs.title, page
    assert real_outlines["ports/xen/howto"][0].title == "Xen HowTo"
    ours, theirs = fixture_outlines["parity/c__43____43___and_xen"]
    assert theirs.title == "c++ and xen" and ours.title == theirs.title


def test_fixture_exercises_the_tricky_constructs(fixture_outlines):
    """The fixture parity above means something only if ikiwiki really built
    these structures; each is a Discount behaviour discount.py follows."""
    _, theirs = fixture_outlines["parity/tricky"]
    kinds = {b.kind for b in theirs.blocks}
    texts = [b.text for b in theirs.blocks]
    assert {"ul>li>ul>li", "ul>li>ul>li>ul>li", "ol>li>code", "blockquote>ul>li>ul>li", "dl>dt", "dl>dd",
            "table>th", "table>td", "code", "h1", "h2", "h3", "h4", "hr"} <= kinds
    assert Block("h4", "Trailing blanks keep these hashes ##") in theirs.blocks
    assert Block("h2", "Setext right under it") in theirs.blocks
    assert Block("ol>li>code", " # pkg_add xenkernel413 xentools413\n") in theirs.blocks
    assert any("⟨sup⟩10⟨/sup⟩" in t and "⟨del⟩text⟨/del⟩" in t and "xen⟨em⟩ and xend⟨/em⟩" in t for t in texts)
    assert any("http://www.netbsd.org/ stays text" in t for t in texts)
    targets = {lk.target for lk in theirs.links}
    assert {"wiki:guide/inst", "wiki:guide/lvm", "wiki:ports/xen#grub", "wiki:parity/other",
            "https://man.netbsd.org/amd64/xl.1", "#heading:Setext level one", "#fn:1"} <= targets


# -- the comparison machinery -------------------------------------------------

IKIWIKI_PAGE = """<html><body><div class="pageheader"><div class="header"><span>
<span class="parentlinks"><a href="../../../">wiki</a>/ <a href="../">xen</a>/ </span>
<span class="title">Xen
HowTo</span></span></div></div>
<div id="content" role="main">
<div class="toc"><ol><li class="L2"><a href="#index1h2">Setup &amp; boot</a></li></ol></div>
<h2><a name="index1h2"></a>Setup &amp; boot</h2>
<p>See <a href="../../../guide/inst/">inst</a>,
<a href="./#index1h2">here</a> and <a href="http://www.example.org/">x</a>.</p>
<ul><li><p>one</p><ul><li>two</li></ul></li></ul>
<pre><code>  code &lt;here&gt;
</code></pre>
</div><div id="footer">Last edited</div></body></html>"""

MKDOCS_PAGE = """<html><body><h1>Title</h1><article class="md-content__inner md-typeset">
<h1 class="wiki-title">Xen HowTo</h1>
<div class="toc"><ol><li><a href="#setup-boot">Setup &amp; boot</a></li></ol></div>
<h2 id="setup-boot">Setup &amp; boot<a class="headerlink" href="#setup-boot" title="Permanent link">&para;</a></h2>
<p>See <a href="https://wiki.netbsd.org/guide/inst/">inst</a>,
<a href="#setup-boot">here</a> and <a href="http://www.example.org/">x</a>.</p>
<ul><li>one<ul><li>two</li></ul></li></ul>
<pre><code>  code &lt;here&gt;
</code></pre>
</article><footer>Made with Material</footer></body></html>"""


def test_outlines_of_equivalent_pages_are_equal():
    theirs = extract(IKIWIKI_PAGE, IKIWIKI, "ports/xen/howto/")
    ours = extract(MKDOCS_PAGE, MKDOCS, "ports/xen/howto/")
    assert [str(b) for b in theirs.blocks] == [
        "ol>li 'Setup & boot'",
        "h2 'Setup & boot'",
        "p 'See inst, here and x.'",
        "ul>li 'one'",
        "ul>li>ul>li 'two'",
        "code '  code <here>\\n'",
    ]
    assert [lk.target for lk in theirs.links] == [
        "#heading:Setup & boot", "wiki:guide/inst", "#heading:Setup & boot", "http://www.example.org/",
    ]
    assert theirs.title == ours.title == "Xen HowTo"
    assert diff(ours, theirs) == []


def test_a_missing_or_other_title_is_a_difference():
    theirs = extract(IKIWIKI_PAGE, IKIWIKI, "ports/xen/howto/")
    retitled = extract(MKDOCS_PAGE.replace(">Xen HowTo<", ">Xen HOWTO<"), MKDOCS, "ports/xen/howto/")
    untitled = extract(MKDOCS_PAGE.replace(' class="wiki-title"', ""), MKDOCS, "ports/xen/howto/")
    assert diff(retitled, theirs) == ["title: ours 'Xen HOWTO'\n    ikiwiki 'Xen HowTo'"]
    assert untitled.title is None and diff(untitled, theirs)[0].startswith("title: ours '(none)'")
    # Material's own title heading (no id, no class) is theme, not page content
    assert [b for b in untitled.blocks if b.kind == "h1"] == []


def test_diff_names_each_difference():
    theirs = extract(IKIWIKI_PAGE, IKIWIKI, "ports/xen/howto/")
    flattened = MKDOCS_PAGE.replace("<ul><li>one<ul><li>two</li></ul></li></ul>", "<ul><li>one</li><li>two</li></ul>")
    recoded = flattened.replace("  code &lt;here&gt;", "code &lt;here&gt;").replace("guide/inst/", "guide/lvm/")
    problems = diff(extract(recoded, MKDOCS, "ports/xen/howto/"), theirs)
    assert any("ours ul>li 'two'" in p and "ikiwiki ul>li>ul>li 'two'" in p for p in problems), problems
    assert any("code differs" in p and "-  code <here>" in p and "+code <here>" in p for p in problems), problems
    assert any("wiki:guide/lvm" in p for p in problems) and any("wiki:guide/inst" in p for p in problems)
    assert all("under h2 'Setup & boot'" in p for p in problems if p.startswith("block"))


def test_extract_rejects_an_unknown_flavor():
    with pytest.raises(ValueError):
        extract("<p>x</p>", "hugo", "")


def test_missing_ikiwiki_says_to_run_setup(tmp_path, monkeypatch):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "page.mdwn").write_text("text\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(HowtoError, match="scripts/setup"):
        ikiwiki_render.render(str(tmp_path / "export"), str(tmp_path / "dest"))


def test_render_returns_only_exported_pages(tmp_path):
    export = tmp_path / "export"
    (export / "ports" / "xen").mkdir(parents=True)
    (export / "ports" / "xen" / "page.mdwn").write_text("See [[guide/inst]].\n", encoding="utf-8")
    (export / ".howto-export.json").write_text("{}\n", encoding="utf-8")
    html = ikiwiki_render.render(str(export), str(tmp_path / "dest"), known_wiki_pages=["guide/inst"])
    assert list(html) == ["ports/xen/page"]
    links = extract(html["ports/xen/page"], IKIWIKI, "ports/xen/page/").links
    assert [lk.target for lk in links] == ["wiki:guide/inst"]
    assert not os.path.exists(tmp_path / "export" / "templates")


def test_render_of_an_empty_export_is_a_clear_error(tmp_path):
    if shutil.which("ikiwiki") is None:
        pytest.fail("ikiwiki is not installed; run scripts/setup")
    (tmp_path / "export").mkdir()
    with pytest.raises(HowtoError, match="no .mdwn pages"):
        ikiwiki_render.render(str(tmp_path / "export"), str(tmp_path / "dest"))
