"""lvm(8) and disklabel(8): the dom0 storage a domU's ``phy:`` disk lives on.

The machine has the partitions of a fresh install (wd0a root, wd0b swap)
and, when the setup names one, a free partition (``partition``, e.g. wd1e)
to give to a domU whole or to LVM.  ``lvm`` is NetBSD's single LVM2 binary
(``lvm pvcreate``, not ``pvcreate``), as in the NetBSD Guide's LVM chapter:
physical volumes on the raw partition, a volume group on them, logical
volumes that appear as /dev/VG/LV and /dev/VG/rLV (and /dev/mapper/VG-LV).
Volumes are active until the next boot, which activates them again only
with ``lvm=YES`` in rc.conf (/etc/rc.d/lvm runs ``lvm vgchange -a y``).
``disklabel DISK`` shows the label; editing it (-e, -i) needs a person at
an editor, which the verifier cannot be.
"""
from __future__ import annotations

import os

from . import devices, world
from .world import StandinError, UsageError

_LVM_USAGE = ("usage: lvm COMMAND [ARGS]: pvcreate PV..., vgcreate VG PV..., "
              "lvcreate -L SIZE -n NAME VG, vgchange -a y|n [VG], vgscan [--mknodes], pvs, vgs, lvs")
_IN_USE = {"a": "/ is mounted from it", "b": "it is the swap partition"}
_UNITS = {"": 1, "m": 1, "g": 1024, "t": 1048576, "k": 1 / 1024}


def free_partition(ctx) -> str:
    return str(ctx.state["machine"].get("partition") or "")


def partition_of(ctx, arg: str) -> str:
    """"wd1e" for /dev/rwd1e or /dev/wd1e, after checking the node and the label."""
    path = world.absolute(arg, ctx.cwd)
    if not os.path.exists(world.at(ctx.root, path)):
        raise StandinError(f"Device {arg} not found (or ignored by filtering).")
    name = os.path.basename(path)
    bare = name[1:] if name.startswith("r") and world.split_unit(name[1:-1] or "x") else name
    unit = world.split_unit(bare[:-1]) if bare[-1:].isalpha() else None
    if not unit or unit[0] not in devices.DISK_KINDS or f"{unit[0]}{unit[1]}" not in ctx.state["machine"]["disks"]:
        raise StandinError(f"Device {arg} not found (or ignored by filtering): no such disk in this machine")
    if bare[:-1] == ctx.state["machine"]["disks"][0] and bare[-1] in _IN_USE:
        raise StandinError(f"Can't open {arg} exclusively.  Mounted filesystem? ({_IN_USE[bare[-1]]})")
    if bare != free_partition(ctx):
        raise StandinError(f"Device {arg} not found (or ignored by filtering): the disklabel of "
                           f"{bare[:-1]} has no partition {bare[-1]} (this machine's free partition is "
                           f"{free_partition(ctx) or 'none'})")
    return bare


def _size_mb(text: str) -> float:
    t = text.lower()
    unit = t[-1] if t[-1:].isalpha() else ""
    number = t[:-1] if unit else t
    try:
        value = float(number)
    except ValueError:
        value = -1
    if unit not in _UNITS or value <= 0:
        raise UsageError(f"Invalid size {text!r}: a number with an optional unit (K, M, G, T), e.g. 4096M")
    return value * _UNITS[unit]


def _lvm_state(ctx) -> dict:
    lvm = ctx.state.setdefault("lvm", {})
    lvm.setdefault("pvs", {})
    lvm.setdefault("vgs", {})
    lvm.setdefault("active", [])
    return lvm


def lv_nodes(vg: str, lv: str) -> list[str]:
    """The device nodes of an active logical volume."""
    mapper = f"{vg.replace('-', '--')}-{lv.replace('-', '--')}"
    return [f"/dev/{vg}/{lv}", f"/dev/{vg}/r{lv}", f"/dev/mapper/{mapper}", f"/dev/mapper/r{mapper}"]


def activate(ctx, vgs: list[str]) -> list[str]:
    """Make the nodes of every volume of ``vgs`` and mark them active; returns the volumes."""
    lvm = _lvm_state(ctx)
    done = []
    for vg in vgs:
        for lv in lvm["vgs"][vg]["lvs"]:
            for node in lv_nodes(vg, lv):
                host = world.at(ctx.root, node)
                os.makedirs(os.path.dirname(host), exist_ok=True)
                with open(host, "w", encoding="utf-8") as f:
                    f.write(devices.node(node))
            done.append(f"{vg}/{lv}")
        if vg not in lvm["active"]:
            lvm["active"].append(vg)
    return done


def logical_volume(state: dict, path: str) -> tuple[str, str] | None:
    """(VG, LV) when ``path`` is a logical volume's node, else None."""
    for vg, info in (state.get("lvm") or {}).get("vgs", {}).items():
        for lv in info["lvs"]:
            if path in lv_nodes(vg, lv):
                return vg, lv
    return None


def lvm(ctx, argv: list[str]) -> None:
    if not argv:
        raise UsageError(_LVM_USAGE)
    cmd, args = argv[0], argv[1:]
    lvm_state = _lvm_state(ctx)
    pvs, vgs = lvm_state["pvs"], lvm_state["vgs"]
    if cmd == "pvcreate":
        if not args or any(a.startswith("-") for a in args):
            raise UsageError("usage: lvm pvcreate PhysicalVolume...")
        for a in args:
            part = partition_of(ctx, a)
            if part in pvs:
                raise StandinError(f"Can't initialize physical volume \"{a}\" of volume group "
                                   f"\"{pvs[part]}\" without -ff" if pvs[part] else
                                   f"Physical volume \"{a}\" is already a physical volume")
            pvs[part] = ""
            ctx.out(f"  Physical volume \"{a}\" successfully created")
        ctx.effect["pvcreate"] = args
    elif cmd == "vgcreate":
        if len(args) < 2 or any(a.startswith("-") for a in args):
            raise UsageError("usage: lvm vgcreate VolumeGroupName PhysicalVolume...")
        vg, members = args[0], args[1:]
        if vg in vgs:
            raise StandinError(f"A volume group called {vg} already exists.")
        parts = []
        for a in members:
            part = partition_of(ctx, a)
            if part not in pvs:
                raise StandinError(f"Physical volume {a} not found: run lvm pvcreate {a} first")
            if pvs[part]:
                raise StandinError(f"Physical volume '{a}' is already in volume group '{pvs[part]}'")
            parts.append(part)
        for part in parts:
            pvs[part] = vg
        vgs[vg] = {"pvs": parts, "lvs": {}}
        ctx.out(f"  Volume group \"{vg}\" successfully created")
        ctx.effect["vgcreate"] = vg
    elif cmd == "lvcreate":
        size, name, rest, i = None, None, [], 0
        while i < len(args):
            a = args[i]
            if a in ("-L", "-n") and i + 1 < len(args):
                if a == "-L":
                    size = _size_mb(args[i + 1])
                else:
                    name = args[i + 1]
                i += 2
                continue
            if a.startswith("-"):
                raise UsageError("usage: lvm lvcreate -L Size[M|G] -n Name VolumeGroup")
            rest.append(a)
            i += 1
        if size is None or not name or len(rest) != 1:
            raise UsageError("usage: lvm lvcreate -L Size[M|G] -n Name VolumeGroup")
        vg = rest[0]
        if vg not in vgs:
            raise StandinError(f"Volume group \"{vg}\" not found")
        if name in vgs[vg]["lvs"]:
            raise StandinError(f"Logical volume \"{name}\" already exists in volume group \"{vg}\"")
        if not all(c.isalnum() or c in "+_.-" for c in name) or name.startswith("-"):
            raise StandinError(f"Logical volume name \"{name}\" is invalid")
        vgs[vg]["lvs"][name] = size
        activate(ctx, [vg])
        ctx.out(f"  Logical volume \"{name}\" created")
        ctx.effect["lvcreate"] = {"vg": vg, "lv": name, "size_mb": size}
    elif cmd == "vgchange":
        if len(args) < 2 or args[0] != "-a" or args[1] not in ("y", "n"):
            raise UsageError("usage: lvm vgchange -a y|n [VolumeGroup...]")
        names = args[2:] or sorted(vgs)
        for vg in names:
            if vg not in vgs:
                raise StandinError(f"Volume group \"{vg}\" not found")
        if args[1] == "y":
            ctx.effect["activated"] = activate(ctx, names)
        else:
            lvm_state["active"] = [v for v in lvm_state["active"] if v not in names]
    elif cmd == "vgscan":
        for vg in sorted(vgs):
            ctx.out(f"  Found volume group \"{vg}\" using metadata type lvm2")
    elif cmd in ("pvs", "vgs", "lvs"):
        if cmd == "pvs":
            for part, vg in sorted(pvs.items()):
                ctx.out(f"  /dev/r{part} {vg}")
        elif cmd == "vgs":
            for vg, info in sorted(vgs.items()):
                ctx.out(f"  {vg} {len(info['pvs'])} {len(info['lvs'])}")
        else:
            for vg, info in sorted(vgs.items()):
                for lv, mb in sorted(info["lvs"].items()):
                    ctx.out(f"  {lv} {vg} -wi-{'a' if vg in lvm_state['active'] else '-'}--- {mb:g}m")
    else:
        raise UsageError(f"No such command '{cmd}'.\n{_LVM_USAGE}")


def start_lvm(ctx) -> None:
    """/etc/rc.d/lvm start: vgscan --mknodes, vgchange -a y."""
    lvm_state = _lvm_state(ctx)
    ctx.out("Configuring lvm devices.")
    ctx.effect["activated"] = activate(ctx, sorted(lvm_state["vgs"]))


def disklabel(ctx, argv: list[str]) -> None:
    """disklabel [-ACFrtv] disk: show the label; -e and -i edit it in an editor or a dialogue."""
    flags, operands = set(), []
    for a in argv:
        if a.startswith("-") and len(a) > 1:
            flags.update(a[1:])
        else:
            operands.append(a)
    if flags & set("eiwRNWB"):
        raise StandinError("editing a disklabel (-e, -i, -w, -R) takes a person at the editor or "
                           "the dialogue; the verifier only shows labels")
    if not flags <= set("ACFrtv") or len(operands) != 1:
        raise UsageError("usage: disklabel [-ACFrtv] disk")
    name = os.path.basename(operands[0])
    name = name[1:] if name.startswith("r") and not world.split_unit(name) else name
    disk = name[:-1] if name[-1:] in "abcdefghijklmnop" and world.split_unit(name[:-1]) else name
    if disk not in ctx.state["machine"]["disks"]:
        raise StandinError(f"{operands[0]}: No such file or directory" if not world.split_unit(disk)
                           else f"/dev/r{disk}d: Device not configured")
    rows = []
    if disk == ctx.state["machine"]["disks"][0]:
        rows += [("a", "4.2BSD", "/"), ("b", "swap", "")]
    free = free_partition(ctx)
    if free[:-1] == disk:
        rows.append((free[-1], "4.2BSD" if free[:-1] != ctx.state["machine"]["disks"][0] else "unused",
                     "free (the setup's partition)"))
    ctx.out(f"# /dev/r{disk}d:\ntype: ESDI\ndisk: {disk}\nlabel: stand-in\n{len(rows) + 1} partitions:")
    ctx.out("#        size    offset     fstype [fsize bsize cpg/sgs]")
    ctx.out(" d:  (the whole disk)   0     unused")
    for letter, fstype, note in rows:
        ctx.out(f" {letter}:  (stand-in size)       {fstype}" + (f"   # {note}" if note else ""))
