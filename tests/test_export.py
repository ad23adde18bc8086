"""`howto export`: wiki paths, verbatim wiki syntax, identical bytes, and no
silent overwrite of a file edited since the last export."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from conftest import howto_bin, tree
from xenhowto.export import MANIFEST, export
from xenhowto.findings import HowtoError
from xenhowto.project import load

PAGE = "ports/xen/howto.mdwn"
SOURCE = ('[[!meta title="Xen HowTo"]]\n[[!toc levels=2]]\n\nIntro\n=====\n\n'
          'See [[install|guide/inst]] and [[!template id=man name="boot.cfg" section="5"]].\n\n'
          '    menu=Xen:load /netbsd-XEN3_DOM0.gz\n\n\\[[not a link]]\n')
DAY = dt.date(2016, 12, 20)


def test_export_writes_wiki_paths_with_wiki_syntax_verbatim(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    written = export(load(project.config), str(out), DAY)
    assert written == [str(out / PAGE)]
    assert (out / PAGE).read_text() == SOURCE  # only wiki-native syntax: nothing to expand
    assert sorted(tree(out)) == sorted([PAGE, MANIFEST])


def test_two_exports_give_identical_bytes(project, tmp_path):
    project.write(PAGE, SOURCE)
    export(load(project.config), str(tmp_path / "a"), DAY)
    export(load(project.config), str(tmp_path / "b"), DAY)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_edited_file_is_not_overwritten_without_force(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    export(load(project.config), str(out), DAY)
    (out / PAGE).write_text(SOURCE + "\nAn edit made on the wiki.\n")
    project.write(PAGE, SOURCE + "\nA change in docs/.\n")
    with pytest.raises(HowtoError, match="changed since the last export"):
        export(load(project.config), str(out), DAY)
    assert "An edit made on the wiki." in (out / PAGE).read_text()
    export(load(project.config), str(out), DAY, force=True)
    assert "A change in docs/." in (out / PAGE).read_text()


def test_unchanged_exported_file_is_updated_freely(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    export(load(project.config), str(out), DAY)
    project.write(PAGE, SOURCE + "\nMore.\n")
    assert export(load(project.config), str(out), DAY) == [str(out / PAGE)]


def test_a_file_no_export_wrote_is_refused(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    (out / "ports/xen").mkdir(parents=True)
    (out / PAGE).write_text("the wiki's own current page\n")
    with pytest.raises(HowtoError, match="--force"):
        export(load(project.config), str(out), DAY)


def test_errors_write_nothing_and_name_the_line(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    export(load(project.config), str(out), DAY)
    before = tree(out)
    project.write(PAGE, SOURCE + "\n[[nowhere]]\n")
    with pytest.raises(HowtoError) as err:
        export(load(project.config), str(out), DAY)
    assert [(f.path.endswith(PAGE), f.line) for f in err.value.findings] == [(True, 13)]  # 11 source lines, a blank, then the link
    assert tree(out) == before


def test_cli_export_refusal_exits_1_without_traceback(project, tmp_path):
    project.write(PAGE, SOURCE)
    out = tmp_path / "wikisrc"
    run = lambda *a: subprocess.run([howto_bin(), "export", "-o", str(out), "--as-of", "2016-12-20", *a],  # noqa: E731
                                    cwd=project.root, capture_output=True, text=True)
    assert run().returncode == 0
    (out / PAGE).write_text("edited\n")
    refused = run()
    assert refused.returncode == 1 and "refusing to overwrite" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("--force").returncode == 0
