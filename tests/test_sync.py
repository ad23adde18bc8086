"""`howto sync` and `howto export --check` without CVS: a plain directory
holding the page at its wiki path stands for the wikisrc checkout."""
from __future__ import annotations

import json

import pytest

from conftest import tree
from sync_helpers import PAGE, SOURCE, howto

AS_OF = ("--as-of", "2016-12-20")


@pytest.fixture
def synced(project, tmp_path):
    """The page published into an empty wiki directory by a first sync."""
    project.write(PAGE, SOURCE)
    wiki = tmp_path / "wiki"
    wiki.mkdir()
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 0 and "published as" in r.stdout, r.stdout + r.stderr
    return project, wiki


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def check(project, wiki):
    return howto(project.root, "export", "--check", str(wiki), *AS_OF)


def test_the_first_sync_publishes_and_records_the_last_synchronised_text(synced):
    project, wiki = synced
    exported = (wiki / PAGE).read_text()
    assert (project.root / "wiki-sync" / PAGE).read_text() == exported
    manifest = json.loads((project.root / "wiki-sync" / "manifest.json").read_text())
    assert manifest["pages"][PAGE]["as_of"] == "2016-12-20"
    assert "xenkernel46 provides Xen 4.6." in exported and "    xl list" in exported


def test_check_passes_when_the_wiki_holds_what_the_sources_export(synced):
    project, wiki = synced
    r = check(project, wiki)
    assert r.returncode == 0 and "holds what the sources export" in r.stdout


def test_check_says_the_wiki_changed(synced):
    project, wiki = synced
    replace_in(wiki / PAGE, "Ask on port-xen@NetBSD.org when stuck.", "Ask on port-xen.")
    r = check(project, wiki)
    assert r.returncode == 1
    assert f"{wiki / PAGE} differs from what the sources export: the wiki changed since the last sync" in r.stdout
    assert "\n-Ask on port-xen.\n+Ask on port-xen@NetBSD.org when stuck.\n" in r.stdout


def test_check_says_the_sources_changed(synced):
    project, wiki = synced
    replace_in(project.root / "docs" / PAGE, "Ask on port-xen@NetBSD.org when stuck.", "Ask on port-xen.")
    r = check(project, wiki)
    assert r.returncode == 1 and "the sources changed since the last sync" in r.stdout
    assert "\n-Ask on port-xen@NetBSD.org when stuck.\n+Ask on port-xen.\n" in r.stdout


def test_check_says_the_as_of_date_moved(synced):
    project, wiki = synced
    r = howto(project.root, "export", "--check", str(wiki), "--as-of", "2019-06-01")
    assert r.returncode == 1
    assert "the sources changed since the last sync (last synchronised as of 2016-12-20, now as of 2019-06-01)" \
        in r.stdout


def test_check_says_both_changed(synced):
    project, wiki = synced
    replace_in(wiki / PAGE, "Ask on port-xen@NetBSD.org when stuck.", "Ask on port-xen.")
    replace_in(project.root / "docs" / PAGE, "List the running domains:", "List the domains:")
    r = check(project, wiki)
    assert r.returncode == 1 and "both the wiki and the sources changed since the last sync" in r.stdout


def test_check_of_a_missing_directory_is_a_usage_error(synced, tmp_path):
    project, _ = synced
    assert check(project, tmp_path / "nowhere").returncode == 2
    assert howto(project.root, "export", *AS_OF).returncode == 2  # neither -o nor --check
    assert howto(project.root, "sync", "--wiki", str(tmp_path / "nowhere"), *AS_OF).returncode == 2


def test_a_second_sync_with_nothing_new_changes_nothing(synced):
    project, wiki = synced
    replace_in(wiki / PAGE, "This HOWTO explains how to run it on NetBSD.", "This HOWTO explains NetBSD/Xen.")
    generated = next(line for line in (wiki / PAGE).read_text().splitlines() if line.startswith("xenkernel45"))
    replace_in(wiki / PAGE, generated, generated + "  Edited on the wiki.")
    first = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert first.returncode == 1, first.stdout + first.stderr
    before = (tree(project.root), tree(wiki))
    again = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert again.returncode == 1 and "0 file(s) written" in again.stdout
    assert (tree(project.root), tree(wiki)) == before
    assert [line for line in again.stdout.splitlines() if ": not applied:" in line] == \
        [line for line in first.stdout.splitlines() if ": not applied:" in line]


def test_deleted_and_inserted_lines_and_example_lines_come_back(synced):
    project, wiki = synced
    replace_in(wiki / PAGE, "Xen is a hypervisor for x86 hardware.\n", "")
    replace_in(wiki / PAGE, "    xl info\n", "    xl info\n    xl dmesg\n")
    replace_in(wiki / PAGE, "Ask on port-xen@NetBSD.org when stuck.\n",
               "Ask on port-xen@NetBSD.org when stuck.\n\nThe end.\n")
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("applied the wiki's edit") == 3
    assert (project.root / "docs" / PAGE).read_text() == (
        SOURCE.replace("Xen is a hypervisor for x86 hardware.\n", "")
        .replace("xl info\n", "xl info\nxl dmesg\n")
        .replace("when stuck.\n", "when stuck.\n\nThe end.\n"))
    assert check(project, wiki).returncode == 0


def test_an_edit_that_would_not_export_the_same_is_reported_and_kept(synced):
    project, wiki = synced
    # without the blank line the generated paragraphs would run into the text (the
    # export puts it back), so this edit cannot be made in the page
    replace_in(wiki / PAGE, "recommends.\n\nList the running domains:", "recommends.\nList the running domains:")
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 1
    assert "not applied" in r.stdout
    assert (project.root / "docs" / PAGE).read_text() == SOURCE
    assert "recommends.\nList the running domains:" in (wiki / PAGE).read_text()


def test_a_tampered_last_synchronised_text_is_refused(synced):
    project, wiki = synced
    replace_in(project.root / "wiki-sync" / PAGE, "List the running domains:", "List the domains:")
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 1 and "does not match its digest" in r.stderr and "Traceback" not in r.stderr


def test_a_wiki_page_without_a_last_synchronised_text_is_not_guessed(project, tmp_path):
    project.write(PAGE, SOURCE)
    (tmp_path / "wiki" / "ports" / "xen").mkdir(parents=True)
    (tmp_path / "wiki" / PAGE).write_text("The wiki's own page.\n")
    r = howto(project.root, "sync", "--wiki", str(tmp_path / "wiki"), *AS_OF)
    assert r.returncode == 1 and "wiki-sync/ports/xen/howto.mdwn is missing" in r.stdout
    assert (tmp_path / "wiki" / PAGE).read_text() == "The wiki's own page.\n"
    assert not (project.root / "wiki-sync").exists()


def test_export_into_the_wiki_moves_the_last_synchronised_text_and_a_preview_does_not(synced, tmp_path):
    project, wiki = synced
    base = project.root / "wiki-sync" / PAGE
    replace_in(project.root / "docs" / PAGE, "Ask on port-xen@NetBSD.org when stuck.", "Ask on port-xen.")
    assert howto(project.root, "export", "-o", str(tmp_path / "preview"), *AS_OF).returncode == 0
    assert "when stuck" in base.read_text()  # a directory that is not the wiki: nothing synchronised
    assert howto(project.root, "export", "-o", str(wiki), *AS_OF).returncode == 0
    assert base.read_text() == (wiki / PAGE).read_text() and "Ask on port-xen.\n" in base.read_text()


def test_export_does_not_overwrite_what_sync_kept_from_the_wiki(synced):
    project, wiki = synced
    generated = next(line for line in (wiki / PAGE).read_text().splitlines() if line.startswith("xenkernel45"))
    replace_in(wiki / PAGE, generated, generated + "  Edited on the wiki.")
    assert howto(project.root, "sync", "--wiki", str(wiki), *AS_OF).returncode == 1
    r = howto(project.root, "export", "-o", str(wiki), *AS_OF)
    assert r.returncode == 1 and "howto sync --wiki" in r.stderr
    assert "Edited on the wiki." in (wiki / PAGE).read_text()
    assert howto(project.root, "export", "-o", str(wiki), "--force", *AS_OF).returncode == 0
    assert "Edited on the wiki." not in (wiki / PAGE).read_text()
    assert check(project, wiki).returncode == 0


def test_a_wiki_page_that_is_not_utf8_is_refused_and_kept(synced):
    project, wiki = synced
    data = (wiki / PAGE).read_bytes().replace(b"Ask on", b"Ask \xe9 on")
    (wiki / PAGE).write_bytes(data)
    line = data[:data.index(b"\xe9")].count(b"\n") + 1
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 1 and f"{wiki / PAGE}:{line}: not UTF-8 text (byte 0xe9)" in r.stderr
    assert (wiki / PAGE).read_bytes() == data and (project.root / "docs" / PAGE).read_text() == SOURCE


def test_the_committed_last_synchronised_text_matches_its_manifest():
    from conftest import ROOT
    from xenhowto.project import load
    from xenhowto.sync import last_synced

    synced = last_synced.read(load(str(ROOT / "mkdocs.yml")))
    assert PAGE in synced.pages and synced.text(PAGE).startswith('[[!meta title="Xen HowTo"]]')


def test_check_and_sync_say_when_the_wiki_lacks_the_page(synced):
    project, wiki = synced
    (wiki / PAGE).unlink()
    r = check(project, wiki)
    assert r.returncode == 1 and f"{wiki / PAGE} differs from what the sources export: it is missing" in r.stdout
    r = howto(project.root, "sync", "--wiki", str(wiki), *AS_OF)
    assert r.returncode == 1 and "is missing, but the page was synchronised before" in r.stdout
    assert not (wiki / PAGE).exists()
