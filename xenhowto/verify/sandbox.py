"""A stand-in NetBSD dom0: a temporary root tree, and bubblewrap to run shell in it.

The tree looks like NetBSD/amd64 (or i386) freshly installed from the
setup's release, before Xen: the boot blocks and /boot.cfg with the stock
menu, a GENERIC /netbsd, rc.conf, device nodes as plain files (no
xencons/xenevt, so ``MAKEDEV xen`` matters), and nothing else: the kernels a
guide uses come from the release on NetBSD's mirrors (the ``ftp`` stand-in),
except for a reader who said they bring their own build (``kernels: build``),
whose build's release directory is there.  NetBSD commands are
stand-ins (``standins/``) installed where NetBSD has them (/bin/dd,
/sbin/ifconfig, /usr/sbin/pkg_add, /dev/MAKEDEV) and first in PATH.

Shell runs under bwrap with that tree as / and nothing else writable: the
host's /usr/bin, /usr/lib and /usr/lib64 (for /bin/sh and common tools, with
Debian's merged-/usr symlinks /lib and /lib64 in the tree), the Python
prefix and the stand-ins are bound read-only; /proc and /tmp are fresh; no
network (--unshare-all); cwd /, a cleared environment.  Without a working
bwrap the verifier stops with a HowtoError; it never runs a guide's commands
on the host.

A ``Sandbox`` is shared by many verifications: each architecture's tree is
built once, and each setup gets a copy (the files are small markers, so a
copy costs a few milliseconds; hard links would let one guide's edits leak
into the next).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading

from xenhowto.findings import HowtoError
from xenhowto.verify import rootpath
from xenhowto.verify.standins import devices, main as standin_main, world

STANDINS_DIR = "/.standins"
RUN_PY = f"{STANDINS_DIR}/py/standins/run.py"
PATH = (f"{STANDINS_DIR}/bin:/sbin:/usr/sbin:/bin:/usr/bin:/usr/pkg/sbin:/usr/pkg/bin:"
        "/usr/local/sbin:/usr/local/bin")
# Where NetBSD keeps the commands the stand-ins replace.
LOCATIONS = {
    "dd": "/bin", "ifconfig": "/sbin", "brconfig": "/sbin", "fdisk": "/sbin", "reboot": "/sbin",
    "shutdown": "/sbin", "vnconfig": "/usr/sbin", "installboot": "/usr/sbin", "cpuctl": "/usr/sbin",
    "pkg_add": "/usr/sbin", "pkg_delete": "/usr/sbin", "pkg_info": "/usr/sbin", "uname": "/usr/bin",
    "ftp": "/usr/bin", "lvm": "/sbin", "disklabel": "/sbin", "sysctl": "/sbin", "npfctl": "/sbin",
}
# NetBSD's /bin programs that Debian also has, linked to the host's copy.
BIN_FROM_HOST = ("cat", "chmod", "cp", "date", "df", "echo", "ed", "expr", "hostname", "kill", "ln",
                 "ls", "mkdir", "mv", "ps", "pwd", "rm", "rmdir", "sleep", "stty", "sync", "tar", "test",
                 "[")
DEVICES_FROM_HOST = ("null", "zero", "random", "urandom")

BOOT_CFG = """\
banner=Welcome to NetBSD
banner================================================================================
banner=
banner=ACPI (Advanced Configuration and Power Interface) should work on all modern
banner=and legacy hardware.  However if you do encounter a problem while booting,
banner=try disabling it and report a bug at http://www.NetBSD.org/.
menu=Boot normally:rndseed /var/db/entropy-file;boot netbsd
menu=Boot single user:rndseed /var/db/entropy-file;boot netbsd -s
menu=Disable ACPI:rndseed /var/db/entropy-file;boot netbsd -2
menu=Disable ACPI and SMP:rndseed /var/db/entropy-file;boot netbsd -12
menu=Drop to boot prompt:prompt
default=1
timeout=5
clear=1
"""
RC_CONF = """\
#	$NetBSD: rc.conf,v 1.97 2014/07/14 12:29:48 mbalmer Exp $
#
# see rc.conf(5) for more information.
#
# Use program=YES to enable program, NO to disable it. program_flags are
# passed to the program on the command line.
#

# Load the defaults in from /etc/defaults/rc.conf (if it's readable).
# These can be overridden below.
#
if [ -r /etc/defaults/rc.conf ]; then
	. /etc/defaults/rc.conf
fi

# If this is not set to YES, the system will drop into single-user mode.
#
rc_configured=YES

# Add local overrides below.
#
hostname=dom0
sshd=YES
"""
DEFAULTS_RC_CONF = """\
#	$NetBSD: rc.conf (stand-in: the defaults a guide may rely on) $
rc_configured=NO
hostname=""
sshd=NO
"""
FSTAB = """\
/dev/wd0a	/	ffs	rw	1 1
/dev/wd0b	none	swap	sw,dp	0 0
kernfs		/kern	kernfs	rw
ptyfs		/dev/pts	ptyfs	rw
procfs		/proc	procfs	rw
tmpfs		/tmp	tmpfs	rw,-m=1777,-s=ram%25
"""
NETSTART = """\
#!/bin/sh
# /etc/netstart (stand-in of the xenhowto verifier): configure the named
# interfaces, or every interface with an /etc/ifconfig.IF file, as NetBSD's
# rc.d/network does: create a cloned interface first, then each line of
# /etc/ifconfig.IF is arguments to ifconfig, except "create" (done) and
# lines starting with "!", which are run by sh with $int set.
cd /etc || exit 1
if [ $# -eq 0 ]; then
	for f in ifconfig.*; do
		[ -f "$f" ] && set -- "$@" "${f#ifconfig.}"
	done
fi
status=0
for int; do
	XENHOWTO_STANDIN_VIA=netstart-probe ifconfig "$int" >/dev/null 2>&1 ||
	    ifconfig "$int" create || status=1
	[ -f "/etc/ifconfig.$int" ] || continue
	while read -r args; do
		case "$args" in
		''|'#'*|create) ;;
		'!'*) eval "${args#!}" || status=1 ;;
		*) ifconfig "$int" $args || status=1 ;;
		esac
	done < "/etc/ifconfig.$int"
done
exit $status
"""


def ttys(constty: bool) -> str:
    """NetBSD/x86's /etc/ttys: getty on console (NetBSD 5 to 8) or on constty (9 and later),
    none on the wscons screens ttyE0-3 (data/netbsd_branches.yaml, constty_getty)."""
    lines = ["#", "# name\tgetty\t\t\t\ttype\tstatus\t\tcomments", "#",
             f"console\t\"/usr/libexec/getty Pc\"\t\tvt100\t{'off' if constty else 'on'} secure",
             f"constty\t\"/usr/libexec/getty Pc\"\t\tvt100\t{'on' if constty else 'off'} secure"]
    lines += [f"ttyE{i}\t\"/usr/libexec/getty Pc\"\t\twsvt25\toff secure" for i in range(4)]
    lines += [f"tty0{i}\t\"/usr/libexec/getty std.9600\"\tunknown off secure" for i in range(4)]
    return "\n".join(lines) + "\n"


WSCONS_CONF = """\
#
# workstation console configuration

# screens to create
#\tidx\tscreen\temul
screen\t0\t-\tvt100
screen\t1\t-\tvt100
screen\t2\t-\tvt100
screen\t3\t-\tvt100
"""
# /etc/rc.conf as sysinst leaves it on an x86 install where the reader set
# nothing else: configured, and wscons for the screens of a physical console.
SYSINST_RC_CONF = """\
#\t$NetBSD: rc.conf (as sysinst leaves it) $
if [ -r /etc/defaults/rc.conf ]; then
\t. /etc/defaults/rc.conf
fi
rc_configured=YES
wscons=YES
"""


def release_of(setup: dict) -> str:
    """The NetBSD release the setup's dom0 installs (the newest of its branch
    at the guide's date), or "current"."""
    import datetime as dt

    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View

    branch = str(setup.get("netbsd", "current"))
    when = setup.get("as_of")
    if branch == "current" or not when:
        return "current"
    view = View(load_facts(), dt.date.fromisoformat(str(when)))
    br = view.branch(branch)
    return view.netbsd_release(br) if br is not None else "current"


def machine_of(setup: dict) -> dict:
    """The stand-in hardware for a setup: its architecture, disks, interfaces
    and memory, and the NetBSD release installed on it."""
    arch = setup.get("dom0_arch", "amd64")
    if arch not in ("amd64", "i386"):
        raise HowtoError(f"dom0_arch {arch!r}: the sandbox knows amd64 and i386")
    disks = ["wd0", "wd1"] if setup.get("raid1") else ["wd0"]
    # The free partition the reader named (for a raw-partition or LVM disk) is
    # there whatever the domU's disk is: the machine does not depend on that choice,
    # so guides that differ only later share their first steps (runner).
    partition = str(setup.get("partition") or "")
    if partition[:-1] and partition[:-1] not in disks:
        disks.append(partition[:-1])
    return {"arch": arch, "disks": disks, "memory_mb": 8192, "cpus": 4, "hvm": True,
            "bootloader": setup.get("bootloader", "boot.cfg"), "netbsd": str(setup.get("netbsd", "7")),
            "release": release_of(setup), "kernels": setup.get("kernels", "release"),
            "nic": str(setup.get("nic") or "wm0"), "hostname": "dom0",
            "partition": partition,
            "constty": setup.get("ttys_constty") == "yes"}


def _remove_leftovers(workdir: str) -> None:
    """The trees of sandboxes whose process was killed (named xenhowto-verify-PID-*)."""
    try:
        names = os.listdir(workdir)
    except OSError:
        return
    for name in names:
        parts = name.split("-")
        if len(parts) < 4 or parts[:2] != ["xenhowto", "verify"] or not parts[2].isdigit():
            continue
        try:
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(workdir, name), ignore_errors=True)
        except (PermissionError, OverflowError):
            pass


def copy_tree(src: str, dst: str) -> None:
    """A copy of a root (links as links, modes and times kept: the verifier tells files
    apart by size and mtime); cp(1) copies a few hundred small files three times faster
    than shutil, outside the GIL."""
    r = subprocess.run(["cp", "-a", "--", src, dst], capture_output=True, text=True)
    if r.returncode:
        raise HowtoError(f"cannot copy the sandbox's tree {src}: {r.stderr.strip()}")


def _write(path: str, content: str, mode: int = 0o644) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
    os.chmod(path, mode)


class Sandbox:
    """Shared work for verifying guides: the bwrap check, stand-ins, one base tree per architecture."""

    def __init__(self, bwrap: str = "bwrap", workdir: str | None = None, timeout: float = 60.0):
        self.bwrap = shutil.which(bwrap) if os.sep not in bwrap else (bwrap if os.access(bwrap, os.X_OK) else None)
        if not self.bwrap:
            raise HowtoError(f"cannot verify guides: bubblewrap ({bwrap}) is not installed; on Debian: "
                             "apt-get install bubblewrap (scripts/setup does). The verifier never runs a "
                             "guide's commands outside a sandbox.")
        self.timeout = timeout
        self.python = os.path.realpath(sys.executable)
        self.prefix = os.path.realpath(sys.base_prefix)
        self.standins_src = os.path.dirname(os.path.abspath(world.__file__))
        if workdir is None and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
            workdir = "/dev/shm"  # tmpfs: copying a tree is ten times faster than on disk
        _remove_leftovers(workdir or tempfile.gettempdir())
        self.dir = tempfile.mkdtemp(prefix=f"xenhowto-verify-{os.getpid()}-", dir=workdir)
        self._bases: dict[str, str] = {}
        self._lock = threading.Lock()
        self._count = 0
        self.runner = [self.python, "-I", "-S", RUN_PY]
        world.RUNNER = self.runner
        self.bin = os.path.join(self.dir, "standin-bin")
        for name in standin_main.NAMES:
            if name not in ("xl", "xm"):  # those come with xentools
                _write(os.path.join(self.bin, name), world.wrapper(name), 0o755)
        self._precompile()
        try:
            self._probe()
        except HowtoError:
            self.close()
            raise

    # --- lifetime -----------------------------------------------------------------
    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _precompile(self) -> None:
        """Byte-compile the stand-ins now: inside the sandbox their directory is read-only."""
        import compileall
        compileall.compile_dir(self.standins_src, quiet=1, workers=1)

    def _probe(self) -> None:
        probe_root = os.path.join(self.dir, "probe")
        for d in ("usr/bin", "usr/lib", "usr/lib64", "proc", "tmp", "dev", "etc"):
            os.makedirs(os.path.join(probe_root, d), exist_ok=True)
        os.symlink("usr/lib", os.path.join(probe_root, "lib"))
        os.symlink("usr/lib64", os.path.join(probe_root, "lib64"))
        try:
            r = subprocess.run(self._argv(probe_root) + ["/usr/bin/dash", "-c", "exit 0"],
                               capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise HowtoError(f"cannot verify guides: bubblewrap does not start ({e})") from None
        finally:
            shutil.rmtree(probe_root, ignore_errors=True)
        if r.returncode != 0:
            raise HowtoError("cannot verify guides: bubblewrap cannot create its namespaces here: "
                             + (r.stderr.strip() or f"exit status {r.returncode}")
                             + ". The verifier never runs a guide's commands outside a sandbox.")

    # --- the tree -------------------------------------------------------------------
    def _base(self, arch: str, build: bool = False) -> str:
        key = f"{arch}-build" if build else arch
        with self._lock:
            if key not in self._bases:
                self._bases[key] = self._build_base(arch, build)
            return self._bases[key]

    def _build_base(self, arch: str, build: bool = False) -> str:
        base = os.path.join(self.dir, f"base-{arch}{'-build' if build else ''}")
        j = lambda p: os.path.join(base, p.lstrip("/"))  # noqa: E731
        for d in ("bin", "sbin", "usr/bin", "usr/lib", "usr/lib64", "usr/sbin", "usr/libexec", "usr/share",
                  "usr/mdec", "etc/rc.d", "etc/defaults", "dev", "proc", "tmp", "kern", "var/db", "var/log",
                  "var/run", "var/tmp", "root", "home", "mnt", STANDINS_DIR + "/bin",
                  STANDINS_DIR + "/py/standins", self.prefix):
            os.makedirs(j(d), exist_ok=True)
        os.symlink("usr/lib", j("lib"))
        os.symlink("usr/lib64", j("lib64"))
        # Kernels and boot blocks.
        _write(j("/netbsd"), world.marker(f"NetBSD/{arch} GENERIC kernel", kind="netbsd-kernel", arch=arch,
                                          config="GENERIC", role="generic", pae="no"))
        # A reader's own build (kernels: build), both architectures: a reader
        # with i386 domUs on an amd64 dom0 takes their kernels from the i386 release.
        for rel_arch in ("i386", "amd64") if build else ():
            for name, fields in world.release_kernels(rel_arch).items():
                _write(j(f"/usr/obj/releasedir/{rel_arch}/binary/kernel/{name}"),
                       world.marker(fields.pop("what"), **fields))
        boot = world.marker(f"NetBSD/x86 secondary bootstrap (/boot) for {arch}", kind="boot", arch=arch)
        _write(j("/boot"), boot)
        _write(j("/usr/mdec/boot"), boot)
        for bb in ("bootxx_ffsv1", "bootxx_ffsv2", "bootxx_lfsv2", "bootxx_msdos"):
            _write(j(f"/usr/mdec/{bb}"), world.marker(f"NetBSD/x86 primary bootstrap {bb}", kind="bootblock"))
        for mbr in ("mbr", "mbr_bootsel", "mbr_ext", "gpt.bin"):
            _write(j(f"/usr/mdec/{mbr}"), world.marker(f"NetBSD/x86 master boot code {mbr}", kind="mbr"))
        _write(j("/boot.cfg"), BOOT_CFG)
        # /etc.
        _write(j("/etc/rc.conf"), RC_CONF)
        _write(j("/etc/sysctl.conf"), "#\t$NetBSD: sysctl.conf (stand-in) $\n")
        _write(j("/etc/rc.d/npf"), world.wrapper("rc.d/npf"), 0o755)
        _write(j("/etc/rc.d/lvm"), world.wrapper("rc.d/lvm"), 0o755)
        _write(j("/etc/defaults/rc.conf"), DEFAULTS_RC_CONF)
        _write(j("/etc/fstab"), FSTAB)
        _write(j("/etc/wscons.conf"), WSCONS_CONF)
        _write(j("/etc/netstart"), NETSTART, 0o755)
        _write(j("/etc/myname"), "dom0\n")
        _write(j("/etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n")
        _write(j("/etc/passwd"), "root:*:0:0:Charlie &:/root:/bin/sh\n")
        _write(j("/etc/group"), "wheel:*:0:root\n")
        # /dev: disks, vnd0..3 and MAKEDEV; no xencons/xenevt.
        for kind, units in (("wd", 4), ("ld", 2), ("sd", 2), ("vnd", 4), ("raid", 1)):
            for unit in range(units):
                for name in devices.disk_nodes(kind, unit):
                    _write(j(f"/dev/{name}"), devices.node(f"/dev/{name}"))
        for name in ("console", "tty", "mem", "kmem"):
            _write(j(f"/dev/{name}"), devices.node(f"/dev/{name}"))
        for name in DEVICES_FROM_HOST:
            _write(j(f"/dev/{name}"), "")  # bind-mount points
        _write(j("/dev/MAKEDEV"), world.wrapper("MAKEDEV"), 0o755)
        # Commands: NetBSD's /bin from the host where Debian has them, stand-ins where NetBSD's differ.
        os.symlink("/usr/bin/dash", j("/bin/sh"))
        for name in BIN_FROM_HOST:
            if os.path.exists(f"/usr/bin/{name}"):
                os.symlink(f"/usr/bin/{name}", j(f"/bin/{name}"))
        for name, where in LOCATIONS.items():
            if where != "/usr/bin":  # /usr/bin is the host's, bound read-only
                _write(j(f"{where}/{name}"), world.wrapper(name), 0o755)
        _write(j(world.LEDGER), "")
        return base

    def new_root(self, setup: dict) -> str:
        """A fresh copy of the tree for ``setup``, with the machine's state written."""
        machine = machine_of(setup)
        base = self._base(machine["arch"], machine["kernels"] == "build")
        with self._lock:
            self._count += 1
            root = os.path.join(self.dir, f"root-{self._count}")
        copy_tree(base, root)
        _write(os.path.join(root, "etc/ttys"), ttys(machine["constty"]))
        world.save_state(root, world.new_state(machine))
        return root

    def domu_tree(self, root: str, tree: str, system: dict, constty: bool, name: str) -> str:
        """The files of the system sysinst installed on a domU's disk, kept in the dom0's root at
        ``tree`` (made on first use); returns its host path.  A fresh install of the domU's
        architecture, as sysinst leaves it: no hostname, no network, wscons on."""
        host = rootpath.resolve(root, tree)
        if not os.path.isdir(host):
            arch = system.get("arch") if system.get("arch") in ("amd64", "i386") else "amd64"
            os.makedirs(os.path.dirname(host), exist_ok=True)
            copy_tree(self._base(arch), host)
            shutil.rmtree(os.path.join(host, "usr/obj"), ignore_errors=True)
            _write(os.path.join(host, "etc/ttys"), ttys(constty))
            _write(os.path.join(host, "etc/rc.conf"), SYSINST_RC_CONF)
            _write(os.path.join(host, "etc/myname"), "\n")
            machine = {"arch": arch, "disks": ["xbd0"], "memory_mb": 256, "cpus": 1, "hvm": False,
                       "bootloader": "boot.cfg", "netbsd": "", "release": system.get("release", ""),
                       "kernels": "release", "nic": "xennet0", "hostname": name, "partition": "",
                       "constty": constty}
            world.save_state(host, world.new_state(machine))
        return host

    def fork_root(self, root: str) -> str:
        """A copy of ``root`` as it is now (a guide's state after some steps)."""
        with self._lock:
            self._count += 1
            copy = os.path.join(self.dir, f"root-{self._count}")
        copy_tree(root, copy)
        return copy

    def discard(self, root: str) -> None:
        shutil.rmtree(root, ignore_errors=True)

    # --- running --------------------------------------------------------------------
    def _argv(self, root: str) -> list[str]:
        argv = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--bind", root, "/"]
        for d in ("/usr/bin", "/usr/lib", "/usr/lib64"):
            if os.path.isdir(d):
                argv += ["--ro-bind", d, d]
        if not self.prefix.startswith("/usr/"):
            argv += ["--ro-bind", self.prefix, self.prefix]
        if os.path.isdir(os.path.join(root, STANDINS_DIR.lstrip("/"))):
            argv += ["--ro-bind", self.standins_src, f"{STANDINS_DIR}/py/standins",
                     "--ro-bind", self.bin, f"{STANDINS_DIR}/bin"]
            for name in DEVICES_FROM_HOST:
                argv += ["--dev-bind", f"/dev/{name}", f"/dev/{name}"]
        # A fresh /proc, with the kernel's knobs read-only: uid 0 in the sandbox maps to the host's
        # root, and many sysctls check only file permissions.
        argv += ["--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
                 "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
                 "--tmpfs", "/tmp", "--chdir", "/", "--clearenv",
                 "--setenv", "PATH", PATH, "--setenv", "HOME", "/root", "--setenv", "USER", "root",
                 "--setenv", "LOGNAME", "root", "--setenv", "SHELL", "/bin/sh", "--setenv", "TERM", "dumb",
                 "--setenv", "LC_ALL", "C"]
        return argv

    def session(self, root: str) -> "Session":
        """One bwrap for many snippets in ``root`` (standins/server.py): the way a guide runs."""
        return Session(self, root)

    def run(self, root: str, script: str) -> subprocess.CompletedProcess:
        """Run ``script`` with /bin/sh -e -x as root of the stand-in dom0 in ``root``."""
        argv = self._argv(root) + ["/bin/sh", "-e", "-x", "-c", script]
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout,
                                  stdin=subprocess.DEVNULL, errors="replace")
        except subprocess.TimeoutExpired as e:
            out, err = (x.decode("utf-8", "replace") if isinstance(x, bytes) else (x or "")
                        for x in (e.stdout, e.stderr))
            return subprocess.CompletedProcess(argv, 124, out, err +
                                               f"\n(stopped after {self.timeout:g} s: the step hangs)")


class Session:
    """A guide's sandbox: bwrap started once with the stand-ins' driver inside
    (standins/server.py), which runs each snippet with ``sh -e -x`` and answers
    the stand-in commands in process.  Same isolation as ``Sandbox.run``; the
    saving is the start-ups."""

    def __init__(self, sandbox: Sandbox, root: str):
        self.sandbox, self.root = sandbox, root
        argv = sandbox._argv(root) + [sandbox.python, "-I", "-S", RUN_PY, "--serve"]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, errors="replace")

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()

    def run(self, script: str) -> subprocess.CompletedProcess:
        """Run ``script`` with /bin/sh -e -x as root of the stand-in dom0, as Sandbox.run does."""
        import json
        import select

        argv = ["/bin/sh", "-e", "-x", "-c", script]
        try:
            self.proc.stdin.write(json.dumps({"script": script, "timeout": self.sandbox.timeout}) + "\n")
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], self.sandbox.timeout + 30)
            line = self.proc.stdout.readline() if ready else ""
        except (OSError, ValueError):
            line = ""
        if not line:
            self.proc.kill()
            return subprocess.CompletedProcess(argv, 125, "", "the sandbox's driver stopped answering")
        answer = json.loads(line)
        return subprocess.CompletedProcess(argv, answer["rc"], answer["stdout"], answer["stderr"])
