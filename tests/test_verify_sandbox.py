"""The sandbox: nothing a guide does reaches the host, and no sandbox means no run."""
from __future__ import annotations

import hashlib
import os
import socket
import uuid

import pytest

from guide_helpers import guide_json

from xenhowto.findings import HowtoError
from xenhowto.verify import Sandbox, verify

SETUP = {"domu_type": "pvh"}
AS_OF = "2026-12-01"


def _sha(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_a_hostile_guide_writes_nothing_outside_the_root(tmp_path):
    tag = uuid.uuid4().hex[:12]
    host_tmp = tmp_path / "host"
    host_tmp.mkdir()
    outside = [f"/tmp/outside-{tag}", f"/tmp/outside-rel-{tag}", f"/escape-{tag}", f"/escape2-{tag}",
               f"/tmp/escape-{tag}", f"/usr/bin/escape-{tag}", f"/root/escape-{tag}", f"/x-{tag}",
               str(host_tmp / f"x-{tag}"), str(host_tmp / f"y-{tag}")]
    before = {p: _sha(p) for p in ("/etc/passwd", "/etc/hostname") if os.path.exists(p)}
    hostname = socket.gethostname()
    setup = guide_json(SETUP, AS_OF)["setup"]
    file = lambda path, content="owned\n", **kw: dict(kind="file", path=path, content=content, **kw)  # noqa: E731
    shell = lambda content: dict(kind="shell", host="dom0", content=content)  # noqa: E731
    guide = {"setup": setup, "steps": [
        {"title": "Write the passwd file", "snippets": [file("/etc/passwd", "evil::0:0::/:/bin/sh\n")]},
        {"title": "Climb out with dots", "snippets": [
            file(f"../../escape-{tag}"), file(f"/tmp/../../escape-{tag}"), file(f"x-{tag}"),
            file(f"/etc/../../../x-{tag}", action="append")]},
        {"title": "Plant symlinks", "snippets": [shell(
            f"ln -s /tmp/outside-{tag} /etc/evil\n"
            f"ln -s ../../../../../../../../../../tmp/outside-rel-{tag} /etc/evil-rel\n"
            f"ln -s {host_tmp} /etc/evil-dir\n"
            f"ln -s / /etc/evil-root\n")]},
        {"title": "Write through the symlinks", "snippets": [
            file("/etc/evil"), file("/etc/evil-rel"), file(f"/etc/evil-dir/x-{tag}", action="append"),
            file(f"/etc/evil-root/escape2-{tag}")]},
        {"title": "Escape from the shell", "snippets": [shell(
            f"echo x > /tmp/../../escape-{tag}\n"
            f"cp /etc/passwd /proc/1/root/escape2-{tag} || true\n"
            "cp /etc/myname /proc/sys/kernel/hostname || true\n"
            f"echo x > /usr/bin/escape-{tag} || true\n"
            f"echo x > /root/escape-{tag}\n"
            f"mkdir -p {host_tmp} && echo x > {host_tmp}/y-{tag}\n"
            f"echo x > /tmp/escape-{tag}\n"
            "echo root::0:0::/:/bin/sh >> /etc/passwd\n")]},
    ]}
    with Sandbox() as sb:
        r = verify(guide, sb, keep_root=True)
        root = r.root
        # Inside the root, where the sandbox's own / is, the writes did land.
        assert open(os.path.join(root, "etc/passwd")).read().startswith("evil::0:0")
        assert os.path.isfile(os.path.join(root, f"tmp/outside-{tag}"))  # /etc/evil -> /tmp/outside-*
        assert os.path.isfile(os.path.join(root, f"escape-{tag}"))
        assert os.path.isfile(os.path.join(root, f"escape2-{tag}"))
        assert os.path.isfile(os.path.join(root, f"root/escape-{tag}"))
        sb.discard(root)
    for p in outside:
        assert not os.path.lexists(p), f"{p} was written on the host"
    assert {p: _sha(p) for p in before} == before
    assert socket.gethostname() == hostname
    by_step = {}
    for f in r.failures:
        by_step.setdefault(f.title, []).append(f.message)
    dots = by_step["Climb out with dots"]
    assert sum("'..'" in m for m in dots) == 2 and any("not an absolute path" in m for m in dots)
    assert any("climbs out of the root" in m for m in by_step["Write through the symlinks"])
    assert any("does not exist at this step" in m for m in by_step["Write through the symlinks"])


def test_what_is_typed_in_the_domu_stays_in_the_domu(tmp_path):
    """The domU's files live in the dom0's root; a domU step cannot reach the dom0's own
    files through them, nor the host."""
    tag = uuid.uuid4().hex[:12]
    guide = guide_json(SETUP, AS_OF)
    file = lambda path, **kw: dict(kind="file", host="domU", path=path, content="owned\n", **kw)  # noqa: E731
    shell = lambda content: dict(kind="shell", host="domU", content=content)  # noqa: E731
    guide["steps"] += [
        {"title": "Plant symlinks in the domU", "text": "", "snippets": [shell(
            f"ln -s / /etc/evil-root\nln -s /tmp/outside-{tag} /etc/evil\n"
            f"ln -s ../../../../../../../../../../../../escape-{tag} /etc/evil-rel\n")]},
        {"title": "Write through them", "text": "", "snippets": [
            file(f"/etc/evil-root/escape3-{tag}"), file("/etc/evil"), file("/etc/evil-rel"),
            file("/etc/passwd"), file(f"/../escape4-{tag}")]},
        {"title": "Escape from the domU's shell", "text": "", "snippets": [shell(
            f"echo x > /tmp/../../escape5-{tag}\necho x > /etc/evil-root/escape6-{tag}\n")]},
    ]
    with Sandbox() as sb:
        r = verify(guide, sb, keep_root=True)
        root = r.root
        try:
            trees = os.path.join(root, "var/db/standins-domu")
            (tree,) = [os.path.join(trees, t) for t in os.listdir(trees)]
            assert os.path.isfile(os.path.join(tree, f"escape3-{tag}"))  # / of the domU is its tree
            assert os.path.isfile(os.path.join(tree, f"escape6-{tag}"))
            assert open(os.path.join(tree, "etc/passwd")).read() == "owned\n"
            assert not open(os.path.join(root, "etc/passwd")).read().startswith("owned")  # the dom0's is untouched
            for name in (f"escape3-{tag}", f"escape4-{tag}", f"escape5-{tag}", f"escape6-{tag}"):
                assert not os.path.lexists(os.path.join(root, name))
        finally:
            sb.discard(root)
    for name in (f"/escape-{tag}", f"/escape3-{tag}", f"/escape4-{tag}", f"/escape5-{tag}",
                 f"/escape6-{tag}", f"/tmp/outside-{tag}"):
        assert not os.path.lexists(name), f"{name} was written on the host"
    messages = [f.message for f in r.failures if f.title == "Write through them"]
    assert any("'..'" in m for m in messages) and any("climbs out of the root" in m for m in messages)


def test_missing_bwrap_is_a_clear_error(tmp_path):
    with pytest.raises(HowtoError, match="bubblewrap .* is not installed"):
        Sandbox(bwrap=str(tmp_path / "bwrap"))


def test_bwrap_without_namespaces_is_a_clear_error(tmp_path):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    before = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
    with pytest.raises(HowtoError, match="cannot create its namespaces.*No permissions"):
        Sandbox(bwrap=str(fake))
    after = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
    assert not {n for n in after - before if n.startswith("xenhowto-verify-")}  # cleaned up


def test_the_sandbox_looks_like_a_fresh_netbsd_dom0():
    with Sandbox() as sb:
        root = sb.new_root({"dom0_arch": "i386", "kernels": "build"})
        r = sb.run(root, "uname -sm\nls /usr/obj/releasedir/i386/binary/kernel\nls /dev | grep -c '^xen' || true\n"
                         "ls /usr/pkg 2>&1 || true\ncat /etc/rc.conf | grep rc_configured\necho $PATH\n")
        assert r.returncode == 0, r.stderr
        out = r.stdout.splitlines()
        assert out[0] == "NetBSD i386"
        assert {"netbsd-GENERIC.gz", "netbsd-XEN3PAE_DOM0.gz", "netbsd-XEN3PAE_DOMU.gz",
                "netbsd-INSTALL_XEN3PAE_DOMU.gz"} <= set(out[1:8])
        assert "0" in out  # no xencons, no xenevt before MAKEDEV
        assert any("No such file" in line for line in out)  # no /usr/pkg before pkg_add
        assert "rc_configured=YES" in out
        assert out[-1].startswith("/.standins/bin:")
        with open(os.path.join(root, "/usr/obj/releasedir/i386/binary/kernel/netbsd-XEN3PAE_DOM0.gz".lstrip("/"))) as f:
            assert "XEN3PAE_DOM0" in f.read()
