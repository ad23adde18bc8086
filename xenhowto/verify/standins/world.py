"""What the stand-in machine knows: its hardware, what runs, and the ledger.

Every stand-in is a short-lived process, so what a real kernel would keep in
memory (the booted kernel, running daemons, interfaces, attached vnd(4)
disks, running domains) lives in one JSON state file inside the root, and
every call leaves one line in the ledger the verifier reads.  Paths are
always given relative to a ``root`` argument: inside the sandbox that is
``/``, in the verifier it is the temporary root on the host, so the same
functions serve both.
"""
from __future__ import annotations

import marshal
import os

LEDGER = "/var/db/standins.jsonl"
STATE = "/var/db/standins.state"  # marshal
MARKER = "XENHOWTO-STANDIN"  # first line of every marker file (a kernel, a boot block)

# The interfaces and disks a freshly installed machine has before any step (the
# machine's own interface is the setup's nic, wm0 unless it says otherwise).
BASE_INTERFACES = ("lo0", "wm0")


class StandinError(Exception):
    """The command fails: printed as ``cmd: message`` on stderr, exit ``rc``."""

    def __init__(self, message: str, rc: int = 1):
        super().__init__(message)
        self.rc = rc


class UsageError(StandinError):
    """Arguments that do not fit the command's synopsis (exit 1, like NetBSD's usage())."""


def at(root: str, path: str) -> str:
    """``path`` (absolute, as the machine sees it) inside ``root``."""
    if root in ("", "/"):
        return path
    return os.path.join(root, path.lstrip("/"))


def absolute(path: str, cwd: str = "/") -> str:
    """A path as the machine sees it, made absolute against ``cwd``."""
    return os.path.normpath(os.path.join(cwd, path))


# The command line that runs a stand-in inside the sandbox, set by run.py
# there and by the verifier when it writes wrappers into the root.
RUNNER: list[str] = []
SERVER = False  # True in the sandbox's driver (server.py), which answers stand-in calls
SPOOL = "/tmp/.standins"


def wrapper(name: str) -> str:
    """An sh script that runs stand-in ``name``: works both exec'd and as ``sh FILE``.

    In a verification the sandbox's driver (server.py) answers: the script
    leaves its arguments and cwd in files named by its pid, names it on the
    driver's FIFO and waits for the output and exit status, which costs one
    small process (mkfifo) instead of a Python start-up.  Without the driver (a
    one-off run) it runs the stand-in itself.
    """
    if not RUNNER:
        raise RuntimeError("world.RUNNER is not set")
    import shlex  # only pkg_add writes wrappers inside the sandbox
    cmd = " ".join(shlex.quote(x) for x in RUNNER + [name])
    # Only builtins but mkfifo (and cat when there is output): each process
    # started in the sandbox costs a few milliseconds.
    return (f"#!/bin/sh\n# {name}: a stand-in of the xenhowto verifier\n"
            f"if [ -p {SPOOL}/requests ]; then\n"
            f"\tr={SPOOL}/$$\n"
            "\tif [ $# -gt 0 ]; then printf '%s\\0' \"$@\"; fi > \"$r.argv\"\n"
            "\tpwd > \"$r.cwd\"\n"
            "\tmkfifo \"$r.reply\" || exit 127\n"
            f"\techo \"$$ {name} ${{XENHOWTO_STANDIN_VIA:-}}\" > {SPOOL}/requests\n"
            "\tread -r rc < \"$r.reply\"\n"
            "\t[ ! -s \"$r.out\" ] || cat \"$r.out\"\n"
            "\t[ ! -s \"$r.err\" ] || cat \"$r.err\" >&2\n"
            "\texit \"$rc\"\n"
            "fi\n"
            f"exec {cmd} \"$@\"\n")


# --- state -------------------------------------------------------------------

def new_state(machine: dict) -> dict:
    """The state of a machine that was just installed and booted GENERIC."""
    state = {"machine": machine, "boots": 0}
    reset_runtime(state)
    state["booted"] = {"kernel": "/netbsd", "config": "GENERIC", "xen": None}
    return state


def reset_runtime(state: dict) -> None:
    """Forget what a reboot forgets: daemons, interfaces, vnds, domains."""
    state["booted"] = None
    nic = state.get("machine", {}).get("nic") or BASE_INTERFACES[1]
    state["interfaces"] = {name: {"up": True, "members": []} for name in ("lo0", nic)}
    state["sysctl"] = {}  # set since boot (the rest are the kernel's defaults)
    state["npf"] = {"enabled": False, "config": None}
    # On disk, so kept across boots: what each domU disk holds ({target: {...}}, see
    # xentools), LVM's physical volumes and groups; volumes are active until the boot.
    state.setdefault("disks", {})
    state.setdefault("lvm", {"pvs": {}, "vgs": {}, "active": []})
    state["lvm"]["active"] = []
    state["daemons"] = []
    state["vnd"] = {}
    state["domains"] = {}
    state["next_domid"] = 1


def load_state(root: str) -> dict:
    # marshal, not json: importing json (and re with it) would double a stand-in's start-up time
    with open(at(root, STATE), "rb") as f:
        return marshal.load(f)


def save_state(root: str, state: dict) -> None:
    path = at(root, STATE)
    tmp = path + ".new"
    with open(tmp, "wb") as f:
        marshal.dump(state, f)
    os.replace(tmp, path)


def to_json(value) -> str:
    """JSON text of plain data, without importing json (see load_state)."""
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # pragma: no cover - CPython always has _json
        from json.encoder import py_encode_basestring_ascii as quote
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote(str(k))}: {to_json(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return quote(str(value))


def append_ledger(root: str, event: dict) -> None:
    line = to_json(event) + "\n"
    fd = os.open(at(root, LEDGER), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def read_ledger(root: str, offset: int = 0) -> tuple[list[dict], int]:
    """Events written since byte ``offset``, and the offset to read from next."""
    try:
        with open(at(root, LEDGER), "rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return [], offset
    import json
    events = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            events.append({"cmd": "?", "error": f"unreadable ledger line {line[:80]!r}"})
    return events, offset + len(data)


# --- rc.conf -----------------------------------------------------------------

def _assignment(line: str) -> tuple[str, str] | None:
    """``name=value`` at the start of an sh line (quotes removed), else None."""
    line = line.lstrip()
    if line.startswith("export "):
        line = line[len("export "):].lstrip()
    name, eq, rest = line.partition("=")
    if not eq or not name or not (name[0].isalpha() or name[0] == "_") \
            or not all(c.isalnum() or c == "_" for c in name) or not name.isascii():
        return None
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        return (name, rest[1:end]) if end > 0 else None
    value = ""
    for c in rest:
        if c.isspace() or c in "#;":
            break
        value += c
    return name, value


def rc_conf(root: str) -> dict[str, str]:
    """The variables /etc/rc.conf sets (last assignment wins; no expansion).

    The file is never run: it may come from a guide, and the verifier reads it
    on the host.  The rc.conf validator judges its sh syntax.
    """
    out: dict[str, str] = {}
    try:
        with open(at(root, "/etc/rc.conf"), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return out
    for line in text.splitlines():
        pair = _assignment(line)
        if pair:
            out[pair[0]] = pair[1]
    return out


def split_unit(name: str) -> tuple[str, int] | None:
    """("wd", 0) for "wd0": letters then digits, else None."""
    i = 0
    while i < len(name) and "a" <= name[i] <= "z":
        i += 1
    if i == 0 or i == len(name) or not name[i:].isdigit() or not name[i:].isascii():
        return None
    return name[:i], int(name[i:])


def checkyesno(value: str | None) -> bool:
    """rc.subr's checkyesno: YES, TRUE, ON or 1 in any case."""
    return (value or "").strip().lower() in ("yes", "true", "on", "1")


# --- marker files --------------------------------------------------------------

def marker(what: str, **fields: str) -> str:
    """The content of a stand-in file: a sentence for people, fields for us."""
    lines = [MARKER, f"what: {what}"]
    lines += [f"{k}: {v}" for k, v in sorted(fields.items())]
    return "\n".join(lines) + "\n"


def read_marker(path: str) -> dict | None:
    """The fields of a marker file, or None when the file is something else."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    text = head.decode("utf-8", "replace")
    if not text.startswith(MARKER + "\n"):
        return None
    fields = {}
    for line in text.splitlines()[1:]:
        key, sep, value = line.partition(": ")
        if sep:
            fields[key] = value
    return fields


def describe(fields: dict | None) -> str:
    return fields.get("what", "a stand-in file") if fields else "not a file the stand-ins know"


# --- NetBSD's release kernels ------------------------------------------------------

def release_kernels(arch: str) -> dict[str, dict]:
    """The kernels a NetBSD/<arch> release build puts in releasedir/<arch>/binary/kernel.

    Names from the HOWTO (rev 1.115) and data/netbsd_kernels.yaml: amd64 has
    XEN3_DOM0 and XEN3_DOMU; i386 has the PAE kernels XEN3PAE_DOM0 and
    XEN3PAE_DOMU and the non-PAE XEN3_DOM0/XEN3_DOMU usable only with Xen 3.1.
    """
    if arch == "amd64":
        table = [("GENERIC", "generic", "no"), ("XEN3_DOM0", "dom0", "no"),
                 ("XEN3_DOMU", "domU", "no"), ("INSTALL_XEN3_DOMU", "domU-install", "no")]
    elif arch == "i386":
        table = [("GENERIC", "generic", "no"), ("XEN3PAE_DOM0", "dom0", "yes"),
                 ("XEN3PAE_DOMU", "domU", "yes"), ("XEN3_DOM0", "dom0", "no"),
                 ("XEN3_DOMU", "domU", "no"), ("INSTALL_XEN3PAE_DOMU", "domU-install", "yes"),
                 ("INSTALL_XEN3_DOMU", "domU-install", "no")]
    else:
        raise ValueError(f"unknown NetBSD architecture {arch!r}")
    out = {}
    for config, role, pae in table:
        out[f"netbsd-{config}.gz"] = {
            "kind": "netbsd-kernel", "arch": arch, "config": config, "role": role, "pae": pae,
            "what": f"NetBSD/{arch} {config} kernel" + (" (PAE)" if pae == "yes" and arch == "i386" else ""),
        }
    return out
