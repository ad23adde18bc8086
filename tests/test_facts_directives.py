"""The fact directives in a page: expanded to markdown for the site (status
badges in the table), kept as wiki markup ([[!table]]) in the export, bad
arguments reported as file:line findings, identical HTML for two builds with
the same as-of date, and `howto build` refusing invalid data before MkDocs."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from facts_helpers import flat
from xenhowto.export import render_pages
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import SITE, WIKI, PageContext
from xenhowto.ikiwiki.directives import REGISTRY
from xenhowto.ikiwiki.expand import expand
from xenhowto.project import load

NAMES = ["xen_packages", "xen_not_in_pkgsrc", "xen_toolstacks", "xen_daemons", "netbsd_branches",
         "xen_recommendation", "xen_versions_table"]

PAGE = """[[!meta title="Xen HowTo"]]

Xen
---

[[!xen_packages]]

[[!xen_not_in_pkgsrc]]

[[!xen_versions_table]]

Xen command program
-------------------

[[!xen_toolstacks]]

NetBSD
------

[[!netbsd_branches]]

Recommendation
--------------

[[!xen_recommendation]]

Configuring Xen
---------------

[[!xen_daemons]]
"""


def ctx(target=SITE, as_of="2016-12-20"):
    return PageContext(path="docs/ports/xen/howto.mdwn", page="ports/xen/howto", target=target,
                       as_of=dt.date.fromisoformat(as_of) if as_of else None)


def test_registered_as_project_directives():
    for name in NAMES:
        assert name in REGISTRY
        assert REGISTRY[name].WIKI_NATIVE is False


def test_site_expansion_has_badges_and_no_directives_left():
    c = ctx(SITE)
    out = expand(PAGE, c)
    assert [f for f in c.findings if f.severity == "error"] == []
    assert "[[!" not in out
    assert '<span class="badge badge--supported"' in out and ">supported</span>" in out
    assert '<span class="badge badge--security-only"' in out
    assert "<table>" in out


def test_export_keeps_a_plain_table_with_the_same_words():
    c = ctx(WIKI)
    out = expand(PAGE, c)
    assert [f for f in c.findings if f.severity == "error"] == []
    assert '[[!table data="""' in out
    assert "<span" not in out
    for name in NAMES:
        assert f"[[!{name}" not in out
    row = next(line for line in out.splitlines() if line.startswith("**xenkernel46**|"))
    assert row.split("|")[3] == "supported"
    # the site's badge shows the same word
    site = expand(PAGE, ctx(SITE))
    assert ">supported</span>" in site


def test_no_as_of_in_context_uses_resolve(monkeypatch):
    monkeypatch.setenv("HOWTO_AS_OF", "2015-01-04")
    out = flat(expand("[[!xen_recommendation]]", ctx(SITE, as_of=None)))
    assert "xenkernel42 (and xentools42)" in out


@pytest.mark.parametrize("source, expected", [
    ("[[!xen_recommendation now=yes]]", "takes no arguments ('now' given); write [[!xen_recommendation]]"),
    ("[[!xen_versions_table 2016]]", "write [[!xen_versions_table]]"),
    ('[[!xen_packages only="xenkernel99"]]', "only= names xenkernel99; data/pkgsrc_packages.yaml has xenkernel3,"),
    ('[[!xen_packages package="xenkernel45"]]', 'takes only only="xenkernelNN ..."'),
])
def test_bad_arguments(source, expected):
    c = ctx(SITE)
    expand("text\n\n" + source + "\n", c)
    [f] = c.findings
    assert f.line == 3 and expected in f.message


def test_only_selects_paragraphs():
    out = expand('[[!xen_packages only="xenkernel45 xenkernel46"]]', ctx(SITE))
    assert out.lstrip().startswith("xenkernel45 provides Xen 4.5.")
    assert "xenkernel42" not in out and "xenkernel46 provides Xen 4.6." in out


def test_same_as_of_same_output():
    assert expand(PAGE, ctx(SITE)) == expand(PAGE, ctx(SITE))
    assert expand(PAGE, ctx(WIKI)) == expand(PAGE, ctx(WIKI))


def test_two_builds_give_identical_html(project, tmp_path, monkeypatch):
    monkeypatch.setenv("HOWTO_AS_OF", "2016-12-20")
    project.write("ports/xen/howto.mdwn", PAGE)
    one = project.build(tmp_path / "one")
    two = project.build(tmp_path / "two")
    a = (one / "ports/xen/howto/index.html").read_text(encoding="utf-8")
    b = (two / "ports/xen/howto/index.html").read_text(encoding="utf-8")
    assert a == b
    assert "xenkernel45 or xenkernel46" in a
    assert 'class="badge badge--supported"' in a


def test_export_of_the_page(project, monkeypatch):
    project.write("ports/xen/howto.mdwn", PAGE)
    pages = render_pages(load(project.config), dt.date(2015, 1, 4))
    text = pages["ports/xen/howto.mdwn"]
    assert "xenkernel42 (and xentools42), xl, the NetBSD 6 stable branch" in flat(text)
    assert "[[!xen_" not in text and '[[!table data="""' in text


def test_directive_reads_the_projects_own_data(project):
    """A project's data/ beside docs/ is the one used (not another checkout's)."""
    path = project.root / "data" / "netbsd_branches.yaml"
    path.write_text(path.read_text().replace('released: "2015-09-25"', 'released: "2016-12-25"'))
    c = PageContext(path="p.mdwn", page="p", target=SITE, templates_dir=str(project.root / "docs" / "templates"),
                    as_of=dt.date(2016, 12, 20))
    assert "the NetBSD 6 stable branch" in flat(expand("[[!xen_recommendation]]", c))


def test_bad_data_is_a_directive_error(project):
    path = project.root / "data" / "xen_releases.yaml"
    path.write_text(path.read_text().replace('version: "4.10"', "version: 4.10"))
    c = PageContext(path="p.mdwn", page="p", target=SITE, templates_dir=str(project.root / "docs" / "templates"),
                    as_of=dt.date(2016, 12, 20))
    expand("[[!xen_recommendation]]", c)
    [f] = c.findings
    assert "xen_releases.yaml:" in f.message and "must be a string" in f.message


def test_howto_build_fails_on_bad_data_before_mkdocs(project, tmp_path):
    from xenhowto.site import build

    path = project.root / "data" / "pkgsrc_packages.yaml"
    path.write_text(path.read_text().replace('    xen: "4.8"\n', '    xen: "4.99"\n'))
    project.write("ports/xen/howto.mdwn", PAGE)
    with pytest.raises(HowtoError) as e:
        build(project.config, str(tmp_path / "site"), "2016-12-20", quiet=True)
    assert "nothing was built" in str(e.value)
    assert any("pkgsrc_packages.yaml" in f.path and "Xen 4.99" in f.message for f in e.value.findings)
    assert not (tmp_path / "site").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.build-")]


def test_hook_watches_data_on_serve():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("hook", root / "hooks" / "ikiwiki_pages.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    class Server:
        watched: list = []

        def watch(self, path, *args, **kwargs):
            self.watched.append(path)

    class Config:
        config_file_path = str(root / "mkdocs.yml")

    server = Server()
    assert hook.on_serve(server, Config(), None) is server
    assert server.watched == [str(root / "data")]
