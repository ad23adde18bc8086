"""The stand-ins' own parsing and the verifier's path rules, without a sandbox."""
from __future__ import annotations

import os

import pytest

from xenhowto.verify import checks, rootpath
from xenhowto.verify.standins import boot, disk, domucfg, pkgsrc, world
from xenhowto.verify.standins.world import StandinError


@pytest.mark.parametrize("value, expected", [
    ("1m", 1048576), ("4096", 4096), ("2x512k", 1048576), ("0x10", 16), ("010", 8), ("1b", 512),
    ("1w", 4), ("1g", 1073741824), ("3*2", 6),
])
def test_dd_sizes_as_netbsd_reads_them(value, expected):
    assert disk.strsuftoll("block size", value, 0, 2**63 - 1) == expected


@pytest.mark.parametrize("value", ["1q", "1M", "1k2", "", "m", "08", "1mm"])
def test_dd_sizes_netbsd_refuses(value):
    with pytest.raises(StandinError, match="illegal number"):
        disk.strsuftoll("block size", value, 1, 2**32 - 1)


def test_dd_operands():
    with pytest.raises(StandinError, match="unknown operand"):
        disk.parse(["if=/dev/zero", "of=x", "size=4g"])
    with pytest.raises(StandinError, match="unknown conversion"):
        disk.parse(["conv=fsync"])
    assert disk.parse(["bs=1m", "count=4096", "conv=notrunc,sparse"])["conv"] == {"notrunc", "sparse"}


def test_written_fully_reads_the_ledger(tmp_path):
    image = tmp_path / "img"
    image.write_bytes(b"\0" * 1024)
    st = image.stat()
    full = {"dd": {"/img": {"size": 1024, "mtime": st.st_mtime_ns, "written": [[0, 1024]]}}}
    assert disk.written_fully(full, "/img", str(image)) == (True, "")
    holey = {"dd": {"/img": {"size": 1024, "mtime": st.st_mtime_ns, "written": [[0, 512]]}}}
    ok, why = disk.written_fully(holey, "/img", str(image))
    assert not ok and "512-1024" in why
    assert not disk.written_fully({}, "/img", str(image))[0]
    image.write_bytes(b"\0" * 2048)  # changed behind dd's back
    assert "changed after dd" in disk.written_fully(full, "/img", str(image))[1]


def test_rootpath_resolves_against_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "tmp").mkdir()
    os.symlink("/tmp/x", root / "etc" / "abs")
    os.symlink("../tmp", root / "etc" / "rel")
    os.symlink("../../../../outside", root / "etc" / "climb")
    assert rootpath.resolve(str(root), "/etc/abs") == str(root / "tmp" / "x")
    assert rootpath.resolve(str(root), "/etc/rel/y") == str(root / "tmp" / "y")
    for bad in ("etc/passwd", "/etc/../../x", "/..", "/etc/climb", "/"):
        with pytest.raises(rootpath.PathError):
            rootpath.resolve(str(root), bad)
    with pytest.raises(rootpath.PathError, match="does not exist at this step"):
        rootpath.write(str(root), "/usr/pkg/etc/xen/foo", "x")
    rootpath.write(str(root), "/etc/rc.conf", "a=1")
    rootpath.write(str(root), "/etc/rc.conf", "b=2\n", append=True)
    assert (root / "etc" / "rc.conf").read_text() == "a=1\nb=2\n"
    rootpath.edit(str(root), "/etc/rc.conf", "b=3\n")
    assert (root / "etc" / "rc.conf").read_text() == "a=1\nb=3\n"
    with pytest.raises(rootpath.PathError, match="no line c="):
        rootpath.edit(str(root), "/etc/rc.conf", "c=1\n")
    rootpath.write(str(root), "/boot.cfg", "menu=Xen:load /a;multiboot /xen.gz\n")
    rootpath.edit(str(root), "/boot.cfg", "menu=Xen:load /a;multiboot /xen.gz dom0_max_vcpus=1\n")
    assert (root / "boot.cfg").read_text().endswith("dom0_max_vcpus=1\n")


def _root_with(tmp_path, files: dict) -> str:
    for path, content in files.items():
        p = tmp_path / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)
    return str(tmp_path)


def test_boot_cfg_xen_entry_and_its_kernels(tmp_path):
    kernels = world.release_kernels("amd64")
    dom0 = dict(kernels["netbsd-XEN3_DOM0.gz"])
    domu = dict(kernels["netbsd-XEN3_DOMU.gz"])
    root = _root_with(tmp_path, {
        "/xen.gz": world.marker("Xen", kind="xen", version="4.6", arch="amd64"),
        "/netbsd-XEN3_DOM0.gz": world.marker(dom0.pop("what"), **dom0),
        "/netbsd-XEN3_DOMU.gz": world.marker(domu.pop("what"), **domu),
        "/boot.cfg": "menu=Boot normally:boot netbsd\n"
                     "menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=512M\n"
                     "menu=Bad:load /netbsd-XEN3_DOMU.gz;multiboot /xen.gz\ndefault=2\n"})
    machine = {"arch": "amd64"}
    menu = boot.read_menu(root, "boot.cfg")
    entry = boot.xen_entry(menu)
    assert entry["label"] == "Xen"  # default=2 is a Xen entry
    booted, problems = boot.check_xen_entry(root, menu, entry, machine)
    assert problems == [] and booted["dom0_mem"] == 512 and booted["config"] == "XEN3_DOM0"
    _, problems = boot.check_xen_entry(root, menu, menu["entries"][2], machine)
    assert problems and "not a dom0 kernel" in problems[0]


def test_domu_config_reading():
    assert domucfg.parse('name = "foo"\nmemory = 256\nvif = [ \'mac=aa:00:00:d1:00:09\' ]\n')["memory"] == 256
    with pytest.raises(domucfg.ConfigError, match="bare word"):
        domucfg.parse("autorestart = True\n", "xl")
    assert domucfg.parse("autorestart = True\n", "xm")["autorestart"] is True
    d = domucfg.disk_spec("file:/u0/xen/foo-xbd0,0x0,w")
    assert (d["kind"], d["target"], d["vdev"], d["writable"]) == ("file", "/u0/xen/foo-xbd0", "0x0", True)
    assert domucfg.disk_spec("phy:/dev/wd0e,0x1,r")["kind"] == "phy"
    assert domucfg.disk_spec("format=raw, vdev=xvda, access=rw, target=/img")["target"] == "/img"
    assert not domucfg.vdev_ok("wd0") and domucfg.vdev_ok("0x1") and domucfg.vdev_ok("xvda")
    assert domucfg.vif_bridge(domucfg.vif_spec("mac=aa:00:00:d1:00:09")) == "xenbr0"
    assert domucfg.vif_bridge(domucfg.vif_spec("script=vif-ip")) is None
    with pytest.raises(ValueError, match="MAC"):
        domucfg.vif_spec("mac=aa:00:00:d1:00")


def test_rc_conf_reading(tmp_path):
    root = _root_with(tmp_path, {"/etc/rc.conf": 'rc_configured=YES\nxendomains="foo bar"\n'
                                                 "  xend=NO # comment\nexport sshd='YES'\nif [ -r x ]; then\n"})
    rc = world.rc_conf(root)
    assert rc == {"rc_configured": "YES", "xendomains": "foo bar", "xend": "NO", "sshd": "YES"}
    assert world.checkyesno("yes") and world.checkyesno("On") and not world.checkyesno("foo bar")


def test_daemon_rules_follow_the_howto():
    assert checks.daemon_rules({"xen": "4.6", "toolstack": "xl"}) == (["xencommons"], {
        "xend": "xend is for xm only and Xen 4.5 and later have none"})
    assert checks.daemon_rules({"xen": "3.3", "toolstack": "xm"})[0] == ["xend", "xenbackendd"]
    assert checks.daemon_rules({"xen": "4.2", "toolstack": "xm"})[0] == ["xencommons", "xend"]


def test_pkgsrc_names():
    assert pkgsrc._parse_name("xenkernel46") == ("xenkernel", "46")
    assert pkgsrc._parse_name("/pkgs/All/xentools42-4.2.5nb3.tgz") == ("xentools", "42")
    for bad in ("xenkernel47", "xen46", "xenkernel46-beta"):
        with pytest.raises(StandinError, match="no pkg found"):
            pkgsrc._parse_name(bad)
    assert pkgsrc.PACKAGES["46"][2] == "xen46-kernel"  # pkgsrc PLIST: xen46-kernel/xen.gz
    assert "xend" not in pkgsrc.PACKAGES["46"][5] and "xend" in pkgsrc.PACKAGES["42"][5]
