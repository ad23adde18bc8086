"""Helpers for the tests of `howto sync` and the source map: a small wiki page
with hand-written text, generated text and examples, a real CVS wikisrc, and
the lines of a data entry."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT
from xenhowto.cli import main

PAGE = "ports/xen/howto.mdwn"
DAY = dt.date(2016, 12, 20)
SOURCE = '''[[!meta title="Xen HowTo"]]

Introduction
============

Xen is a hypervisor for x86 hardware.
This HOWTO explains how to run it on NetBSD.

[[!xen_packages only="xenkernel45 xenkernel46"]]

List the running domains:

[[!shell host=dom0 content="""
xl list
xl info
"""]]

Write the rc.conf lines with a template:

[[!file path=/etc/rc.conf action=append template=rc.conf toolstack=xl xen=4.6]]

Ask on port-xen@NetBSD.org when stuck.
'''


def entry_line(data_file: str, key: str, value: str) -> int:
    """The line of ``- key: value`` (a list entry) in data/<data_file>, read from the file."""
    lines = (ROOT / "data" / data_file).read_text(encoding="utf-8").splitlines()
    wanted = {f"- {key}: {value}", f'- {key}: "{value}"'}
    hits = [i for i, line in enumerate(lines, 1) if line.strip() in wanted]
    assert len(hits) == 1, f"{key}: {value} must start one entry of {data_file}"
    return hits[0]


def howto(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    """`howto ARGS` run from the project's directory, in this process (the
    CLI's own process is tested in test_cli; starting one costs most of a test)."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(project_root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as e:  # argparse's usage errors
                code = e.code
    finally:
        os.chdir(cwd)
    return subprocess.CompletedProcess(["howto", *args], code, out.getvalue(), err.getvalue())


class WikiSrc:
    """A real CVS repository holding a wikisrc module, and checkouts of it,
    all below ``root`` (HOME too; no CVS_RSH, no network)."""

    def __init__(self, root: Path, create: bool = True):
        self.root = root
        self.repo = root / "cvsroot"
        home = root / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LC_ALL": "C",
                    "TZ": "UTC"}
        if not create:
            return
        self.cvs(root, "init")
        tree = root / "import"
        (tree / "ports" / "xen").mkdir(parents=True)
        (tree / "ports" / "xen.mdwn").write_text("The Xen port of NetBSD.\n")
        self.cvs(tree, "import", "-m", "wikisrc", "wikisrc", "netbsd", "start")

    def cvs(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        r = subprocess.run(["cvs", "-Q", "-d", str(self.repo), *args], cwd=cwd, env=self.env,
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"cvs {' '.join(args)} failed: {r.stderr}")
        return r

    def copy(self, root: Path) -> "WikiSrc":
        """The repository and its checkouts copied to ``root`` (CVS waits for
        the clock to tick after each checkout and commit: a copy is faster
        than doing those again)."""
        shutil.copytree(self.root, root, symlinks=True)
        for cvs_root in root.rglob("CVS/Root"):
            cvs_root.write_text(str(root / "cvsroot") + "\n")
        return WikiSrc(root, create=False)

    def checkout(self, name: str) -> Path:
        self.cvs(self.root, "checkout", "-d", name, "wikisrc")
        return self.root / name

    def diff_lines(self, checkout: Path) -> list[str]:
        """The changed lines of `cvs diff -u` in a checkout (without the file headers)."""
        r = self.cvs(checkout, "diff", "-u", check=False)
        assert r.returncode in (0, 1), r.stderr
        return [line for line in r.stdout.splitlines()
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]
