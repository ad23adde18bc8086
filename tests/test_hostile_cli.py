"""The commands on hostile input and hostile places (issue 11): answers files,
values out of range, broken setup models and caches, and outputs that are
not regular files.  Exit 0 ok, 1 findings, 2 usage; a sentence, never a
traceback; nothing destroyed."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from conftest import ROOT, howto_bin
from xenhowto.cli import main

AS_OF = "2025-09-01"  # xenkernel420 is in pkgsrc (added 2025-08-22)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def howto(*args, cwd=ROOT, env=None, **kw):
    return subprocess.run([howto_bin(), *args], cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {})), **kw)


# --- answers files ---------------------------------------------------------------------

def test_an_answers_version_is_the_text_written_not_a_float(capsys, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("xen: 4.20\nraid1: yes\n")
    code, out, _ = run(capsys, "guide", "--answers", str(answers), "--as-of", AS_OF)
    assert code == 0 and out.startswith("# NetBSD/Xen guide: Xen 4.20 with xl")
    assert "- Xen: 4.20 (xenkernel420 and xentools420)" in out


@pytest.mark.parametrize("content,words", [
    (b"a: &a [1, *a]\n", ":1: not valid YAML (the alias *a is inside its own anchor"),
    (b"? [xen, toolstack]\n: 1\n", ":1: not valid YAML (a key must be a plain word"),
    (b"x: &x [1,1,1,1,1,1,1,1,1]\n" + b"".join(b"x%d: &x%d [*x%s,*x%s,*x%s,*x%s,*x%s,*x%s,*x%s,*x%s,*x%s]\n"
                                               % ((i, i) + (b"" if i == 0 else str(i - 1).encode(),) * 9)
                                               for i in range(8)), "more than 32 aliases"),
    (b"[" * 10000, ":1: not valid YAML (nested more than 64 levels deep)"),
    (b"xen: \xff\n", ":1: the answers file is not UTF-8 text (byte 0xff at column 6)"),
    (b"xen: [4.2, 4.6]\n", "xen must be one value"),
    (b"- xen\n", "write a mapping"),
    (b"frobs: 1\n", "'frobs' is not a setup option"),
])
def test_a_hostile_answers_file_is_a_usage_error(capsys, tmp_path, content, words):
    answers = tmp_path / "a.yaml"
    answers.write_bytes(content)
    code, _, err = run(capsys, "guide", "--answers", str(answers))
    assert code == 2 and words in err, err


@pytest.mark.parametrize("path,words", [("/dev/zero", "is a device"), ("/", "is a directory")])
def test_an_answers_file_that_is_not_a_file_is_refused_at_once(capsys, path, words):
    code, _, err = run(capsys, "guide", "--answers", path)
    assert code == 2 and f"--answers {path}: the answers file {path} {words}; give a regular file" in err


def test_an_answers_fifo_does_not_block(capsys, tmp_path):
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "guide", "--answers", str(fifo))
    assert code == 2 and "is a FIFO" in err


# --- values out of range -------------------------------------------------------------------

@pytest.mark.parametrize("argv,words", [
    (["--mac", "00:00:00:00:00:00"], "is the null address"),
    (["--mac", "01:00:5e:00:00:01"], "is a multicast address"),
    (["--mac", "ff:ff:ff:ff:ff:ff"], "is a multicast address"),
    (["--dom0-mem", "9999999G"], "must be between 32M and 16777215M"),
    (["--dom0-mem", "16384G"], "must be between 32M and 16777215M"),  # 16 TiB: one page past Xen's cap
    (["--dom0-mem", "16M"], "must be between 32M"),
    (["--as-of", "0001-01-01"], "outside the dates the HOWTO can be about"),
    (["--as-of", "2025-02-30"], "is not a date"),
    (["--as-of", "2001-01-01"], "no Xen is available as of 2001-01-01"),
])
def test_values_out_of_range_are_usage_errors(capsys, argv, words):
    code, _, err = run(capsys, "guide", *argv)
    assert code == 2 and words in err, err


def test_the_largest_dom0_memory_xen_accepts_is_accepted(capsys):
    code, out, _ = run(capsys, "guide", "--dom0-mem", "16383G", "--as-of", AS_OF)
    assert code == 0 and "dom0_mem=16383G" in out


# --- a broken setup model or cache ---------------------------------------------------------------

@pytest.mark.parametrize("setup,words", [
    ("dimensions: [\n", "setup.yaml:2: error: not valid YAML"),
    ("source: x\ndimensions: {x: {kind: nope, label: X, default: a}}\nconstraints: []\nnamed: []\n",
     "setup.yaml:2: error: kind of dimension x is 'nope'"),
    ("a: &a [1, *a]\n", "setup.yaml:1: error: the alias *a is inside its own anchor"),
])
def test_a_broken_setup_model_is_findings_for_guide_and_breaks_no_other_command(tmp_path, setup, words):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "setup.yaml").write_text(setup)
    env = {"HOWTO_DATA_DIR": str(data), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    guide = howto("guide", env=env)
    assert guide.returncode == 1 and words in guide.stderr and "Traceback" not in guide.stderr
    versions = howto("versions", "--as-of", "2016-12-20", env=env)
    assert versions.returncode == 0 and "Traceback" not in versions.stderr
    assert howto("--help", env=env).returncode == 0


def test_build_checks_the_data_it_reads(tmp_path):
    """HOWTO_DATA_DIR's data, not the project's, is what a build reads: its
    problems stop the build before MkDocs runs, with their file and line."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "xen_releases.yaml").write_text("releases: [\n")
    site = tmp_path / "site"
    built = howto("build", "-d", str(site), env={"HOWTO_DATA_DIR": str(data), "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "xen_releases.yaml:2" in built.stderr and "nothing was built" in built.stderr, built.stderr
    assert not site.exists()


def test_a_corrupt_or_strange_cache_only_costs_time(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = howto("guide", "--as-of", AS_OF, env=env)
    assert first.returncode == 0, first.stderr
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert any(p.suffix == ".pickle" for p in entries) and any(p.suffix == ".cache" for p in entries)
    for i, p in enumerate(entries):
        p.unlink()
        if i % 2:
            p.write_bytes(b"\x80\x04garbage that is no pickle")
        else:
            os.mkfifo(p)  # reading it would block forever
    again = howto("guide", "--as-of", AS_OF, env=env, timeout=120)
    assert again.returncode == 0 and again.stdout == first.stdout and "Traceback" not in again.stderr


# --- outputs ---------------------------------------------------------------------------------------

@pytest.fixture
def places(tmp_path):
    if os.geteuid() == 0:  # a device node like /dev/null (only root can make one)
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    (tmp_path / "real.md").write_text("old\n")
    (tmp_path / "real.md").chmod(0o600)
    (tmp_path / "link.md").symlink_to("real.md")
    (tmp_path / "dangling.md").symlink_to("nowhere.md")
    return tmp_path


@pytest.mark.parametrize("command", [["guide", "--as-of", AS_OF], ["check", "--no-guides"]])
@pytest.mark.parametrize("name,words", [("null", "is a device"), ("fifo", "is a FIFO"), ("dir", "is a directory"),
                                        ("dangling.md", "is a symlink to")])
def test_an_output_that_is_not_a_regular_file_is_a_usage_error(capsys, places, command, name, words):
    if name == "null" and not (places / "null").exists():
        pytest.skip("making a device node needs root")
    before = os.lstat(places / name)
    code, _, err = run(capsys, *command, "-o", str(places / name))
    assert code == 2 and words in err and "give a regular file or a new path" in err
    after = os.lstat(places / name)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino), "the node was replaced"


def test_an_output_symlink_is_followed_to_its_file(capsys, places):
    code, _, _ = run(capsys, "guide", "--as-of", AS_OF, "-o", str(places / "link.md"))
    assert code == 0
    assert os.path.islink(places / "link.md")
    assert (places / "real.md").read_text().startswith("# NetBSD/Xen guide")
    assert stat.S_IMODE(os.stat(places / "real.md").st_mode) == 0o600  # its permissions kept


def test_an_export_to_a_file_or_device_is_a_usage_error(capsys, places):
    for name in ("real.md", "fifo"):
        code, _, err = run(capsys, "export", "-o", str(places / name))
        assert code == 2 and "is not a directory" in err


def test_an_export_over_a_fifo_page_does_not_block(capsys, tmp_path):
    (tmp_path / "ports" / "xen").mkdir(parents=True)
    os.mkfifo(tmp_path / "ports" / "xen" / "howto.mdwn")
    code, _, err = run(capsys, "export", "-o", str(tmp_path))
    assert code == 2 and "is a FIFO" in err
