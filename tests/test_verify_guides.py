"""Executed guides (issues 5 and 10): guides run in the sandboxed stand-in dom0.

The guides are made by the project itself (tests/guide_helpers.py), so what
runs is what a reader gets.  A PV and a PVH guide must verify from a fresh
install to a running domU; each deliberate breakage must make verify fail
and name the step it comes from, with why.  All variants run once, in one
shared Sandbox, two at a time.
"""
from __future__ import annotations

import json
import os

import pytest
from guide_helpers import guide_json

from xenhowto.verify import Sandbox, verify, verify_many

AS_OF = "2026-12-01"
PV = {"domu_type": "pv"}
PVH = {"domu_type": "pvh"}
NAT_LVM = {"network": "nat", "disk": "lvm", "name": "web1", "nic": "re0"}
I386 = ({"xen": "4.2", "toolstack": "xl", "dom0_arch": "i386", "domu": "netbsd-i386pae"}, "2016-12-20")

INSTALL = "Install NetBSD on the domU's disk"
SWITCH = "Switch the domU to its own kernel"
START = "Start the domU"
SETTINGS = "Configure the domU"


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


def say(title: str, text: str):
    def f(g):
        _step(g, title)["text"] += "\n\n" + text
    return f


BAR_CONFIG = {"title": "Write bar's config file", "text": "A second domU.", "snippets": [
    {"kind": "file", "path": "/usr/pkg/etc/xen/bar",
     "content": "name = \"bar\"\nkernel = \"/netbsd-foo.gz\"\nmemory = 256\n"
                "vif = [ 'mac=aa:00:00:d1:00:09,bridge=bridge0' ]\ndisk = [ 'file:/u0/xen/foo-xbd0,0x0,r' ]\n"}]}
EARLY_DOMU = {"title": "Log in to the domU too early", "text": "", "snippets": [
    {"kind": "shell", "host": "domU", "content": "hostname\n"}]}

# name: (base setup, how to break it, the step the failure must name, words the message must contain)
BREAKAGES = {
    "step removed": (PV, drop("Install Xen and the dom0 kernel"), "Boot Xen", "/xen.gz: no such file"),
    "wrong kernel name in boot.cfg": (PV, replace("Boot Xen", "netbsd-XEN3_DOM0.gz", "netbsd-XEN3_DOM0"),
                                      "Boot Xen", "load /netbsd-XEN3_DOM0: no such file"),
    "missing xencommons": (PV, replace("Enable the Xen daemons", "xencommons=YES\n", ""),
                           "Enable the Xen daemons", "xencommons is not enabled"),
    "xend with xl": (PV, replace("Enable the Xen daemons", "xencommons=YES\n", "xencommons=YES\nxend=YES\n"),
                     "Enable the Xen daemons", "xend=YES"),
    "vif bridge that does not exist": (PV, replace("Write the domU's config file", "bridge=bridge0",
                                                   "bridge=bridge1"), INSTALL, "bridge bridge1 does not exist"),
    "duplicate MACs": (PV, add_step("Write the domU's config file", BAR_CONFIG), "Write bar's config file",
                       "aa:00:00:d1:00:09 is used by both"),
    "sparse disk (dd seek)": (PV, replace("Create the domU's disk", "bs=1m count=4096", "bs=1m seek=4096 count=0"),
                              "Create the domU's disk", "sparse"),
    "sparse disk (truncate)": (PV, replace("Create the domU's disk",
                                          "dd if=/dev/zero of=/u0/xen/foo-xbd0 bs=1m count=4096",
                                          "truncate -s 4g /u0/xen/foo-xbd0"),
                               "Create the domU's disk", "not written with dd"),
    "dd size suffix bs=1q": (PV, replace("Create the domU's disk", "bs=1m", "bs=1q"), "Create the domU's disk", "1q"),
    "disk of the wrong size": (PV, replace("Create the domU's disk", "count=4096", "count=2048"),
                               "Create the domU's disk", "not the 4096 MiB"),
    "MAKEDEV xen left out": (PV, replace("Enable the Xen daemons", "cd /dev && sh MAKEDEV xen\n", ""),
                             "Enable the Xen daemons", "/dev/xenevt"),
    "rc.conf replaced, not appended": (PV, lambda g: _step(g, "Enable the Xen daemons")["snippets"][0]
                                       .update(action="create"), "Enable the Xen daemons", "rc_configured"),
    "xm command with the xl toolstack": (PV, replace(START, "xl create", "xm create"), START, "xm"),
    # Issue 10: the goal, not only the files.
    "install step removed": (PVH, drop(INSTALL), START, "holds no system"),
    "kernel not switched back": (PV, drop(SWITCH), START, "is NetBSD's installer"),
    "bridge without uplink": (PVH, replace("Set up the bridge", "!brconfig bridge0 add wm0\n", ""), INSTALL,
                              "cannot fetch the sets"),
    "PV kernel with type pvh": (PV, replace(SWITCH, 'type = "pv"', 'type = "pvh"'), START,
                                "a PVH domU boots GENERIC"),
    "console left before it was opened": (PVH, say("Install the domU kernel", "Typing ^] will exit the console."),
                                          "Install the domU kernel", "before any step opened one"),
    "typing in the domU before it runs": (PVH, add_step("Write the domU's config file", EARLY_DOMU),
                                          "Log in to the domU too early", "is not running at this step"),
    "domU settings left out": (PVH, drop(SETTINGS), "the guide as a whole", "hostname"),
    "the domU's ttys with two consoles": (PVH, add_step(SETTINGS, {
        "title": "Turn console on too", "text": "", "snippets": [
            {"kind": "file", "host": "domU", "path": "/etc/ttys", "action": "edit",
             "content": 'console "/usr/libexec/getty Pc" vt100 on secure\n'}]}),
        "Turn console on too", "both console and constty"),
    "NAT without forwarding": (NAT_LVM, replace("Set up NAT with npf", "sysctl -w net.inet.ip.forwarding=1\n", ""),
                               INSTALL, "does not forward IPv4"),
    "npf.conf on the wrong interface": (NAT_LVM, replace("Set up NAT with npf", "inet4(re0)", "inet4(wm0)"),
                                        "Set up NAT with npf", "interface 'wm0' does not exist"),
    "LVM without lvm=YES": (NAT_LVM, replace("Create the domU's disk", "lvm=YES\n", "\n"), "Create the domU's disk",
                            "lvm=YES"),
}


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


def i386_guide(wrong_dom0: bool = False) -> dict:
    g = guide_json(*I386)
    if wrong_dom0:  # the non-PAE dom0 kernel an i386 release also has
        g = json.loads(json.dumps(g).replace("XEN3PAE_DOM0", "XEN3_DOM0"))
    return g


def xen46_on_i386() -> dict:
    g = i386_guide()
    g["setup"].update(xen="4.6", package="xenkernel46")
    replace("Install the Xen packages", "xenkernel42 xentools42", "xenkernel46 xentools46")(g)
    return g


def odd_shapes() -> dict:
    g = guide_json(PV, AS_OF)
    g["steps"].append({"title": "Odd", "snippets": [
        {"kind": "video", "content": "x"},
        {"kind": "file", "path": "/etc/x", "action": "prepend", "content": "x"},
        {"kind": "shell", "host": "domX", "content": "true\n"}]})
    return g


@pytest.fixture(scope="module")
def results(sandbox):
    """Every guide of this module, verified in one batch (two at a time)."""
    guides = {"pv": guide_json(PV, AS_OF), "pvh": guide_json(PVH, AS_OF), "nat-lvm": guide_json(NAT_LVM, AS_OF),
              "i386": i386_guide(), "i386 non-PAE dom0": i386_guide(wrong_dom0=True),
              "4.6 on i386": xen46_on_i386(), "odd shapes": odd_shapes()}
    for name, (base, breaking, _, _) in BREAKAGES.items():
        g = guide_json(base, AS_OF)
        breaking(g)
        guides[name] = g
    out = verify_many(list(guides.values()), jobs=2, sandbox=sandbox)
    return dict(zip(guides, out))


def _started(r) -> list[dict]:
    return [dict(c, step=e["step"]) for e in r.ledger for c in e["effect"].get("started", [])]


@pytest.mark.parametrize("name", ["pv", "pvh", "nat-lvm"])
def test_guide_runs_from_a_fresh_install_to_a_domu_one_can_log_into(results, name):
    r = results[name]
    assert r.ok, r.report()
    cmds = [(e["cmd"], e.get("rc")) for e in r.ledger]
    assert ("pkg_add", 0) in cmds and ("rc.d/xencommons", 0) in cmds and ("ftp", 0) in cmds
    boot = next(e for e in r.ledger if e["cmd"] == "reboot")
    assert boot["effect"]["booted"]["xen"] == "/xen.gz" and boot["effect"]["booted"]["config"] == "XEN3_DOM0"
    name_ = r.setup["name"]
    started = [c for c in _started(r) if c["domain"] == name_]
    assert [c["installer"] for c in started] == [True, False]  # the installer, then its own kernel
    assert started[1]["type"] == r.setup["domu_type"]
    installed = next(e for e in r.ledger if e["effect"].get("domu_installed"))
    assert installed["step"] == started[0]["step"] < started[1]["step"]
    consoles = [e["step"] for e in r.ledger if e["effect"].get("console") == name_]
    assert consoles and consoles[0] >= started[1]["step"]
    bridge = "bridge1" if r.setup["network"] == "nat" else "bridge0"
    assert started[1]["vifs"][0]["bridge"] == bridge


def test_the_pv_guide_makes_a_preallocated_disk(results):
    dd = next(e for e in results["pv"].ledger if e["cmd"] == "dd")
    assert dd["effect"]["size"] == 4096 * 1048576 and dd["effect"]["sparse"] is False


def test_the_nat_lvm_guide_uses_its_volume_and_routes(results):
    r = results["nat-lvm"]
    lv = next(e for e in r.ledger if e["effect"].get("lvcreate"))
    assert lv["effect"]["lvcreate"] == {"vg": "vg0", "lv": "web1-xbd0", "size_mb": 4096}
    assert _started(r)[-1]["disks"][0]["target"] == "/dev/vg0/web1-xbd0"
    assert any(e["effect"].get("set") == {"net.inet.ip.forwarding": "1"} for e in r.ledger)


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_breakage_fails_naming_the_step(results, name):
    _, _, title, words = BREAKAGES[name]
    r = results[name]
    assert not r.ok
    named = [f for f in r.failures if f.title == title]
    assert named, f"no failure names step {title!r}:\n{r.report()}"
    assert any(words in f.message for f in named), r.report()


def test_removed_step_fails_first_at_the_boot(results):
    r = results["step removed"]
    first = r.failures[0]
    boot = [s["title"] for s in guide_json(PV, AS_OF)["steps"]].index("Boot Xen")  # 1-based, one step less
    assert (first.step, first.title) == (boot, "Boot Xen")
    assert "reboot" in first.message and "/boot.cfg line" in first.message
    assert str(first).startswith(f"step {boot} (Boot Xen): ")


def test_i386_guide_boots_the_pae_dom0_and_its_pae_domu(results):
    r = results["i386"]
    assert r.ok, r.report()
    boot = next(e for e in r.ledger if e["cmd"] == "reboot")
    assert boot["effect"]["booted"]["config"] == "XEN3PAE_DOM0"
    assert boot["effect"]["booted"]["xen_version"] == "4.2"
    assert next(e for e in r.ledger if e["effect"].get("domu_installed"))["effect"]["domu_installed"]["system"] \
        .endswith("/i386")


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
    assert any("not create, append or edit" in m for m in odd)
    assert any("'domX' is neither dom0 nor domU" in m for m in odd)


def test_domu_commands_run_in_the_domu_not_in_the_dom0(sandbox):
    g = guide_json(PVH, AS_OF)
    g["steps"].append({"title": "In the domU", "text": "", "snippets": [
        {"kind": "shell", "host": "domU", "content": "touch /domu-was-here\n"},
        {"kind": "file", "host": "domU", "path": "/etc/motd", "content": "hello from foo\n"}]})
    r = verify(g, sandbox, keep_root=True)
    try:
        assert r.ok, r.report()
        assert not os.path.exists(os.path.join(r.root, "domu-was-here"))
        trees = os.path.join(r.root, "var/db/standins-domu")
        (tree,) = [os.path.join(trees, t) for t in os.listdir(trees)]
        assert os.path.isfile(os.path.join(tree, "domu-was-here"))
        with open(os.path.join(tree, "etc/motd")) as f:
            assert f.read() == "hello from foo\n"
        with open(os.path.join(tree, "etc/rc.conf")) as f:  # the guide's settings went there
            assert "hostname=foo" in f.read().split()
    finally:
        sandbox.discard(r.root)
