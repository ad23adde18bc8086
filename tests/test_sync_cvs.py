"""`howto sync` against a real CVS wikisrc: the wiki's edits of prose come
back into docs/, edits of generated text are reported with their data entry,
lines both sides changed become a conflict, and `cvs diff` afterwards shows
exactly what the sources changed, nothing the wiki wrote undone."""
from __future__ import annotations

import shutil

import pytest

from conftest import MiniProject
from sync_helpers import PAGE, SOURCE, WikiSrc, entry_line, howto

AS_OF = ("--as-of", "2016-12-20")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The page exported into a wikisrc checkout and committed."""
    root = tmp_path_factory.mktemp("published")
    (root / "project").mkdir()
    project = MiniProject(root / "project")
    project.write(PAGE, SOURCE)
    wikisrc = WikiSrc(root / "cvs")
    editor = wikisrc.checkout("editor")
    first = howto(project.root, "sync", "--wiki", str(editor), *AS_OF)
    assert first.returncode == 0, first.stdout + first.stderr
    wikisrc.cvs(editor, "add", PAGE)
    wikisrc.cvs(editor, "commit", "-m", "export from the project")
    return root


@pytest.fixture
def published(template, tmp_path):
    """A fresh copy of the template for one test."""
    root = tmp_path / "project"
    shutil.copytree(template / "project", root)
    wikisrc = WikiSrc(template / "cvs", create=False).copy(tmp_path / "cvs")
    return root, wikisrc, wikisrc.root / "editor"


def edit_on_the_wiki(wikisrc, checkout, old: str, new: str) -> None:
    """An edit as the wiki makes it: committed to wikisrc (the checkout is
    then at that revision, as after `cvs update`)."""
    page = checkout / PAGE
    text = page.read_text()
    assert text.count(old) == 1
    page.write_text(text.replace(old, new))
    wikisrc.cvs(checkout, "commit", "-m", "an edit on the wiki")
    assert wikisrc.diff_lines(checkout) == []


def edit_source(root, old: str, new: str) -> None:
    page = root / "docs" / PAGE
    text = page.read_text()
    assert text.count(old) == 1
    page.write_text(text.replace(old, new))


def test_a_prose_edit_on_the_wiki_comes_back_into_docs(published):
    root, wikisrc, editor = published
    edit_on_the_wiki(wikisrc, editor, "This HOWTO explains how to run it on NetBSD.",
                     "This HOWTO explains how to run it on NetBSD 7.")
    edit_source(root, "Ask on port-xen@NetBSD.org when stuck.", "Ask on port-xen@NetBSD.org.")
    r = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "docs/ports/xen/howto.mdwn:7: applied the wiki's edit" in r.stdout
    assert (root / "docs" / PAGE).read_text() == SOURCE.replace(
        "run it on NetBSD.", "run it on NetBSD 7.").replace("Ask on port-xen@NetBSD.org when stuck.",
                                                            "Ask on port-xen@NetBSD.org.")
    # the wiki's edit stays; what goes back is the sources' own change
    assert wikisrc.diff_lines(editor) == ["-Ask on port-xen@NetBSD.org when stuck.", "+Ask on port-xen@NetBSD.org."]
    again = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert again.returncode == 0 and "0 file(s) written" in again.stdout


def test_an_edit_of_generated_text_is_reported_with_its_data_entry_and_kept(published):
    root, wikisrc, editor = published
    text = (editor / PAGE).read_text()
    generated = next(line for line in text.splitlines() if line.startswith("xenkernel46 provides Xen 4.6."))
    wording = generated.replace("provides Xen 4.6.", "provides Xen 4.6 (our favourite).")
    edit_on_the_wiki(wikisrc, editor, generated, wording)
    edit_source(root, "List the running domains:", "List the domains that run:")
    data_before = {p.name: p.read_bytes() for p in (root / "data").glob("*.yaml")}
    r = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert r.returncode == 1, r.stdout + r.stderr
    line = entry_line("pkgsrc_packages.yaml", "name", "xenkernel46")
    report = r.stdout
    assert "docs/ports/xen/howto.mdwn:9: not applied: the wiki changed generated text" in report
    assert f"data/pkgsrc_packages.yaml:{line} (xenkernel46)" in report and "[[!xen_packages]] on line 9" in report
    assert f"      | {wording}" in report  # the wiki's wording is shown
    assert (root / "docs" / PAGE).read_text() == SOURCE.replace("List the running domains:",
                                                                        "List the domains that run:")
    assert {p.name: p.read_bytes() for p in (root / "data").glob("*.yaml")} == data_before
    # the wiki keeps its wording; the sources' change goes back
    assert wikisrc.diff_lines(editor) == ["-List the running domains:", "+List the domains that run:"]
    assert wording in (editor / PAGE).read_text()
    # nothing new: nothing changes, and the edit is reported again
    again = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert again.returncode == 1 and "0 file(s) written" in again.stdout
    assert f"data/pkgsrc_packages.yaml:{line} (xenkernel46)" in again.stdout


def test_a_line_both_sides_changed_becomes_a_conflict_in_docs(published):
    root, wikisrc, editor = published
    edit_on_the_wiki(wikisrc, editor, "Xen is a hypervisor for x86 hardware.",
                     "Xen is a type 1 hypervisor for x86 hardware.")
    edit_source(root, "Xen is a hypervisor for x86 hardware.", "Xen is a hypervisor for amd64 hardware.")
    r = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "docs/ports/xen/howto.mdwn:6: conflict: the wiki and the sources both changed these lines" in r.stdout
    page = (root / "docs" / PAGE).read_text().splitlines()
    assert page[5:10] == [
        "<<<<<<< docs/ports/xen/howto.mdwn (the sources)",
        "Xen is a hypervisor for amd64 hardware.",
        "=======",
        "Xen is a type 1 hypervisor for x86 hardware.",
        f">>>>>>> {editor}/{PAGE} (the wiki)",
    ]
    assert wikisrc.diff_lines(editor) == []  # nothing is exported while the conflict stands
    refused = howto(root, "export", "-o", str(editor), *AS_OF)
    assert refused.returncode == 1 and "docs/ports/xen/howto.mdwn:6: error: an unresolved conflict" in refused.stderr

    resolved = "\n".join(page[:5] + ["Xen is a type 1 hypervisor for amd64 hardware."] + page[10:]) + "\n"
    (root / "docs" / PAGE).write_text(resolved)
    r = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    assert wikisrc.diff_lines(editor) == ["-Xen is a type 1 hypervisor for x86 hardware.",
                                          "+Xen is a type 1 hypervisor for amd64 hardware."]
    assert (root / "docs" / PAGE).read_text() == resolved
    again = howto(root, "sync", "--wiki", str(editor), *AS_OF)
    assert again.returncode == 0 and "0 file(s) written" in again.stdout
