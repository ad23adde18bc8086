"""Booting: boot.cfg (or grub's menu.lst), reboot, installboot and fdisk.

``reboot`` is where a guide's earlier steps meet: the Xen menu entry must
multiboot a Xen kernel and load a dom0 kernel for the right architecture,
and both files must be in / by then.  A reboot then does what /etc/rc does
for the parts a guide touches: /etc/sysctl.conf, LVM volumes (lvm=YES),
interfaces from /etc/ifconfig.* via /etc/netstart, npf (npf=YES) and the Xen
rc.d scripts enabled in rc.conf, in rcorder's order.  The boot.cfg reading is shared with the verifier's final checks.
"""
from __future__ import annotations

import os

from . import rcd, world
from .world import StandinError, UsageError

def boot_path(word: str) -> str:
    """A file name as the boot loader takes it ("hd0a:/xen.gz", "(hd0,a)/xen.gz") as a path in /."""
    if word.startswith("(") and ")" in word:
        word = word[word.index(")") + 1:]
    elif ":" in word.split("/")[0]:
        word = word.split(":", 1)[1]
    return "/" + word.lstrip("/")


def parse_boot_cfg(text: str) -> dict:
    """boot.cfg(5): the menu entries (label, line, commands) and the default entry (1-based)."""
    entries, default = [], None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if key == "menu":
            label, _, cmds = value.partition(":")
            commands = [c.split() for c in cmds.split(";") if c.strip()]
            entries.append({"label": label, "line": n, "commands": commands})
        elif key == "default":
            try:
                default = int(value)
            except ValueError:
                pass
    return {"entries": entries, "default": default, "file": "/boot.cfg"}


def parse_menu_lst(text: str) -> dict:
    """grub's menu.lst: ``kernel`` is what boot.cfg calls multiboot, ``module`` what it calls load."""
    entries, default = [], 0
    for n, raw in enumerate(text.splitlines(), 1):
        words = raw.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "default" and len(words) > 1 and words[1].isdigit():
            default = int(words[1])
        elif words[0] == "title":
            entries.append({"label": " ".join(words[1:]), "line": n, "commands": []})
        elif entries and words[0] in ("kernel", "module"):
            cmd = "multiboot" if words[0] == "kernel" else "load"
            entries[-1]["commands"].append([cmd] + words[1:])
    return {"entries": entries, "default": default + 1, "file": "/grub/menu.lst"}


def read_menu(root: str, bootloader: str) -> dict | None:
    path = "/grub/menu.lst" if bootloader == "grub" else "/boot.cfg"
    try:
        with open(world.at(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    return parse_menu_lst(text) if bootloader == "grub" else parse_boot_cfg(text)


def xen_entry(menu: dict) -> dict | None:
    """The entry a reader boots to run Xen: the default if it is a Xen entry, else the last one."""
    xen = [e for e in menu["entries"] if any(c and c[0] == "multiboot" for c in e["commands"])]
    if not xen:
        return None
    d = menu.get("default")
    if d and 0 < d <= len(menu["entries"]) and menu["entries"][d - 1] in xen:
        return menu["entries"][d - 1]
    return xen[-1]


def parse_mem(text: str) -> int | None:
    """Xen's dom0_mem=NNN[KMG] (plain numbers are KiB) in MiB."""
    unit = text[-1:].lower() if text[-1:].isalpha() else ""
    digits = text[:-1] if unit else text
    if not digits.isdigit() or not digits.isascii() or unit not in ("", "k", "m", "g"):
        return None
    n = int(digits)
    return {"": n // 1024, "k": n // 1024, "m": n, "g": n * 1024}[unit]


def dom0_compatible(xen: dict, dom0: dict) -> str | None:
    """Why this dom0 kernel cannot run on this Xen (HOWTO, "Architecture"), or None."""
    if dom0.get("kind") != "netbsd-kernel":
        return f"it is {dom0.get('what', 'not a kernel')}"
    if dom0.get("role") != "dom0":
        return (f"it is a {dom0.get('config')} kernel, not a dom0 kernel "
                f"(use {'XEN3_DOM0' if dom0.get('arch') == 'amd64' else 'XEN3PAE_DOM0'})")
    xarch, darch = xen.get("arch"), dom0.get("arch")
    if xarch == "i386" and darch != "i386":
        return "an i386 Xen needs an i386 dom0 kernel"
    if darch == "i386" and dom0.get("pae") != "yes" and xen.get("version") != "3.1":
        return "i386 dom0 kernels must be PAE (XEN3PAE_DOM0) except with Xen 3.1"
    return None


def domu_compatible(xen_version: str | None, xen_arch: str, kernel: dict, guest_type: str = "pv") -> str | None:
    """Why this kernel cannot run as a domU of this type (pv or pvh) on this Xen, or None."""
    if kernel.get("kind") == "xen":
        return "it is a Xen hypervisor, not a domU kernel"
    if kernel.get("kind") != "netbsd-kernel":
        return None
    if guest_type == "pvh":
        if kernel.get("role") != "generic":
            return f"it is a {kernel.get('config')} kernel; a PVH domU boots GENERIC"
        return None
    if kernel.get("role") not in ("domU", "domU-install"):
        return (f"it is a {kernel.get('config')} kernel, not a domU kernel "
                f"({'XEN3_DOMU' if kernel.get('arch') == 'amd64' else 'XEN3PAE_DOMU'})")
    if xen_arch == "i386" and kernel.get("arch") != "i386":
        return "an i386 Xen runs only i386 domUs"
    if kernel.get("arch") == "i386" and kernel.get("pae") != "yes" and xen_version != "3.1":
        return "i386 domU kernels must be PAE (XEN3PAE_DOMU) except with Xen 3.1"
    return None


def check_xen_entry(root: str, menu: dict, entry: dict, machine: dict) -> tuple[dict | None, list[str]]:
    """What booting ``entry`` runs, and every reason it would not come up."""
    where = f"{menu['file']} line {entry['line']} (menu '{entry['label']}')"
    problems: list[str] = []
    multiboot = [c for c in entry["commands"] if c[0] == "multiboot"]
    loads = [c for c in entry["commands"] if c[0] == "load"]
    booted = {"entry": entry["label"], "line": entry["line"], "menu": menu["file"], "xen": None,
              "kernel": None, "config": None, "xen_version": None, "xen_package": None, "dom0_mem": None}
    if len(multiboot[0]) < 2:
        return None, [f"{where}: multiboot names no file"]
    xen_path = boot_path(multiboot[0][1])
    xen_fields = world.read_marker(world.at(root, xen_path))
    if not os.path.isfile(world.at(root, xen_path)):
        problems.append(f"{where}: multiboot {xen_path}: no such file in / at this boot "
                        "(copy xen.gz from the xenkernel package first)")
    elif xen_fields is not None and xen_fields.get("kind") != "xen":
        problems.append(f"{where}: multiboot {xen_path} is {world.describe(xen_fields)}, not Xen")
    else:
        xen_fields = xen_fields or {}
        booted.update(xen=xen_path, xen_version=xen_fields.get("version"),
                      xen_package=xen_fields.get("package"), xen_arch=xen_fields.get("arch", machine["arch"]))
        if xen_fields.get("arch") and xen_fields["arch"] != machine["arch"]:
            problems.append(f"{where}: {xen_path} is Xen for {xen_fields['arch']}, this machine runs "
                            f"NetBSD/{machine['arch']}")
    for word in multiboot[0][2:]:
        if word.startswith("dom0_mem="):
            booted["dom0_mem"] = parse_mem(word.split("=", 1)[1].split(",")[0])
    if not loads or len(loads[0]) < 2:
        problems.append(f"{where}: no 'load' of a dom0 kernel: Xen would have nothing to run as dom0")
    else:
        dom0 = boot_path(loads[0][1])
        host = world.at(root, dom0)
        if not os.path.isfile(host):
            problems.append(f"{where}: load {dom0}: no such file in / at this boot "
                            "(copy the dom0 kernel there first)")
        else:
            fields = world.read_marker(host)
            if fields is not None:
                why = dom0_compatible(xen_fields or {"arch": machine["arch"]}, fields)
                if why:
                    problems.append(f"{where}: load {dom0}: {why}")
                booted["config"] = fields.get("config")
            booted["kernel"] = dom0
    return (None if problems else booted), problems


def boot(ctx) -> tuple[dict, list[str]]:
    """Boot the machine: choose and check the kernel, then what /etc/rc does. Returns (booted, problems)."""
    machine = ctx.state["machine"]
    menu = read_menu(ctx.root, machine.get("bootloader", "boot.cfg"))
    problems: list[str] = []
    booted = None
    entry = xen_entry(menu) if menu else None
    if entry is not None:
        booted, problems = check_xen_entry(ctx.root, menu, entry, machine)
    if booted is None:
        if not os.path.isfile(world.at(ctx.root, "/netbsd")):
            problems.append("/netbsd is missing: the machine does not boot at all")
        booted = {"kernel": "/netbsd", "config": "GENERIC", "xen": None, "xen_version": None,
                  "fallback": bool(entry)}
    world.reset_runtime(ctx.state)
    ctx.state["booted"] = booted
    _mount_kernfs(ctx.root, bool(booted.get("xen")))
    ctx.state["boots"] = ctx.state.get("boots", 0) + 1
    ctx.save()
    # /etc/rc in rcorder's order: sysctl.conf, lvm, the network, npf, the Xen daemons.
    from . import system
    problems += system.apply_sysctl_conf(ctx)
    why = rcd.start_at_boot(ctx, "lvm")
    if why:
        problems.append(why)
    ctx.save()  # netstart's ifconfig calls read the state from the file
    if ctx.root in ("", "/") and os.path.exists("/etc/netstart"):
        import subprocess
        env = dict(os.environ, XENHOWTO_STANDIN_VIA="reboot")
        r = subprocess.run(["/bin/sh", "/etc/netstart"], cwd="/", env=env, capture_output=True, text=True)
        if r.returncode:
            problems.append("/etc/netstart at boot: " + (r.stderr.strip().splitlines() or ["failed"])[-1])
        ctx.reload()
    for script in ("npf",) + rcd.BOOT_ORDER:
        why = rcd.start_at_boot(ctx, script)
        if why:
            problems.append(why)
    return booted, problems


def _mount_kernfs(root: str, xen: bool) -> None:
    """/kern as kernfs shows it: /kern/xen/privcmd exists on a dom0 (the rc.d scripts require it)."""
    kern = world.at(root, "/kern/xen")
    try:
        with open(world.at(root, "/etc/fstab"), encoding="utf-8") as f:
            mounted = any(len(w) >= 3 and w[1] == "/kern" and w[2] == "kernfs"
                          for w in (line.split() for line in f if not line.lstrip().startswith("#")))
    except OSError:
        mounted = False
    if os.path.isdir(kern):
        for name in os.listdir(kern):
            os.unlink(os.path.join(kern, name))
    if mounted and xen:
        os.makedirs(kern, exist_ok=True)
        for name in ("privcmd", "xenbus", "xsd_kva", "xsd_port"):
            with open(os.path.join(kern, name), "w", encoding="utf-8") as f:
                f.write(world.marker(f"kernfs /kern/xen/{name} of a dom0", kind="kernfs"))


def reboot(ctx, argv: list[str]) -> None:
    """reboot [-dlnqvxz] [-- boot string]"""
    for arg in argv:
        if arg == "--":
            break
        if not arg.startswith("-") or not set(arg[1:]) <= set("dlnqvxz") or arg == "-":
            raise UsageError("usage: reboot [-dlnqvxz] [-- boot string]")
    _restart(ctx)


def shutdown(ctx, argv: list[str]) -> None:
    """shutdown [-Ddfhknprvxz] [-b bootstr] time [message ...]: -r reboots; -h/-p halt (then power on)."""
    flags, i = set(), 0
    while i < len(argv) and argv[i].startswith("-") and len(argv[i]) > 1:
        for ch in argv[i][1:]:
            if ch == "b":
                i += 1
                break
            if ch not in "Ddfhknprvxz":
                raise UsageError("usage: shutdown [-Ddfhknprvxz] [-b bootstr] time [message ...]")
            flags.add(ch)
        i += 1
    if i >= len(argv):
        raise UsageError("usage: shutdown [-Ddfhknprvxz] [-b bootstr] time [message ...]")
    if "k" in flags:
        return
    _restart(ctx)


def _restart(ctx) -> None:
    booted, problems = boot(ctx)
    ctx.effect["booted"] = booted
    if booted.get("xen"):
        ctx.out(f"(rebooted into Xen {booted.get('xen_version') or '?'}: multiboot {booted['xen']}, "
                f"dom0 kernel {booted['kernel']})")
    else:
        ctx.out(f"(rebooted into {booted['kernel']} without Xen)")
    if problems:
        ctx.effect["problems"] = problems
        raise StandinError("the boot went wrong:\n" + "\n".join(problems))


# --- boot blocks ---------------------------------------------------------------------

def _disk_of(arg: str) -> str | None:
    """"wd0" for wd0, rwd0d, /dev/rwd0d."""
    name = arg[len("/dev/"):] if arg.startswith("/dev/") else arg
    if name[-1:] in "abcdefghijklmnop" and name[-2:-1].isdigit():
        name = name[:-1]
    for candidate in (name, name[1:] if name.startswith("r") else None):
        unit = world.split_unit(candidate) if candidate else None
        if unit and unit[0] in ("wd", "sd", "ld", "raid", "xbd"):
            return candidate
    return None


def installboot(ctx, argv: list[str]) -> None:
    """installboot [-fnv] [-B s2bootblock] [-b s1bootblock] [-m machine] [-o options] [-t fstype]
    filesystem primary [secondary]"""
    usage = ("usage: installboot [-fnv] [-B s2bootblock] [-b s1bootblock] [-m machine] [-o options]\n"
             "\t\t   [-t fstype] filesystem primary [secondary]\n"
             "usage: installboot -c [-fnv] [-m machine] [-o options] [-t fstype] filesystem\n"
             "usage: installboot -e [-fnv] [-m machine] [-o options] bootstrap")
    flags, i = set(), 0
    while i < len(argv) and argv[i].startswith("-") and len(argv[i]) > 1:
        opt = argv[i]
        for j, ch in enumerate(opt[1:], 1):
            if ch in "Bbmot":
                if j == len(opt) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(usage)
                break
            if ch not in "fnvce":
                raise UsageError(usage)
            flags.add(ch)
        i += 1
    operands = argv[i:]
    if "c" in flags or "e" in flags:
        if len(operands) != 1:
            raise UsageError(usage)
        return
    if len(operands) not in (2, 3):
        raise UsageError(usage)
    fs = world.absolute(operands[0], ctx.cwd if operands[0].startswith(("/", ".")) else "/dev")
    if not os.path.exists(world.at(ctx.root, fs)):
        raise StandinError(f"Can't open `{operands[0]}': No such file or directory")
    disk = _disk_of(operands[0])
    if disk and disk not in ctx.state["machine"]["disks"] and not disk.startswith("raid"):
        raise StandinError(f"Can't open `{operands[0]}': Device not configured")
    primary = world.absolute(operands[1], ctx.cwd)
    fields = world.read_marker(world.at(ctx.root, primary))
    if not os.path.isfile(world.at(ctx.root, primary)):
        raise StandinError(f"Can't open `{operands[1]}': No such file or directory")
    if fields is not None and fields.get("kind") != "bootblock":
        raise StandinError(f"`{operands[1]}' is not a primary boot block ({world.describe(fields)})")
    ctx.effect.update({"filesystem": fs, "primary": primary, "dry_run": "n" in flags})


def fdisk(ctx, argv: list[str]) -> None:
    """fdisk [-afiBFSvr] [-0|-1|-2|-3] [-b cyl/hd/sec] [-c bootcode] [-E n] [-s id/start/size] ... [device]"""
    usage = ("usage: fdisk [-aBFfIilSuv] [-A ptn_alignment[/ptn_0_offset]] [-b cylinders/heads/sectors]\n"
             "\t[-0123 | -E num] [-s id/start/size[/bootmenu]] [-t disktab] [-T disktype]\n"
             "\t[-c bootcode] [-r|-w file] [device]")
    flags, i = set(), 0
    while i < len(argv) and argv[i].startswith("-") and len(argv[i]) > 1:
        opt = argv[i]
        for j, ch in enumerate(opt[1:], 1):
            if ch in "AbcEsrtTw":
                if j == len(opt) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(usage)
                break
            if ch not in "aBFfIilSuv0123":
                raise UsageError(usage)
            flags.add(ch)
        i += 1
    operands = argv[i:]
    if len(operands) > 1:
        raise UsageError(usage)
    device = operands[0] if operands else "wd0"
    disk = _disk_of(device)
    if disk is None or not os.path.exists(world.at(ctx.root, f"/dev/r{disk}d")):
        raise StandinError(f"{device}: No such file or directory")
    if disk not in ctx.state["machine"]["disks"]:
        raise StandinError(f"{device}: Device not configured")
    ctx.effect.update({"device": disk, "init": "i" in flags, "interactive": "u" in flags})
    if "i" not in flags and "u" not in flags:
        ctx.out(f"Disk: /dev/r{disk}d\nNetBSD disklabel disk geometry: (stand-in)\n"
                "Partition table:\n0: NetBSD (sysid 169)\n    bootmenu: NetBSD")
