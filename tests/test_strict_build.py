"""`mkdocs build --strict` fails on bad ikiwiki markup, naming file:line."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from mkdocs.exceptions import Abort

PAGE = "ports/xen/howto.mdwn"
GOOD = '[[!meta title="Xen HowTo"]]\n[[!toc levels=2]]\n\nIntro\n=====\n\nSee [[guide/inst]].\n'

BROKEN = {
    "unknown directive": ("text\n\n[[!frobnicate x=1]]\n", 3, "unknown directive [[!frobnicate]]"),
    "unclosed directive": ('text\n[[!meta title="Xen\n', 2, "never closed"),
    "dangling wikilink": ("one\ntwo\n[[ports/xen/nowhere]]\n", 3, "resolves to no page"),
    "bad toc argument": ("[[!toc levels=many]]\n", 1, "levels='many'"),
    "bad table argument": ('[[!table data="""a|b""" frobs=1]]\n', 1, "does not take frobs"),
    "unknown template": ("[[!template id=nosuch]]\n", 1, "template id='nosuch' is unknown"),
    "template missing argument": ("[[!template id=man name=ls]]\n", 1, "needs section="),
    "unknown meta field": ('[[!meta colour="red"]]\n', 1, 'no field "colour"'),
    # hostile input (issue 11): a sentence at file:line, never a traceback
    "javascript wikilink": ("ok\n[[click|javascript://%0Aalert(1)]]\n", 2, "points to a javascript: URL"),
    "template value that breaks out of its link": (
        '[[!template id=man name="x) <script>alert(1)</script>" section=5]]\n', 1, "goes into a link unchanged"),
    "nested 600 quotes deep": ("ok\n\n" + "> " * 600 + "x\n", 3, "nested up to 600 levels deep"),
    "nested 500 lists deep": ("".join("    " * i + "* x\n" for i in range(500)), 51, "nested up to"),
    "2000 emphasis marks": ("ok\n\n" + "_" * 2000 + "x" + "_" * 2000 + "\n", 3, "markup characters"),
    "a template value no reader could choose": (
        "[[!file path=/boot.cfg template=boot.cfg serial_port=abc console=serial xen=4.18 dom0_arch=amd64 "
        "domu=netbsd-amd64 dom0_mem=512M serial_speed=115200]]\n", 1, "serial_port= 'abc' is not a choice"),
    "an architecture no reader could choose": (
        "[[!file path=/boot.cfg template=boot.cfg dom0_arch=sparc64 console=vga serial_port=com0 xen=4.18 "
        "domu=netbsd-amd64 dom0_mem=512M serial_speed=115200]]\n", 1, "dom0_arch= 'sparc64' is not a choice"),
}


def test_a_good_page_builds_with_title_from_meta(project):
    project.write(PAGE, GOOD)
    site = project.build()
    html = (site / "ports/xen/howto/index.html").read_text()
    assert "<title>Xen HowTo" in html
    assert 'href="https://wiki.netbsd.org/guide/inst/"' in html


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_error_fails_the_strict_build_with_file_and_line(project, caplog, case):
    text, line, words = BROKEN[case]
    project.write(PAGE, text)
    caplog.set_level(logging.WARNING, logger="mkdocs")
    with pytest.raises(Abort):
        project.build()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    expected = f"docs/{PAGE}:{line}:"
    assert any(m.startswith(expected) and words in m for m in messages), messages


def test_mkdocs_cli_strict_build_prints_file_and_line(project):
    project.write(PAGE, "ok\n\n[[!frobnicate]]\n")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", project.config],
                         cwd=project.root, env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert f"docs/{PAGE}:3: error: unknown directive [[!frobnicate]]" in run.stderr
    assert "Traceback" not in run.stderr


def test_howto_build_failure_keeps_the_previous_site(project):
    from conftest import howto_bin

    project.write(PAGE, GOOD)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    ok = subprocess.run([howto_bin(), "build"], cwd=project.root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    before = (project.root / "site/ports/xen/howto/index.html").read_bytes()
    project.write(PAGE, GOOD + "\n[[!frobnicate]]\n")
    bad = subprocess.run([howto_bin(), "build"], cwd=project.root, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "previous site is unchanged" in bad.stderr and "Traceback" not in bad.stderr
    assert (project.root / "site/ports/xen/howto/index.html").read_bytes() == before
    assert not [p for p in os.listdir(project.root) if p.startswith(".site.")]


def test_a_first_line_that_looks_like_metadata_stays_text(project):
    # MkDocs reads "Key: value" lines at the top as metadata; ikiwiki does not.
    project.write(PAGE, "Warning: this page is about Xen.\n\nMore text.\n")
    html = (project.build() / "ports/xen/howto/index.html").read_text()
    assert "Warning: this page is about Xen." in html


def test_a_page_that_is_not_utf8_fails_the_build_at_its_line(project, caplog):
    other = "ports/xen/other.mdwn"  # (the HOWTO itself fails earlier: the guides are made from it)
    project.write(other, "x")
    (project.root / "docs" / other).write_bytes(b"ok\nmore \xff\xfe text\n")
    caplog.set_level(logging.WARNING, logger="mkdocs")
    with pytest.raises(Abort):
        project.build()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(m.startswith(f"docs/{other}:2: error: the page is not UTF-8 text (byte 0xff at column 6)")
               for m in messages), messages


@pytest.mark.parametrize("flags", [["-q"], ["--strict", "-q"], []])
def test_errors_fail_every_build_quiet_strict_or_not(project, flags):
    """-q keeps only errors, and without --strict MkDocs writes the site anyway:
    our errors are logged at ERROR and the build aborts once it is done."""
    project.write(PAGE, GOOD + "\n[[ports/xen/nowhere]]\n")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", *flags, "-f", project.config],
                         cwd=project.root, env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert f"docs/{PAGE}:9: error: wikilink [[ports/xen/nowhere]] resolves to no page" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_quiet_howto_build_does_not_pass_an_error(project):
    from xenhowto.findings import HowtoError
    from xenhowto.site import build

    project.write(PAGE, GOOD + "\n[[!frobnicate]]\n")
    with pytest.raises(HowtoError, match="the build failed"):
        build(project.config, str(project.root / "site"), quiet=True)
    assert not (project.root / "site").exists()
