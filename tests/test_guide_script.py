"""`howto guide --format sh`: the guide as a commented dom0 shell script
(xenhowto.guide.script).

- it passes shellcheck (every named guide, and drawn setups with values a
  reader types);
- run in the verifier's stand-in dom0, the script's steps leave the dom0 as
  the verified guide leaves it: the same files, the same commands recorded;
- its edits of existing lines change what the verifier's edit changes;
- what is typed in the domU and what a command prints are only comments;
- the CLI prints it; with no step given it runs nothing and lists the steps.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, howto_bin
from xenhowto.guide import compose, model, script
from xenhowto.guide.build import guide_for
from xenhowto.guide.every import valid_setups
from xenhowto.project import load
from xenhowto.verify import rootpath
from xenhowto.verify.sandbox import Sandbox
from xenhowto.verify.runner import verify
from xenhowto.verify.standins import world

TODAY = dt.date(2026, 11, 25)
PROJECT = load(str(ROOT / "mkdocs.yml"))
MODEL = model.load()
TYPED = {  # values a reader might type
    "name": ["web1", "db.example", "a_b-c", "X9", "EOF"],
    "memory": ["64", "2048"],
    "disk_size": ["100", "20480"],
    "mac": ["00:16:3e:00:00:01"],
    "dom0_mem": ["256M", "2G"],
    "nic": ["re0", "bge1"],
    "partition": ["ld0f"],
}

needs_shellcheck = pytest.mark.skipif(shutil.which("shellcheck") is None, reason="scripts/setup installs shellcheck")


def _day(named: model.Named) -> dt.date:
    return dt.date.fromisoformat(named.as_of) if named.as_of else TODAY


def _script(given: dict, day: dt.date) -> str:
    return compose.to_shell(guide_for(PROJECT, given, day))


def _shellcheck(scripts: dict[str, str], tmp_path) -> list[str]:
    """Every finding of shellcheck (all severities, no code left out) over the scripts."""
    for name, text in scripts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(["shellcheck", "--format=gcc", *sorted(scripts)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout.splitlines()


# --- shellcheck -----------------------------------------------------------------------

@needs_shellcheck
def test_every_named_guide_passes_shellcheck(tmp_path):
    scripts = {f"{n.id}.sh": _script(dict(n.setup), _day(n)) for n in MODEL.named}
    assert all(s.startswith("#!/bin/sh\n") for s in scripts.values())
    assert _shellcheck(scripts, tmp_path) == []


COMPLETE = valid_setups(PROJECT, TODAY)


@needs_shellcheck
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.sampled_from(COMPLETE), st.fixed_dictionaries({k: st.sampled_from(v) for k, v in TYPED.items()}),
       st.sets(st.sampled_from(sorted(TYPED))))
def test_drawn_setups_pass_shellcheck(tmp_path, setup, typed, keep):
    given_values = dict(setup, **{k: typed[k] for k in keep})
    assert _shellcheck({"guide.sh": _script(given_values, TODAY)}, tmp_path) == [], given_values


# --- the script does what the verified guide does -----------------------------------

def _files(root: str, skip: tuple[str, ...]) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for base, dirs, names in os.walk(root):
        rel_base = os.path.relpath(base, root)
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(rel_base, d)) not in skip]
        for n in names:
            path = os.path.join(base, n)
            rel = os.path.normpath(os.path.join(rel_base, n))
            if rel in skip or n.endswith(".orig"):  # the script keeps a copy of a file it edits
                continue
            if os.path.islink(path):
                out[rel] = "-> " + os.readlink(path)
            elif os.path.getsize(path) > 1 << 20:  # a disk image dd made (sparse, the stand-in's record says how written)
                out[rel] = f"{os.path.getsize(path)} bytes"
            else:
                with open(path, "rb") as f:
                    out[rel] = f.read()
    return out


def _ledger(root: str) -> list[dict]:
    # cwd aside: the verifier runs each example in a shell of its own, the
    # script runs a step's examples one after the other (a `cd` stays, as
    # for a reader typing them)
    with open(os.path.join(root, world.LEDGER.lstrip("/")), encoding="utf-8") as f:
        return [{k: v for k, v in json.loads(line).items() if k != "cwd"} for line in f]


def _state(root: str) -> dict:
    """The stand-ins' state (packages, daemons, disks, domains, boots), less
    the digest of what the domU's disk holds (typed in the domU: see above)
    and what identifies the images dd wrote on the file system (inode, mtime)."""
    state = world.load_state(root)
    for disk in state.get("disks", {}).values():
        disk.pop("signature", None)
    for image in state.get("dd", {}).values():
        image.pop("ino", None)
        image.pop("mtime", None)
    return state


def _in_sandbox(sandbox: Sandbox, root: str, text: str, *args: str):
    return sandbox.run(root, "set -- " + " ".join(args) + "\n" + text)


CASES = [(n.id, dict(n.setup), _day(n)) for n in MODEL.named] + [
    ("raw-partition-serial", {"disk": "partition", "console": "serial", "serial_port": "com1", "autostart": True},
     TODAY),
    ("bridge-xen418-pv-named", {"xen": "4.18", "domu_type": "pv", "name": "db.example", "memory": "1024"}, TODAY),
]


@pytest.fixture(scope="module")
def sandbox():
    try:
        with Sandbox() as sb:
            yield sb
    except Exception as e:  # noqa: BLE001 - no bubblewrap, no namespaces: say so
        pytest.skip(f"no sandbox here: {e}")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_script_leaves_the_dom0_as_the_verified_guide(sandbox, case):
    _, given_values, day = case
    guide = guide_for(PROJECT, given_values, day)
    verified = verify(json.loads(compose.to_json(guide)), sandbox, keep_root=True)
    if not verified.ok:
        pytest.skip(f"the guide itself does not verify: {verified.report()}")
    ran = sandbox.new_root(json.loads(compose.to_json(guide))["setup"])
    try:
        steps = [str(i) for i in range(1, len(guide.steps) + 1)]
        result = _in_sandbox(sandbox, ran, compose.to_shell(guide), *steps)
        assert result.returncode == 0, result.stderr[-3000:]
        # the files typed in the domU live in its disk's tree: the script leaves them to the reader
        state = world.load_state(verified.root)
        domu = tuple(os.path.normpath(d["tree"].lstrip("/")) for d in state.get("disks", {}).values() if d.get("tree"))
        skip = domu + (world.LEDGER.lstrip("/"), world.STATE.lstrip("/"))
        want, got = _files(verified.root, skip), _files(ran, skip)
        assert sorted(got) == sorted(want)
        assert [k for k in want if want[k] != got[k]] == []
        assert _ledger(ran) == _ledger(verified.root)
        assert len(_ledger(ran)) > 5  # the stand-ins saw the commands
        assert _state(ran) == _state(verified.root)
    finally:
        sandbox.discard(ran)
        sandbox.discard(verified.root)


def test_without_a_step_it_lists_the_steps_and_runs_nothing(sandbox):
    guide = guide_for(PROJECT, {}, TODAY)
    text = compose.to_shell(guide)
    root = sandbox.new_root(json.loads(compose.to_json(guide))["setup"])
    try:
        listed = _in_sandbox(sandbox, root, text)
        assert listed.returncode == 2
        assert "Usage: sh " in listed.stdout
        for i, step in enumerate(guide.steps, 1):
            assert f"  {i}. {step.title}\n" in listed.stdout
        wrong = _in_sandbox(sandbox, root, text, "99")
        assert wrong.returncode == 2 and "no step 99" in wrong.stderr
        assert _ledger(root) == []  # nothing ran
        one = _in_sandbox(sandbox, root, text, "3")
        assert one.returncode == 0, one.stderr
        assert [e["cmd"] for e in _ledger(root)] == ["pkg_add"]
    finally:
        sandbox.discard(root)


# --- pieces -----------------------------------------------------------------------------

EDITS = [
    ("/usr/pkg/etc/xen/foo", 'name = "foo"\ntype = "pv"\n# type = "old"\nkernel = "/netbsd-INSTALL.gz"\nmemory = 256\n',
     'type = "pvh"\nkernel = "/netbsd-foo.gz"\n'),
    ("/boot.cfg", "menu=Boot normally:boot netbsd\nmenu=Xen:load /netbsd-XEN3_DOM0.gz;multiboot /xen.gz\ntimeout=5\n",
     "menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=512M & more \\ here\n"),
    ("/etc/ttys", 'console\t"/usr/libexec/getty Pc"\tvt100\toff secure\nconstty\t"/usr/libexec/getty Pc"\tvt100\ton secure\n'
                  'ttyE0\t"/usr/libexec/getty Pc"\twsvt25\ton secure\nttyE1\t"/usr/libexec/getty Pc"\twsvt25\ton secure\n',
     'console\t"/usr/libexec/getty Pc"\tvt100\ton secure\nttyE1\t"/usr/libexec/getty Pc"\twsvt25\toff secure\n'),
    ("/etc/rc.conf", "rc_configured=YES\nwscons=YES\nhostname=old.example\n", "hostname=web.example\nwscons=NO\n"),
]


@pytest.mark.parametrize("path,before,change", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_changes_what_the_verifiers_edit_changes(tmp_path, path, before, change):
    """The commands run here (grep, cp and sed only, on a file of the test)."""
    want_root, got = tmp_path / "want", tmp_path / "got" / path.lstrip("/")
    (want_root / os.path.dirname(path).lstrip("/")).mkdir(parents=True, exist_ok=True)
    (want_root / path.lstrip("/")).write_text(before)
    rootpath.edit(str(want_root), path, change)
    got.parent.mkdir(parents=True)
    got.write_text(before)
    command = script.file_command(str(got), "edit", change)
    assert "sed " in command and "grep -q" in command
    run = subprocess.run(["sh", "-e", "-c", command], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert got.read_text() == (want_root / path.lstrip("/")).read_text()
    assert got.with_name(got.name + ".orig").read_text() == before


def test_an_edit_of_a_line_the_file_lacks_stops_with_a_message(tmp_path):
    f = tmp_path / "foo"
    f.write_text('name = "foo"\n')
    run = subprocess.run(["sh", "-e", "-c", script.file_command(str(f), "edit", 'kernel = "/netbsd-foo.gz"\n')],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "no line kernel= to change" in run.stderr
    assert f.read_text() == 'name = "foo"\n'


def test_domu_lines_and_output_are_comments_and_dom0_commands_are_not():
    guide = guide_for(PROJECT, {}, TODAY)
    text = compose.to_shell(guide)
    code = {line for line in text.split("\n") if line and not line.startswith("#")}
    seen = {"domU": 0, "output": 0, "dom0": 0}
    for step in guide.steps:
        for snip in step.snippets:
            lines = [line for line in snip["content"].split("\n") if line.strip()]
            if snip["kind"] == "output" or snip.get("host") == "domU":
                seen["output" if snip["kind"] == "output" else "domU"] += 1
                for line in lines:
                    assert line not in code, line
                    assert f"#     {line}" in text, line
            elif snip["kind"] == "shell":
                seen["dom0"] += 1
                assert all(line in code for line in lines), lines
    assert all(seen.values()), seen
    assert "type these in the domU" in text


def test_the_cli_prints_the_script(tmp_path):
    given_values = {"name": "web1", "network": "nat", "disk": "lvm", "nic": "re0"}
    want = _script(given_values, TODAY)
    args = [howto_bin(), "guide", "--as-of", TODAY.isoformat(), "--name", "web1", "--network", "nat",
            "--disk", "lvm", "--nic", "re0", "--format", "sh"]
    run = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout == want
    out = tmp_path / "guide.sh"
    run = subprocess.run(args + ["-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and out.read_text() == want


def test_copy_all_dom0_commands_holds_every_dom0_command_in_order():
    guide = guide_for(PROJECT, {"disk": "lvm"}, TODAY)
    text = compose.dom0_commands(guide)
    at = 0
    for step in guide.steps:
        for snip in step.snippets:
            if snip["kind"] == "shell" and snip.get("host") == "dom0":
                found = text.find(snip["content"].rstrip("\n"), at)
                assert found >= at, snip["content"]
                at = found
    assert "type these in the domU" not in text and "hostname=" not in text
