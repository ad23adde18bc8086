"""`howto check` and the build judge every example; deliberate mistakes in a
copy of the real page fail both, naming the page and line."""
from __future__ import annotations

import json
import logging
import shutil
import subprocess
import xml.etree.ElementTree as etree

import pytest
from mkdocs.exceptions import Abort

from conftest import ROOT, howto_bin

PAGE = "ports/xen/howto.mdwn"
REAL = (ROOT / "docs" / PAGE).read_text(encoding="utf-8")

# (what to break, how) in the real page's examples; each must be found by its validator.
MISTAKES = {
    "wrong kernel file name": (
        "menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc pciback.hide",
        "menu=Xen:load /netbsd-XEN3_DOMU.gz console=pc pciback.hide"),
    "xend enabled with xl": (
        '[[!file path=/etc/rc.conf action=append content="""\nxendomains="foo bar"\n"""]]',
        '[[!file path=/etc/rc.conf action=append toolstack=xl xen=4.6 content="""\nxendomains="foo bar"\nxend=YES\n"""]]'),
    "key unknown to that Xen version": (  # type= arrived with Xen 4.10
        "[[!file path=/usr/pkg/etc/xen/foo action=edit content=\"\"\"\npci = [",
        "[[!file path=/usr/pkg/etc/xen/foo action=edit xen=4.2 content=\"\"\"\ntype = \"pv\"\npci = ["),
    "broken menu line": (
        "menu=GENERIC single-user:boot -s",
        "menu=GENERIC single-user boot -s"),
}


def broken_page(case: str) -> tuple[str, int]:
    old, new = MISTAKES[case]
    assert REAL.count(old) == 1, f"the page changed: {old!r} is no longer there once"
    text = REAL.replace(old, new)
    changed = next(i for i, (a, b) in enumerate(zip(REAL.split("\n"), text.split("\n")), 1) if a != b)
    return text, changed


def page_project(project):
    shutil.copytree(ROOT / "data", project.root / "data", dirs_exist_ok=True)
    return project


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_check_names_page_and_line(project, case):
    text, changed = broken_page(case)
    page_project(project).write(PAGE, text)
    run = subprocess.run([howto_bin(), "check", "--no-guides", "--format", "json"], cwd=project.root,
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    errors = [f for f in json.loads(run.stdout)["findings"] if f["severity"] == "error"]
    assert errors and all(f["path"] == f"docs/{PAGE}" for f in errors)
    # the finding is on the changed line or within the example that holds it
    assert any(changed - 3 <= f["line"] <= changed + 3 for f in errors), (changed, errors)


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_build_fails_on_the_same_mistake(project, caplog, case):
    text, changed = broken_page(case)
    page_project(project).write(PAGE, text)
    caplog.set_level(logging.WARNING, logger="mkdocs")
    with pytest.raises(Abort):
        project.build()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    lines = [int(m.split(":")[1]) for m in messages if m.startswith(f"docs/{PAGE}:")]
    assert any(changed - 3 <= n <= changed + 3 for n in lines), (changed, messages)


def test_the_real_project_is_clean():
    run = subprocess.run([howto_bin(), "check"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 error(s)" in run.stdout


def test_formats(project):
    text, changed = broken_page("broken menu line")
    page_project(project).write(PAGE, text)

    def check(*args):
        return subprocess.run([howto_bin(), "check", "--no-guides", *args], cwd=project.root,
                              capture_output=True, text=True)

    gh = check("--format", "github")
    assert gh.returncode == 1
    assert f"::error file=docs/{PAGE},line=" in gh.stdout
    out = project.root / "report.xml"
    ju = check("--format", "junit", "-o", str(out))
    assert ju.returncode == 1
    suite = etree.parse(out).getroot().find("testsuite")
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == [f"docs/{PAGE}"]


def test_untyped_blocks_of_a_wikisrc_page_are_typed_by_content(tmp_path):
    page = tmp_path / "wikisrc" / "howto.mdwn"
    page.parent.mkdir()
    page.write_text("Intro.\n\n    menu=Xen load /netbsd-XEN3_DOM0.gz\n\nText.\n\n    xencommons=YES\n\n"
                    "Odd:\n\n    Supermicro X9SRL-F, Xeon, 96 GiB\n")
    run = subprocess.run([howto_bin(), "check", "--format", "json", str(page)], cwd=ROOT,
                         capture_output=True, text=True)
    findings = json.loads(run.stdout)["findings"]
    assert run.returncode == 1
    assert any(f["line"] == 3 and f["severity"] == "error" for f in findings)  # judged as boot.cfg
    assert any(f["line"] == 11 and "kind is unclear" in f["message"] for f in findings)
    assert not any(f["line"] == 7 and f["severity"] == "error" for f in findings)


def test_usage_errors():
    assert subprocess.run([howto_bin(), "check", "/no/such/page.mdwn"], cwd=ROOT).returncode == 2
    assert subprocess.run([howto_bin(), "check", "--format", "xml"], cwd=ROOT).returncode == 2
