"""The `howto` command's contract: --help everywhere, exit 0 ok, 1 failure, 2 usage."""
from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT, howto_bin
from xenhowto.cli import parser


def run(*args, cwd=ROOT):
    return subprocess.run([howto_bin(), *args], cwd=cwd, capture_output=True, text=True)


def subcommands() -> list[str]:
    action = next(a for a in parser()._actions if a.dest == "command")
    return sorted(action.choices)


def test_top_level_help():
    r = run("--help")
    assert r.returncode == 0
    for name in ("build", "export"):
        assert name in r.stdout


@pytest.mark.parametrize("name", subcommands())
def test_every_subcommand_has_help(name):
    r = run(name, "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: howto " + name)


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("nosuch").returncode == 2
    assert run("export").returncode == 2  # -o is required
    assert run("build", "--bogus").returncode == 2


@pytest.mark.parametrize("command,day,words", [
    ("export", "2016-13-45", "is not a date; write YYYY-MM-DD"),
    ("build", "2025-02-30", "is not a date; write YYYY-MM-DD"),
    ("check", "0001-01-01", "outside the dates the HOWTO can be about"),
    ("guide", "0001-01-01", "outside the dates the HOWTO can be about"),
    ("versions", "2025-02-30", "is not a date; write YYYY-MM-DD"),
])
def test_an_impossible_date_is_a_usage_error(tmp_path, command, day, words):
    extra = ["-o", str(tmp_path)] if command == "export" else []
    r = run(command, *extra, "--as-of", day)
    assert r.returncode == 2
    assert words in r.stderr and "Traceback" not in r.stderr


def test_missing_config_is_a_clear_failure(tmp_path):
    r = run("export", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 1 and "mkdocs.yml: not found" in r.stderr and "Traceback" not in r.stderr
