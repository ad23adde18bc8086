"""Writes that never destroy (issue 11): the site swap has no moment without
site/, a build killed by a signal leaves nothing behind, builds of one site
wait for each other, an export killed halfway is not mistaken for someone's
edit, and full or read-only disks are one sentence with the old output whole."""
from __future__ import annotations

import datetime as dt
import json
import os
import resource
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, howto_bin, tree
from xenhowto import atomic
from xenhowto.project import load

PAGE = "ports/xen/howto.mdwn"
GOOD = '[[!meta title="Xen HowTo"]]\n\nIntro\n=====\n\nSee [[guide/inst]].\n'

# A hook that holds the build until the test says go: the signal arrives while
# MkDocs runs, whatever the machine's speed.
HOLD = '''import os, time


def on_config(config):
    go = os.environ.get("HOWTO_TEST_GO")
    if go:
        open(go + ".held", "w").close()
        deadline = time.monotonic() + 120
        while not os.path.exists(go) and time.monotonic() < deadline:
            time.sleep(0.02)
    return config
'''


def env(**extra):
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra)


def held(project):
    (project.root / "hooks" / "hold.py").write_text(HOLD)
    cfg = project.root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("hooks:\n", "hooks:\n  - hooks/hold.py\n", 1))
    return str(project.root / "go")


def wait_for(path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def leftovers(root) -> list[str]:
    return sorted(p for p in os.listdir(root) if p.startswith(".site."))


def build(project, **kw):
    return subprocess.run([howto_bin(), "build"], cwd=project.root, env=env(), capture_output=True, text=True, **kw)


# --- the site swap ----------------------------------------------------------------------

WATCH = """
import os, sys
target, stop = sys.argv[1], sys.argv[2]
seen = missing = 0
while not os.path.exists(stop):
    seen += 1
    if not os.path.exists(target):
        missing += 1
print(seen, missing)
"""


def test_the_swap_leaves_no_moment_without_the_site(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("0")
    stop = tmp_path / "stop"
    # another process, so that it looks while the swap runs (not between the GIL's turns)
    watcher = subprocess.Popen([sys.executable, "-c", WATCH, str(target / "index.html"), str(stop)],
                               stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)
        for i in range(1, 1001):
            new = tmp_path / f".site.build-{i}"
            new.mkdir()
            (new / "index.html").write_text(str(i))
            atomic.replace_dir(str(new), str(target))
    finally:
        stop.write_text("")
        out, _ = watcher.communicate(timeout=60)
    seen, missing = map(int, out.split())
    assert seen > 1000, "the watcher hardly looked"
    assert missing == 0, f"site/ was missing {missing} times in {seen} looks"
    assert (target / "index.html").read_text() == "1000" and leftovers(tmp_path) == []


def test_a_terminated_build_leaves_the_old_site_and_no_scratch(project):
    project.write(PAGE, GOOD)
    assert build(project).returncode == 0
    before = tree(project.root / "site")
    go = held(project)
    proc = subprocess.Popen([howto_bin(), "build"], cwd=project.root, env=env(HOWTO_TEST_GO=go),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(go + ".held")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err
    assert leftovers(project.root) == []
    assert tree(project.root / "site") == before


def test_a_killed_builds_scratch_goes_with_the_next_build(project):
    project.write(PAGE, GOOD)
    go = held(project)
    proc = subprocess.Popen([howto_bin(), "build"], cwd=project.root, env=env(HOWTO_TEST_GO=go),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(go + ".held")
        proc.kill()  # SIGKILL: no cleanup can run
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [p for p in leftovers(project.root) if p.startswith(".site.build-")], "expected the killed build's scratch"
    open(go, "w").close()
    again = build(project, timeout=120)  # waits for the killed build's MkDocs, then tidies
    assert again.returncode == 0, again.stderr
    assert leftovers(project.root) == [] and (project.root / "site" / "index.html").exists()


def test_two_builds_of_one_site_wait_for_each_other(project):
    project.write(PAGE, GOOD)
    go = held(project)
    first = subprocess.Popen([howto_bin(), "build"], cwd=project.root, env=env(HOWTO_TEST_GO=go),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(go + ".held")
        second = subprocess.Popen([howto_bin(), "build"], cwd=project.root, env=env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        assert second.poll() is None, "the second build did not wait"
        open(go, "w").close()
        _, err2 = second.communicate(timeout=120)
        _, err1 = first.communicate(timeout=120)
    finally:
        for p in (first, second):
            if p.poll() is None:
                p.kill()
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "waiting for another build" in err2
    assert leftovers(project.root) == [] and (project.root / "site" / "ports/xen/howto/index.html").exists()


# --- full and read-only disks ---------------------------------------------------------------

def _small_files(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_full_disk_during_the_build_is_one_sentence_and_keeps_the_site(project):
    project.write(PAGE, GOOD)
    assert build(project).returncode == 0
    before = tree(project.root / "site")
    # files past 20 kB cannot be written: the disk is full for them
    full = subprocess.run([howto_bin(), "build"], cwd=project.root, env=env(), capture_output=True, text=True,
                          preexec_fn=_small_files(20_000))
    assert full.returncode == 1 and "Traceback" not in full.stderr
    assert "cannot write" in full.stderr and "file too large" in full.stderr
    assert "the previous site is unchanged" in full.stderr
    assert tree(project.root / "site") == before and leftovers(project.root) == []


def with_the_howto(project):
    """A copy of the project with the real HOWTO: an export into a wiki
    directory records its last synchronised text in the project's wiki-sync/,
    which must be the copy's, not the checkout's."""
    project.write(PAGE, (ROOT / "docs" / PAGE).read_text(encoding="utf-8"))
    return project


def test_a_full_disk_during_the_export_is_one_sentence_and_keeps_the_files(project, tmp_path):
    with_the_howto(project)
    out = tmp_path / "wiki"
    assert subprocess.run([howto_bin(), "export", "-o", str(out), "--as-of", "2025-06-01"], cwd=project.root,
                          capture_output=True).returncode == 0
    pages = {p: b for p, b in tree(out).items() if p.endswith(".mdwn")}
    # another date, other facts: the page must be rewritten, and files past 10 kB cannot be
    full = subprocess.run([howto_bin(), "export", "-o", str(out), "--as-of", "2016-12-20"], cwd=project.root,
                          capture_output=True, text=True, preexec_fn=_small_files(10_000))
    assert full.returncode == 1 and "Traceback" not in full.stderr
    assert full.stderr.count("\n") == 1 and "cannot write" in full.stderr and "it is unchanged" in full.stderr
    assert {p: b for p, b in tree(out).items() if p.endswith(".mdwn")} == pages
    assert not [p for p in os.listdir(out / "ports/xen") if p.startswith(".tmp-")]


def _read_only(path) -> list[str]:
    """A command prefix under which ``path`` is read-only: a read-only bind
    mount in a private mount namespace as root (root ignores permissions),
    else nothing (the caller removes the write permission)."""
    if os.geteuid() != 0:
        return []
    return ["unshare", "-m", "sh", "-c",
            f'mount --bind "{path}" "{path}" && mount -o remount,bind,ro "{path}" && exec "$@"', "sh"]


def test_a_read_only_place_is_one_sentence_and_keeps_everything(project):
    project.write(PAGE, GOOD)
    assert build(project).returncode == 0
    out = project.root / "wiki"
    assert subprocess.run([howto_bin(), "export", "-o", str(out)], cwd=project.root).returncode == 0
    before_site, before_wiki = tree(project.root / "site"), tree(out)
    project.write(PAGE, GOOD + "\nMore.\n")
    prefix = _read_only(project.root)
    if not prefix:
        for p in (project.root, out, out / "ports/xen"):
            os.chmod(p, 0o555)
    try:
        b = subprocess.run([*prefix, howto_bin(), "build"], cwd=project.root, env=env(), capture_output=True,
                           text=True)
        e = subprocess.run([*prefix, howto_bin(), "export", "-o", str(out)], cwd=project.root, env=env(),
                           capture_output=True, text=True)
    finally:
        for p in (project.root, out, out / "ports/xen"):
            os.chmod(p, 0o755)
    refused = "read-only file system" if prefix else "permission denied"
    assert b.returncode == 1 and b.stderr.strip().endswith(f"{refused}; the previous site is unchanged"), b.stderr
    assert e.returncode == 1 and "cannot write" in e.stderr and f"{refused}; it is unchanged" in e.stderr, e.stderr
    assert "Traceback" not in b.stderr + e.stderr
    assert tree(project.root / "site") == before_site and tree(out) == before_wiki


# --- the export and its manifest ---------------------------------------------------------------

@pytest.mark.parametrize("stop_at", ["pending", "page"])
def test_an_export_stopped_between_page_and_manifest_is_not_taken_for_an_edit(project, tmp_path, monkeypatch,
                                                                               stop_at):
    """Stopped after the manifest names the new page as pending, or after the
    page itself: the next export goes on as if nothing happened."""
    from xenhowto import export as export_mod
    from xenhowto.cli import main

    config = with_the_howto(project).config
    out = tmp_path / "wiki"
    assert main(["export", "-f", config, "-o", str(out), "--as-of", "2016-12-20"]) == 0
    real_write = atomic.write_text
    calls = []

    def stopping(path, text):
        calls.append(path)
        real_write(path, text)
        wrote_page = any(p.endswith(".mdwn") for p in calls)
        if (stop_at == "pending" and not wrote_page) or (stop_at == "page" and wrote_page):
            raise KeyboardInterrupt  # killed right here

    monkeypatch.setattr(export_mod.atomic, "write_text", stopping)
    with pytest.raises(KeyboardInterrupt):
        export_mod.export(load(config), str(out), dt.date(2025, 6, 1))
    monkeypatch.setattr(export_mod.atomic, "write_text", real_write)
    manifest = json.loads((out / ".howto-export.json").read_text())
    assert manifest.get("pending"), manifest
    assert main(["export", "-f", config, "-o", str(out), "--as-of", "2025-06-01"]) == 0  # no refusal
    manifest = json.loads((out / ".howto-export.json").read_text())
    assert "pending" not in manifest


def test_the_swap_falls_back_to_two_renames_where_exchange_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "old").write_text("old")
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new")
    atomic.replace_dir(str(new), str(target))
    assert sorted(os.listdir(target)) == ["index.html"] and not new.exists()
    assert [p for p in os.listdir(tmp_path)] == ["site"]


def test_writing_never_leaves_a_temporary_file(tmp_path):
    target = tmp_path / "out.md"
    with pytest.raises(atomic.OutputError):
        atomic.write_text(str(tmp_path), "x")
    atomic.write_text(str(target), "one")
    atomic.write_text(str(target), "two")
    assert os.listdir(tmp_path) == ["out.md"] and target.read_text() == "two"
