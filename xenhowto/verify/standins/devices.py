"""MAKEDEV and vnconfig: device nodes and file-backed disks.

The sandbox cannot make device nodes, so a node is a plain file whose
content says what it stands for.  A fresh install has wd*, vnd0..3 and no
xencons/xenevt; ``sh MAKEDEV xen`` adds those (xenstored needs /dev/xenevt),
``MAKEDEV vnd4`` a fifth vnd for a fifth file-backed disk.  vnconfig attaches
a regular file to a vnd that exists; xl/xm do the same for ``file:`` disks.
"""
from __future__ import annotations

import os

from . import world
from .world import StandinError, UsageError

PARTS = "abcdefgh"
DISK_KINDS = ("wd", "sd", "vnd", "xbd", "raid", "cgd", "ld", "dk")


def disk_nodes(kind: str, unit: int) -> list[str]:
    """The names MAKEDEV makes for one disk unit: block and raw, partitions a..h."""
    return [f"{r}{kind}{unit}{p}" for r in ("", "r") for p in PARTS]


def node(what: str) -> str:
    return world.marker(f"NetBSD device node {what} (a plain file standing in for it)", kind="device")


def _make(directory: str, names: list[str]) -> list[str]:
    made = []
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8") as f:
                f.write(node("/dev/" + name))
            made.append(name)
    return made


def targets(target: str) -> list[str] | None:
    """The node names of one MAKEDEV target, None when MAKEDEV does not know it."""
    if target == "xen":
        return ["xenevt", "xsd_kva", "xencons"]
    if target in ("xenevt", "xsd_kva", "xencons", "null", "zero", "console", "tty", "random",
                  "urandom", "bpf", "kmem", "mem"):
        return [target]
    unit = world.split_unit(target)
    if unit and unit[0] in DISK_KINDS:
        return disk_nodes(*unit)
    if target in ("all", "std", "init"):
        out = ["console", "tty", "null", "zero", "mem", "kmem"]
        if target == "all":
            for k, n in (("wd", 4), ("sd", 4), ("vnd", 4), ("raid", 4), ("cgd", 4)):
                for u in range(n):
                    out += disk_nodes(k, u)
        return out
    return None


def makedev(ctx, argv: list[str]) -> None:
    """MAKEDEV [-fMsu] [-m mknod] [-p pax] [-t mtree] {special | device-tag} ..."""
    i = 0
    while i < len(argv) and argv[i].startswith("-") and len(argv[i]) > 1:
        opt = argv[i]
        for j, ch in enumerate(opt[1:], 1):
            if ch in "mpt":
                if j == len(opt) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(f"option requires an argument -- {ch}")
                break
            if ch not in "fMsu":
                raise UsageError(f"unknown option -- {ch}\n"
                                 "Usage: MAKEDEV [-fMsu] [-m mknod] [-p pax] [-t mtree] special [...]")
        i += 1
    if i >= len(argv):
        raise UsageError("Usage: MAKEDEV [-fMsu] [-m mknod] [-p pax] [-t mtree] special [...]")
    made = []
    directory = world.at(ctx.root, ctx.cwd)
    for target in argv[i:]:
        names = targets(target)
        if names is None:
            ctx.warn(f"{target}: unknown device")
            continue
        made += _make(directory, names)
    ctx.effect.update({"dir": ctx.cwd, "made": made})


def vnd_unit(arg: str) -> int | None:
    """3 for vnd3, vnd3d, /dev/vnd3d, /dev/rvnd3d."""
    name = arg[len("/dev/"):] if arg.startswith("/dev/") else arg
    if name.startswith("rvnd"):
        name = name[1:]
    if name[-1:] in "abcdefghijklmnop" and name[-2:-1].isdigit():
        name = name[:-1]
    unit = world.split_unit(name)
    return unit[1] if unit and unit[0] == "vnd" else None


def vnd_exists(root: str, unit: int) -> bool:
    return os.path.exists(world.at(root, f"/dev/vnd{unit}d")) or os.path.exists(world.at(root, f"/dev/rvnd{unit}d"))


def free_vnd(ctx) -> int | None:
    """The lowest vnd unit that has a node in /dev and is not attached."""
    unit = 0
    while vnd_exists(ctx.root, unit):
        if f"vnd{unit}" not in ctx.state["vnd"]:
            return unit
        unit += 1
    return None


_VN_USAGE = ("usage: vnconfig [-crvz] [-f disktab] [-t typename] vnode_disk regular-file [geomspec]\n"
             "       vnconfig -u [-Fv] vnode_disk\n"
             "       vnconfig -l [-m num | vnode_disk...]")


def vnconfig(ctx, argv: list[str]) -> None:
    flags, i = set(), 0
    while i < len(argv) and argv[i].startswith("-") and len(argv[i]) > 1:
        opt = argv[i]
        for j, ch in enumerate(opt[1:], 1):
            if ch in "ftm":
                if j == len(opt) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(_VN_USAGE)
                break
            if ch not in "crvzuFl":
                raise UsageError(_VN_USAGE)
            flags.add(ch)
        i += 1
    operands = argv[i:]
    if "l" in flags:
        for unit in range(8):
            if vnd_exists(ctx.root, unit):
                f = ctx.state["vnd"].get(f"vnd{unit}")
                ctx.out(f"vnd{unit}: " + (f"{f['file']}" if f else "not in use"))
        return
    if "u" in flags:
        if len(operands) != 1 or vnd_unit(operands[0]) is None:
            raise UsageError(_VN_USAGE)
        unit = vnd_unit(operands[0])
        if f"vnd{unit}" not in ctx.state["vnd"]:
            raise StandinError(f"VNDIOCCLR: vnd{unit}: Device not configured" if vnd_exists(ctx.root, unit)
                               else f"/dev/rvnd{unit}d: No such file or directory")
        del ctx.state["vnd"][f"vnd{unit}"]
        ctx.effect["detached"] = f"vnd{unit}"
        return
    if len(operands) not in (2, 3) or vnd_unit(operands[0]) is None:
        raise UsageError(_VN_USAGE)
    unit = vnd_unit(operands[0])
    if not vnd_exists(ctx.root, unit):
        raise StandinError(f"/dev/rvnd{unit}d: No such file or directory (make it: cd /dev && sh MAKEDEV vnd{unit})")
    if f"vnd{unit}" in ctx.state["vnd"]:
        raise StandinError(f"VNDIOCSET: vnd{unit}: Device busy")
    path = world.absolute(operands[1], ctx.cwd)
    host = world.at(ctx.root, path)
    if not os.path.isfile(host):
        raise StandinError(f"{operands[1]}: No such file or directory" if not os.path.exists(host)
                           else f"{operands[1]}: not a regular file")
    ctx.state["vnd"][f"vnd{unit}"] = {"file": path, "by": "vnconfig", "readonly": "r" in flags}
    ctx.effect.update({"attached": f"vnd{unit}", "file": path})
