"""howto check-config FILE --xen X.Y [--toolstack xl|xm]: a reader's own domU config."""
from __future__ import annotations

import os

import subprocess
import sys
from pathlib import Path

import pytest

from xenhowto.cli import main

HOWTO_2016 = (Path(__file__).parent / "corpus" / "xl" / "ok-howto-2016-foo.cfg").read_text()
XEN3_CONFIG = """kernel = "/netbsd-XEN3_DOMU"
memory = 64
autorestart = True
disk = [ 'file:/xen/foo,wd0,w' ]
vif = [ 'bridge=bridge0' ]
"""


@pytest.fixture
def cfg(tmp_path):
    def write(text, name="foo"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_howtos_example_works_on_46(capsys, cfg):
    code, out, err = run(capsys, "check-config", cfg(HOWTO_2016), "--xen", "4.6")
    assert code == 0 and "would work with xl on Xen 4.6." in out and err == ""


def test_a_xen3_config_fails_on_4x_with_one_sentence_per_rule(capsys, cfg):
    path = cfg(XEN3_CONFIG)
    code, out, _ = run(capsys, "check-config", path, "--xen", "4.6")
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(path + ":")]
    assert [line.split(":")[1] for line in lines] == ["3", "3", "4"]
    assert "autorestart" in out and "NetBSD device name" in out and "0x0" in out
    assert out.splitlines()[-1] == f"{path} would not work with xl on Xen 4.6: 3 error(s)."


def test_the_same_config_still_works_with_xm_on_33(capsys, cfg):
    code, out, _ = run(capsys, "check-config", cfg(XEN3_CONFIG), "--xen", "3.3")
    assert code == 0 and "would work with xm on Xen 3.3 (see the warnings)." in out
    assert out.count(": warning: ") == 2


def test_41_to_44_default_to_xl_with_a_note(capsys, cfg):
    code, out, _ = run(capsys, "check-config", cfg(HOWTO_2016), "--xen", "4.2")
    assert code == 0 and out.startswith("note: Xen 4.2 has both xm and xl; judging as xl")
    code, out, _ = run(capsys, "check-config", cfg(HOWTO_2016), "--xen", "4.2", "--toolstack", "xm")
    assert code == 0 and "note:" not in out and "xm on Xen 4.2" in out


def test_python_parser_gives_the_same_verdict(capsys, cfg):
    path = cfg(XEN3_CONFIG)
    assert run(capsys, "check-config", path, "--xen", "4.6")[1] == \
        run(capsys, "check-config", path, "--xen", "4.6", "--parser", "python")[1]


@pytest.mark.parametrize("argv,message", [
    (["--xen", "5.0"], "not a Xen release"),
    (["--xen", "four"], "not a Xen version"),
])
def test_usage_errors_exit_2_with_a_sentence(capsys, cfg, argv, message):
    code, out, err = run(capsys, "check-config", cfg(HOWTO_2016), *argv)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("argv,message", [
    (["--xen", "4.6", "--toolstack", "xm"], "removed in Xen 4.5"),
    (["--xen", "4.20", "--toolstack", "xm"], "removed in Xen 4.5"),
    (["--xen", "3.3", "--toolstack", "xl"], "appeared in Xen 4.1"),
])
def test_a_toolstack_that_xen_version_lacks_is_a_finding_exit_1(capsys, cfg, argv, message):
    # the config is fine as a command line; it is the config that cannot work there
    path = cfg(HOWTO_2016)
    code, out, err = run(capsys, "check-config", path, *argv)
    assert code == 1 and f"{path}:1: error: " in out and message in out and "would not work" in out
    assert "Traceback" not in err


def test_unreadable_files_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check-config", str(tmp_path / "missing"), "--xen", "4.6")
    assert code == 2 and "cannot read" in err and "no such file" in err
    code, _, err = run(capsys, "check-config", str(tmp_path), "--xen", "4.6")
    assert code == 2 and "is a directory" in err


def test_a_fifo_or_a_device_is_refused_at_once(capsys, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    code, _, err = run(capsys, "check-config", str(fifo), "--xen", "4.6")
    assert code == 2 and "is a FIFO; give a regular file" in err
    code, _, err = run(capsys, "check-config", "/dev/zero", "--xen", "4.6")  # would never end
    assert code == 2 and "is a device; give a regular file" in err


def test_a_config_past_the_size_cap_is_refused(capsys, tmp_path):
    from xenhowto.cli import MAX_CONFIG_BYTES

    big = tmp_path / "big.cfg"
    big.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    code, _, err = run(capsys, "check-config", str(big), "--xen", "4.6")
    assert code == 2 and f"more than {MAX_CONFIG_BYTES} is refused" in err


def test_argparse_usage_errors_exit_2(capsys, cfg):
    with pytest.raises(SystemExit) as e:
        main(["check-config", cfg(HOWTO_2016)])  # --xen missing
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["check-config", cfg(HOWTO_2016), "--xen", "4.6", "--toolstack", "xe"])
    assert e.value.code == 2


def test_binary_garbage_is_judged_not_crashed_on(capsys, tmp_path):
    path = tmp_path / "garbage"
    path.write_bytes(b"\x00\xff\xfe name = \"a\0b\"\n\x80")
    code, out, err = run(capsys, "check-config", str(path), "--xen", "4.18")
    assert code == 1 and "NUL byte" in out and err == ""


def test_installed_command_exit_status(cfg):
    proc = subprocess.run([str(Path(sys.executable).parent / "howto"), "check-config", cfg(XEN3_CONFIG),
                           "--xen", "4.18"], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
