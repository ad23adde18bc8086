"""Shell snippets: one shellcheck run for the whole batch, and NetBSD's synopses."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.validators import shell
from xenhowto.validators.netbsd_synopses import check_command, commands, dd_size_ok, validate_netbsd_commands
from xenhowto.validators.shell import Snippet, validate_shell_batch

needs_shellcheck = pytest.mark.skipif(not shell.shellcheck_available(), reason="shellcheck is not installed")

RAID = """# Install MBR bootblocks on both disks.
fdisk -i /dev/rwd0d
fdisk -i /dev/rwd1d
# Install NetBSD primary boot loader (/ is FFSv1) into RAID1 components.
installboot -v /dev/rwd0d /usr/mdec/bootxx_ffsv1
installboot -v /dev/rwd1d /usr/mdec/bootxx_ffsv1
# Install secondary boot loader
cp -p /usr/mdec/boot /
"""
SNIPPETS = {
    "makedev": Snippet("cd /dev && sh MAKEDEV xen\n", "howto.mdwn", 426),
    "dd": Snippet("dd if=/dev/zero of=foo-xbd0 bs=1m count=4096\n", "howto.mdwn", 704),
    "raid": Snippet(RAID, "howto.mdwn", 506),
    "session": Snippet("# xl dmesg\n[xen's boot info]\n# xl info\n[available memory, etc.]\n# xl list\n"
                       "Name  Id  Mem(MB)\n", "howto.mdwn", 434, {"prompt": True}),
    "xm": Snippet("xm create foo\nxm console foo\nxm create -c foo\nxm shutdown foo\nxm list\n", "howto.mdwn", 644),
    "broken-if": Snippet("if [ -f /kern/xen/privcmd ]; then\n  echo xen\n", "p.mdwn", 10),
    "broken-quote": Snippet("echo \"unterminated\n", "p.mdwn", 20),
    "bs-1q": Snippet("dd if=/dev/zero of=foo bs=1q count=1\n", "p.mdwn", 30),
    "bs-1M": Snippet("dd if=/dev/zero of=foo bs=1M count=4096\n", "p.mdwn", 40),
    "addm": Snippet("ifconfig bridge0 create\nifconfig bridge0 addm wm0 up\n", "p.mdwn", 50),
    "xl-R": Snippet("xl shutdown -R foo\n", "p.mdwn", 60),
}


@pytest.fixture(scope="module")
def results():
    """All snippets through one shellcheck process."""
    findings = validate_shell_batch(list(SNIPPETS.values()))
    by = {}
    for name, s in SNIPPETS.items():
        lines = range(s.first_line, s.first_line + s.text.count("\n") + 1)
        by[name] = [f for f in findings if f.path == s.path and f.line in lines]
    return by


@needs_shellcheck
@pytest.mark.parametrize("name", ["makedev", "dd", "raid", "session", "xm"])
def test_the_howtos_commands_are_clean(results, name):
    assert results[name] == []


@needs_shellcheck
def test_shellcheck_reports_broken_shell_on_the_page_line(results):
    assert results["broken-if"] and all(f.severity == "error" for f in results["broken-if"])
    assert {f.line for f in results["broken-if"]} <= {10, 11}
    assert any("SC10" in f.message for f in results["broken-quote"])


@needs_shellcheck
def test_netbsd_synopses_in_the_batch(results):
    assert [f.line for f in results["bs-1q"]] == [30]
    assert "1m" in results["bs-1M"][0].message
    assert [f.line for f in results["addm"]] == [51] and "brconfig" in results["addm"][0].message
    assert "xl reboot" in results["xl-R"][0].message


@needs_shellcheck
def test_one_shellcheck_process_for_a_batch(monkeypatch):
    calls = []
    real_run = shell.subprocess.run

    def counting_run(*args, **kwargs):
        calls.append(args[0][0])
        return real_run(*args, **kwargs)
    monkeypatch.setattr(shell.subprocess, "run", counting_run)
    shell.run_shellcheck([Snippet("true\n", "a"), Snippet("false\n", "b"), Snippet("echo\n", "c")])
    assert calls == ["shellcheck"]


def test_missing_shellcheck_is_a_finding_not_a_crash(monkeypatch):
    monkeypatch.setattr(shell.shutil, "which", lambda name: None)
    (f,) = shell.run_shellcheck([Snippet("true\n", "a", 5)])
    assert f.line == 5 and "not installed" in f.message


@pytest.mark.parametrize("value,ok", [("1m", True), ("512", True), ("2x512", True), ("1k*2", True), ("4096", True),
                                      ("0x10k", True), ("1g", True), ("3w", True), ("1q", False), ("1M", False),
                                      ("1mb", False), ("-1", False), ("m", False), ("", False), ("1x", False)])
def test_dd_sizes_follow_netbsd(value, ok):
    assert dd_size_ok(value) == ok


@pytest.mark.parametrize("line,bad", [
    ("dd if=/dev/zero of=x bs=1m count=1", False), ("dd if=a of=b status=progress", True),
    ("dd if=a of=b conv=notrunc,sync", False), ("dd if=a of=b conv=fsync", True), ("dd bs=1m bs=2m", True),
    ("vnconfig vnd0 /n0/xen/foo-wd0", False), ("vnconfig -u vnd0", False), ("vnconfig wd0 /x", True),
    ("vnconfig -c vnd0", True), ("vndconfig -l", False),
    ("brconfig bridge0 add wm0", False), ("brconfig bridge0 add wm0 up", False), ("brconfig bridge0 addm wm0", True),
    ("brconfig bridge0 add", True), ("brconfig -a", False),
    ("ifconfig bridge0 create", False), ("ifconfig bridge0 up", False), ("ifconfig bridge0 addm wm0", True),
    ("installboot -v /dev/rwd0d /usr/mdec/bootxx_ffsv1", False), ("installboot /dev/rwd0d", True),
    ("installboot -x /dev/rwd0d /usr/mdec/bootxx_ffsv1", True),
    ("fdisk -i /dev/rwd0d", False), ("fdisk -u -0 wd0", False), ("fdisk -k wd0", True), ("fdisk wd0 wd1", True),
    ("sh MAKEDEV xen", False), ("./MAKEDEV vnd4", False), ("MAKEDEV", True),
    ("pkg_add xenkernel46 xentools46", False), ("pkg_add", True), ("pkg_add -x foo", True),
    ("cpuctl identify 0", False), ("cpuctl identify", True), ("cpuctl list", False), ("cpuctl identfy 0", True),
    ("xl create -c foo", False), ("xl console foo", False), ("xl shutdown -w foo", False), ("xl list", False),
    ("xl dmesg", False), ("xl info", False), ("xl shutdown -R foo", True), ("xl create", True),
    ("xl crate foo", True), ("xm shutdown -R foo", False), ("xm shutdown -H foo", False), ("xl top", False),
    ("xl console", True), ("xm create -c foo", False),
])
def test_synopses(line, bad):
    ((_, argv),) = commands(line)
    assert bool([p for p in check_command(argv) if p[0] == "error"]) == bad, check_command(argv)


def test_commands_split_on_operators_and_skip_comments():
    assert [argv for _, argv in commands("cd /dev && sh MAKEDEV xen # make them\nls | wc -l > /tmp/x\n")] == \
        [["cd", "/dev"], ["sh", "MAKEDEV", "xen"], ["ls"], ["wc", "-l"]]
    found = validate_netbsd_commands("true\ndd bs=1q \\\n  count=1\n", "p", 100)
    assert [f.line for f in found] == [101]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_synopses_never_raise(text):
    for f in validate_netbsd_commands(text, "p", 2):
        assert f.line >= 2


@needs_shellcheck
def test_shellcheck_batch_survives_random_snippets():
    rng = random.Random(4)
    pieces = ["dd", " bs=1m", " if=", "'", '"', "$(", ")", "{", "}", "if", " then", " fi", ";", "\n", "|", "&&",
              "xl", " create", " -c", "é", "\\", "#"]
    snippets = [Snippet("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))), f"s{i}", 10 * i + 1)
                for i in range(25)]
    for f in validate_shell_batch(snippets):
        i = int(f.path[1:])
        assert snippets[i].first_line <= f.line <= snippets[i].first_line + snippets[i].text.count("\n")
