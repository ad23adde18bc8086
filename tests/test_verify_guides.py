"""Executed examples (issue 5, item 5): guides run in the sandboxed stand-in dom0.

The fixture guide must verify; each deliberate breakage must make verify fail
and name the step it comes from.  All variants run once, in one shared
Sandbox, two at a time (bwrap and the stand-ins are processes; the tests
stay within a few seconds).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xenhowto.verify import Sandbox, verify_many

FIXTURE = Path(__file__).parent / "fixtures" / "guides" / "recommended-xl-amd64.json"


def fixture_guide() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _step(guide: dict, title: str) -> dict:
    return next(s for s in guide["steps"] if s["title"] == title)


def drop(title: str):
    def f(g):
        assert any(s["title"] == title for s in g["steps"])
        g["steps"] = [s for s in g["steps"] if s["title"] != title]
    return f


def replace(title: str, old: str, new: str):
    def f(g):
        hits = 0
        for snip in _step(g, title)["snippets"]:
            hits += old in snip["content"]
            snip["content"] = snip["content"].replace(old, new)
        assert hits, f"{old!r} not in step {title!r}"  # the breakage must really change the guide
    return f


def add_step(after: str, step: dict):
    def f(g):
        i = next(i for i, s in enumerate(g["steps"]) if s["title"] == after)
        g["steps"].insert(i + 1, step)
    return f


BAR_CONFIG = {"title": "Write bar's config file", "text": "A second domU.", "snippets": [
    {"kind": "file", "path": "/usr/pkg/etc/xen/bar",
     "content": "name = \"bar\"\nkernel = \"/netbsd-XEN3_DOMU-foo.gz\"\nmemory = 256\n"
                "vif = [ 'mac=aa:00:00:d1:00:09,bridge=bridge0' ]\ndisk = [ 'file:/u0/xen/foo-xbd0,0x0,r' ]\n"}]}


def i386_guide(wrong_dom0: bool = False) -> dict:
    """The fixture for an i386 PAE dom0 with Xen 4.2 (the HOWTO: 4.2 is the last i386 host)."""
    text = json.dumps(fixture_guide())
    for old, new in (("xenkernel46 xentools46", "xenkernel42 xentools42"), ("xen46-kernel", "xen42-kernel"),
                     ("releasedir/amd64", "releasedir/i386"), ("XEN3_DOMU", "XEN3PAE_DOMU"),
                     ("XEN3_DOM0", "XEN3_DOM0" if wrong_dom0 else "XEN3PAE_DOM0")):
        assert old in text
        text = text.replace(old, new)
    g = json.loads(text)
    g["setup"].update(dom0_arch="i386", xen="4.2", package="xenkernel42", domu="netbsd-i386pae")
    return g


# name: (how to break the fixture, the step the failure must name, words the message must contain)
BREAKAGES = {
    "step removed": (drop("Install Xen and the dom0 kernel"), "Boot Xen", "/xen.gz: no such file"),
    "wrong kernel name in boot.cfg": (replace("Boot Xen", "netbsd-XEN3_DOM0.gz", "netbsd-XEN3_DOM0"),
                                      "Boot Xen", "load /netbsd-XEN3_DOM0: no such file"),
    "missing xencommons": (replace("Enable the Xen daemons", "xencommons=YES\n", ""),
                           "Enable the Xen daemons", "xencommons is not enabled"),
    "xend with xl on 4.6": (replace("Enable the Xen daemons", "xencommons=YES\n", "xencommons=YES\nxend=YES\n"),
                            "Enable the Xen daemons", "xend=YES"),
    "vif bridge that does not exist": (replace("Write the domU's config file", "bridge=bridge0", "bridge=bridge1"),
                                       "Start the domU", "bridge bridge1 does not exist"),
    "duplicate MACs": (add_step("Write the domU's config file", BAR_CONFIG), "Write bar's config file",
                       "aa:00:00:d1:00:09 is used by both"),
    "sparse disk (dd seek)": (replace("Create the domU's disk", "bs=1m count=4096", "bs=1m seek=4096 count=0"),
                              "Create the domU's disk", "sparse"),
    "sparse disk (truncate)": (replace("Create the domU's disk",
                                      "dd if=/dev/zero of=/u0/xen/foo-xbd0 bs=1m count=4096",
                                      "truncate -s 4g /u0/xen/foo-xbd0"),
                               "Create the domU's disk", "not written with dd"),
    "dd size suffix bs=1q": (replace("Create the domU's disk", "bs=1m", "bs=1q"),
                             "Create the domU's disk", "1q"),
    "disk of the wrong size": (replace("Create the domU's disk", "count=4096", "count=2048"),
                               "Create the domU's disk", "not the 4096 MiB"),
    "MAKEDEV xen left out": (replace("Enable the Xen daemons", "cd /dev && sh MAKEDEV xen\n", ""),
                             "Enable the Xen daemons", "/dev/xenevt"),
    "rc.conf replaced, not appended": (lambda g: _step(g, "Enable the Xen daemons")["snippets"][0]
                                       .update(action="create"), "Enable the Xen daemons", "rc_configured"),
    "xm command with the xl toolstack": (replace("Start the domU", "xl create", "xm create"),
                                         "Start the domU", "xm"),
}


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


def xen46_on_i386() -> dict:
    g = i386_guide()
    g["setup"].update(xen="4.6", package="xenkernel46")
    _step(g, "Install the Xen packages")["snippets"][0]["content"] = "pkg_add xenkernel46 xentools46\n"
    return g


def odd_shapes() -> dict:
    g = fixture_guide()
    g["steps"].append({"title": "Odd", "snippets": [
        {"kind": "video", "content": "x"},
        {"kind": "file", "path": "/etc/x", "action": "prepend", "content": "x"}]})
    return g


def with_domu_commands() -> dict:
    g = fixture_guide()
    g["steps"].append({"title": "In the domU", "snippets": [
        {"kind": "shell", "host": "domU", "content": "touch /domu-was-here\n"}]})
    return g


@pytest.fixture(scope="module")
def results(sandbox):
    """Every guide of this module, verified in one batch (two at a time)."""
    guides = {"fixture": fixture_guide(), "i386": i386_guide(), "i386 non-PAE dom0": i386_guide(wrong_dom0=True),
              "4.6 on i386": xen46_on_i386(), "odd shapes": odd_shapes(), "domU commands": with_domu_commands()}
    for name, (breaking, _, _) in BREAKAGES.items():
        g = fixture_guide()
        breaking(g)
        guides[name] = g
    out = verify_many(list(guides.values()), jobs=2, sandbox=sandbox)
    return dict(zip(guides, out))


def test_fixture_guide_verifies(results):
    r = results["fixture"]
    assert r.ok, r.report()
    assert r.failures == []
    cmds = [(e["step"], e["cmd"], e.get("rc")) for e in r.ledger]
    assert (1, "pkg_add", 0) in cmds and (4, "rc.d/xencommons", 0) in cmds
    boot = next(e for e in r.ledger if e["cmd"] == "reboot")
    assert boot["effect"]["booted"]["xen"] == "/xen.gz"
    assert boot["effect"]["booted"]["config"] == "XEN3_DOM0"
    dd = next(e for e in r.ledger if e["cmd"] == "dd")
    assert dd["effect"]["size"] == 4096 * 1048576 and dd["effect"]["sparse"] is False
    started = [c for e in r.ledger for c in e["effect"].get("started", [])]
    assert [c["domain"] for c in started] == ["foo"]
    assert started[0]["vifs"][0]["bridge"] == "bridge0"


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_breakage_fails_naming_the_step(results, name):
    _, title, words = BREAKAGES[name]
    r = results[name]
    assert not r.ok
    named = [f for f in r.failures if f.title == title]
    assert named, f"no failure names step {title!r}:\n{r.report()}"
    assert any(words in f.message for f in named), r.report()


def test_removed_step_fails_first_at_the_boot(results):
    r = results["step removed"]
    first = r.failures[0]
    assert (first.step, first.title) == (2, "Boot Xen")
    assert "reboot" in first.message and "/boot.cfg line" in first.message
    assert str(first).startswith("step 2 (Boot Xen): ")


def test_i386_guide_boots_the_pae_dom0(results):
    r = results["i386"]
    assert r.ok, r.report()
    boot = next(e for e in r.ledger if e["cmd"] == "reboot")
    assert boot["effect"]["booted"]["config"] == "XEN3PAE_DOM0"
    assert boot["effect"]["booted"]["xen_version"] == "4.2"


def test_i386_non_pae_dom0_fails_at_the_boot(results):
    r = results["i386 non-PAE dom0"]
    assert not r.ok
    assert r.failures[0].title == "Boot Xen"
    assert any("PAE" in f.message for f in r.failures if f.title == "Boot Xen")


def test_xen_46_cannot_be_installed_on_i386(results):
    r = results["4.6 on i386"]
    assert r.failures[0].title == "Install the Xen packages"
    assert "NetBSD/i386" in r.failures[0].message


def test_one_base_tree_per_architecture(sandbox, results):
    assert sorted(sandbox._bases) == ["amd64", "i386"]


def test_guide_shape_errors_are_failures_not_tracebacks(results):
    odd = [f.message for f in results["odd shapes"].failures if f.title == "Odd"]
    assert any("not a shell, file or output snippet" in m for m in odd)
    assert any("prepend" in m for m in odd)
    assert any("not create, append or edit" in m for m in odd)


def test_domu_shell_is_noted_not_run(results):
    r = results["domU commands"]
    assert r.ok, r.report()
    assert any("In the domU" in n and "not run" in n for n in r.notes)
