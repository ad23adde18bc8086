"""xl and xm: create, list, console, shutdown, destroy, reboot, dmesg, info.

``create`` is where a domU's pieces meet, so it checks what the real tools
would trip over: Xen booted and the toolstack's daemon running (xl needs
xenstored from xencommons, xm needs xend), the config file found (as given,
or in /usr/pkg/etc/xen), its values readable, the name set (xl) and free,
the kernel present and a domU kernel this Xen can run, every disk target
present (a ``file:`` disk also needs a free vnd(4)), every vif's bridge
present in the dom0, and enough memory left beside dom0_mem.
"""
from __future__ import annotations

import os

from . import boot, devices, domucfg, world
from .world import StandinError, UsageError

CONFIG_DIR = "/usr/pkg/etc/xen"


def _ready(ctx, program: str) -> None:
    booted = ctx.state.get("booted") or {}
    if not booted.get("xen"):
        raise StandinError(f"cannot init {program} context: not running under Xen (the running kernel is "
                           f"{booted.get('kernel', '?')}, {booted.get('config') or '?'}): boot Xen first")
    if program == "xl" and "xencommons" not in ctx.state["daemons"]:
        raise StandinError("cannot connect to xenstored: is xencommons running? "
                           "(xencommons=YES in /etc/rc.conf, then /etc/rc.d/xencommons start)")
    if program == "xm" and "xend" not in ctx.state["daemons"]:
        raise StandinError("Error: Unable to connect to xend: No such file or directory. Is xend running?")


def _find(ctx, name: str) -> str:
    for dname, dom in ctx.state["domains"].items():
        if name in (dname, str(dom["id"])):
            return dname
    if name in ("Domain-0", "0"):
        raise StandinError("Domain-0 is the dom0: use shutdown(8) on the dom0 itself")
    raise StandinError(f"Domain '{name}' does not exist.")


def config_path(ctx, arg: str) -> str:
    """xl/xm look for a config as given, then in /usr/pkg/etc/xen (HOWTO, "Config files")."""
    path = world.absolute(arg, ctx.cwd)
    if os.path.isfile(world.at(ctx.root, path)):
        return path
    if "/" not in arg and os.path.isfile(world.at(ctx.root, f"{CONFIG_DIR}/{arg}")):
        return f"{CONFIG_DIR}/{arg}"
    raise StandinError(f"Failed to read config file: {arg}: No such file or directory")


def create(ctx, program: str, path: str, console: bool = False, overrides: dict | None = None,
           dry_run: bool = False) -> str:
    """Start the domain of config ``path`` (as the machine sees it); returns its name."""
    _ready(ctx, program)
    host = world.at(ctx.root, path)
    try:
        with open(host, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        raise StandinError(f"Failed to read config file: {path}: No such file or directory") from None
    try:
        values = domucfg.parse(text, program)
    except domucfg.ConfigError as e:
        raise StandinError(f"{path}:{e.line}: config parsing error: {str(e).split(': ', 1)[1]}") from None
    values.update(overrides or {})
    name = values.get("name")
    if name is None:
        if program == "xl":
            raise StandinError(f"{path}: Domain name must be specified.")
        name = os.path.basename(path)
    name = str(name)
    if name in ctx.state["domains"]:
        raise StandinError(f"Domain with name '{name}' already exists.")
    booted = ctx.state["booted"]
    info = domucfg.summary(values)
    if info["problems"]:
        raise StandinError(f"{path}: " + "; ".join(info["problems"]))
    hvm = values.get("builder") == "hvm" or values.get("type") == "hvm"
    kernel = values.get("kernel")
    if not hvm and not kernel and not values.get("bootloader"):
        raise StandinError(f"{path}: no kernel given for a PV domain")
    kernel_fields: dict = {}
    for key in ("kernel", "ramdisk"):
        if values.get(key):
            kpath = world.absolute(str(values[key]), ctx.cwd)
            khost = world.at(ctx.root, kpath)
            if not os.path.isfile(khost):
                raise StandinError(f"{path}: {key} {kpath}: No such file or directory")
            if key == "kernel":
                kernel_fields = world.read_marker(khost) or {}
                why = boot.domu_compatible(booted.get("xen_version"),
                                           booted.get("xen_arch") or ctx.state["machine"]["arch"],
                                           kernel_fields, str(values.get("type") or "pv"))
                if why:
                    raise StandinError(f"{path}: kernel {kpath}: {why}")
    try:
        memory = int(values.get("memory", 128))
    except (TypeError, ValueError):
        raise StandinError(f"{path}: memory {values.get('memory')!r} is not a number of MiB") from None
    total = ctx.state["machine"]["memory_mb"]
    dom0 = booted.get("dom0_mem")
    if dom0:
        free = total - dom0 - sum(d["memory"] for d in ctx.state["domains"].values())
        if memory > free:
            raise StandinError(f"{name}: needs {memory} MiB but only {free} MiB are free "
                               f"({total} MiB, dom0_mem {dom0} MiB)")
    attached = []
    for disk in info["disks"]:
        target = world.absolute(disk["target"], ctx.cwd)
        thost = world.at(ctx.root, target)
        if not domucfg.vdev_ok(disk["vdev"]) and not (
                program == "xm" and os.path.exists(world.at(ctx.root, "/dev/" + disk["vdev"]))):
            raise StandinError(f"{path}: Invalid virtual disk identifier {disk['vdev']} "
                               "(use a number such as 0x0, or xvda; not a NetBSD device name)")
        if disk["kind"] == "phy":
            if not os.path.exists(thost):
                raise StandinError(f"{path}: disk phy:{target}: No such file or directory")
            why = _phy_problem(ctx, target)
            if why:
                raise StandinError(f"{path}: disk phy:{target}: {why}")
            attached.append({"target": target, "vdev": disk["vdev"], "kind": "phy",
                             "writable": disk["writable"]})
            continue
        if not os.path.isfile(thost):
            raise StandinError(f"{path}: disk file:{target}: No such file or directory")
        for dname, dom in ctx.state["domains"].items():
            for other in dom["disks"]:
                if other["target"] == target and (disk["writable"] or other.get("writable")):
                    raise StandinError(f"{path}: disk {target} is already in use by domain {dname}")
        unit = devices.free_vnd(ctx)
        if unit is None:
            raise StandinError(f"{path}: no free vnd(4) for {target}: NetBSD makes only vnd0..vnd3; "
                               "make more with 'cd /dev && sh MAKEDEV vnd4'")
        if not dry_run:
            ctx.state["vnd"][f"vnd{unit}"] = {"file": target, "by": name}
        attached.append({"target": target, "vdev": disk["vdev"], "kind": "file", "vnd": f"vnd{unit}",
                         "writable": disk["writable"]})
    root_disk = next((a for a in attached if a.get("writable")), attached[0] if attached else None)
    installer = kernel_fields.get("role") == "domU-install"
    why = _system_problem(ctx, root_disk, kernel_fields, installer, hvm)
    if why:
        raise StandinError(f"{path}: {name}: {why}")
    ifs = ctx.state["interfaces"]
    vifs = []
    for i, vif in enumerate(info["vifs"]):
        bridge = domucfg.vif_bridge(vif)
        if bridge is not None and (bridge not in ifs or not bridge.startswith("bridge")):
            raise StandinError(f"{path}: vif {i}: bridge {bridge} does not exist in the dom0 "
                               f"(ifconfig {bridge} create, or write /etc/ifconfig.{bridge} and run "
                               f"sh /etc/netstart {bridge})")
        vifs.append({"mac": vif.get("mac"), "bridge": bridge})
    if dry_run:
        for a in attached:
            a.pop("vnd", None)
        ctx.effect.update({"domain": name, "config": path, "dry_run": True})
        return name
    domid = ctx.state["next_domid"]
    ctx.state["next_domid"] = domid + 1
    for i, vif in enumerate(vifs):
        ifname = f"xvif{domid}.{i}"
        ifs[ifname] = {"up": True, "members": []}
        vif["interface"] = ifname
        if vif["bridge"]:
            ifs[vif["bridge"]]["members"].append(ifname)
    dom = {"id": domid, "memory": memory, "vcpus": int(values.get("vcpus", 1) or 1),
           "config": path, "kernel": kernel, "disks": attached, "vifs": vifs,
           "type": "hvm" if hvm else str(values.get("type") or "pv"),
           "installer": installer, "kernel_config": kernel_fields.get("config"),
           "root": root_disk["target"] if root_disk else None, "console": False}
    ctx.state["domains"][name] = dom
    ctx.effect.setdefault("started", []).append(
        {"domain": name, "id": domid, "config": path, "kernel": kernel, "disks": attached, "vifs": vifs,
         "installer": installer, "type": dom["type"]})
    if program == "xl":
        ctx.out(f"Parsing config from {path}")
    else:
        ctx.out(f'Using config file "{path}".\nStarted domain {name}')
    if console:
        attach_console(ctx, name)
    return name


# --- a domU's life: its disk, its installer, its console ---------------------------

DOMU_TREES = "/var/db/standins-domu"


def _phy_problem(ctx, target: str) -> str | None:
    """Why a ``phy:`` disk cannot be given to a domU: the dom0's own partitions, an inactive volume."""
    from . import storage
    lv = storage.logical_volume(ctx.state, target)
    if lv is not None:
        if lv[0] not in ctx.state["lvm"].get("active", []):
            return (f"logical volume {lv[0]}/{lv[1]} is not active: volume groups are activated at boot "
                    "only with lvm=YES in /etc/rc.conf (or at once with lvm vgchange -a y)")
        return None
    name = os.path.basename(target)
    bare = name[1:] if name.startswith("r") and world.split_unit(name[1:-1] or "x") else name
    disks = ctx.state["machine"]["disks"]
    if bare[:-1] == disks[0] and bare[-1:] in ("a", "b", "d", "c"):
        return f"{bare} is the dom0's own {'swap' if bare[-1] == 'b' else 'root disk'}: a domU must not write it"
    if world.split_unit(bare[:-1] or "x") and bare[:-1] in disks and bare != ctx.state["machine"].get("partition"):
        return (f"{bare} is not a free partition of this machine "
                f"(the setup's is {ctx.state['machine'].get('partition') or 'none'})")
    return None


def tree_of(target: str) -> str:
    """Where the verifier keeps the files of the system installed on disk ``target``."""
    return f"{DOMU_TREES}/" + target.strip("/").replace("/", "_")


def _disk_signature(ctx, target: str) -> list:
    try:
        st = os.stat(world.at(ctx.root, target))
    except OSError:
        return []
    return [st.st_mtime_ns, st.st_size] if os.path.isfile(world.at(ctx.root, target)) else []


def installed(ctx, target: str | None) -> dict | None:
    """What was installed on disk ``target``, None if nothing (or the image was made again since)."""
    if not target:
        return None
    info = ctx.state["disks"].get(target)
    if info is None:
        return None
    if info.get("signature") and info["signature"] != _disk_signature(ctx, target):
        return None
    return info


def _system_problem(ctx, root_disk: dict | None, kernel: dict, installer: bool, hvm: bool) -> str | None:
    """Why the domain would not come up with this kernel on this disk, or None.

    A domU kernel mounts its root from the first writable disk: it needs a
    system installed there; the installer's kernel is for an empty disk (on an
    installed one it would only install over it).  An HVM domU boots its disk.
    """
    target = root_disk["target"] if root_disk else None
    system = installed(ctx, target)
    if installer:
        if target is None:
            return "the installer has no disk to install on (disk = [ ... ] names no writable disk)"
        if system is not None:
            return (f"kernel {kernel.get('config')} is NetBSD's installer, but {target} already holds "
                    f"{system['system']} (installed by an earlier step): switch the config to the domU's "
                    "own kernel")
        return None
    if target is None:
        return "no root file system: the config names no writable disk"
    if system is None:
        what = "boots its disk" if hvm else f"kernel {kernel.get('config') or '?'} mounts its root from it"
        why = ("it was made again after the install" if ctx.state["disks"].get(target) else
               "no step installed a system on it: start the domain with the installer's kernel "
               "(INSTALL_XEN3_DOMU or INSTALL_XEN3PAE_DOMU) and its console first")
        return f"would panic (cannot mount root): {target} holds no system; the domain {what}, but {why}"
    arch = kernel.get("arch")
    if arch and system.get("arch") and arch != system["arch"]:
        return f"kernel {kernel.get('config')} is NetBSD/{arch}, but {target} holds NetBSD/{system['arch']}"
    return None


def attach_console(ctx, name: str) -> None:
    """A reader at the domain's console: runs the installer there, or logs in."""
    dom = ctx.state["domains"][name]
    if dom.get("installer"):
        _install(ctx, name, dom)
        return
    dom["console"] = True
    ctx.effect["console"] = name
    ctx.out(f"(the console of {name}: NetBSD boots from {dom.get('root')}; log in as root; ^] leaves it)")


def _install(ctx, name: str, dom: dict) -> None:
    """sysinst on the console: sets from NetBSD's mirror over the domU's network, then halt -p."""
    from .network import uplink
    reasons = [uplink(ctx.state, vif.get("bridge")) for vif in dom["vifs"]] or ["the domain has no vif"]
    if all(reasons):
        remove_domain(ctx, name)
        raise StandinError(f"{name}: sysinst cannot fetch the sets from cdn.NetBSD.org: {reasons[0]}; "
                           "the domain was destroyed")
    target = dom["root"]
    fields = world.read_marker(world.at(ctx.root, dom["kernel"])) if dom.get("kernel") else None
    arch = (fields or {}).get("arch") or ctx.state["machine"]["arch"]
    release = (fields or {}).get("release") or ctx.state["machine"].get("release", "current")
    ctx.state["disks"][target] = {"system": f"NetBSD {release}/{arch}", "arch": arch, "release": release,
                                  "by": name, "tree": tree_of(target),
                                  "signature": _disk_signature(ctx, target)}
    remove_domain(ctx, name)
    ctx.effect["domu_installed"] = {"domain": name, "disk": target, "system": f"NetBSD {release}/{arch}"}
    ctx.out(f"(sysinst on the console of {name} installed NetBSD {release}/{arch} on {target}; "
            "halt -p stopped the domain)")


def remove_domain(ctx, name: str) -> None:
    dom = ctx.state["domains"].pop(name)
    for unit, att in list(ctx.state["vnd"].items()):
        if att.get("by") == name:
            del ctx.state["vnd"][unit]
    for vif in dom["vifs"]:
        ctx.state["interfaces"].pop(vif.get("interface"), None)
        for info in ctx.state["interfaces"].values():
            if vif.get("interface") in info["members"]:
                info["members"].remove(vif["interface"])


def _opts(args: list[str], flags: str, with_arg: str, usage: str) -> tuple[set, dict, list[str]]:
    seen, values, rest, i = set(), {}, [], 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1 and not rest:
            ch = a[1]
            if ch in with_arg:
                if len(a) > 2:
                    values[ch] = a[2:].lstrip("=")
                elif i + 1 < len(args):
                    i += 1
                    values[ch] = args[i]
                else:
                    raise UsageError(usage)
            elif set(a[1:]) <= set(flags):
                seen.update(a[1:])
            else:
                raise UsageError(f"invalid option -- '{a[1:]}'\n{usage}")
        else:
            rest.append(a)
        i += 1
    return seen, values, rest


def _list(ctx, program: str, names: list[str]) -> None:
    booted = ctx.state["booted"]
    ctx.out("Name                                        ID   Mem VCPUs\tState\tTime(s)")
    rows = [("Domain-0", 0, booted.get("dom0_mem") or ctx.state["machine"]["memory_mb"], 1, "r-----", 58.1)]
    for name, dom in ctx.state["domains"].items():
        rows.append((name, dom["id"], dom["memory"], dom["vcpus"], "-b----", 0.1))
    wanted = {_find(ctx, n) if n not in ("Domain-0", "0") else "Domain-0" for n in names}
    for name, domid, mem, vcpus, st, t in rows:
        if not wanted or name in wanted:
            ctx.out(f"{name:<40} {domid:>5} {mem:>5} {vcpus:>5}     {st} {t:>10.1f}")


def _run(ctx, program: str, argv: list[str]) -> None:
    i = 0
    while program == "xl" and i < len(argv) and argv[i] in ("-v", "-N", "-f", "-t", "-T"):
        i += 1
    if i >= len(argv):
        raise UsageError(f"Usage {program} [-v] <subcommand> [args]")
    sub, args = argv[i], argv[i + 1:]
    ctx.effect["subcommand"] = sub
    dry = "-N" in argv[:i]
    if sub == "help":
        ctx.out("create list console shutdown destroy reboot dmesg info")
        return
    _ready(ctx, program)
    booted = ctx.state["booted"]
    if sub == "create":
        usage = (f"Usage: {program} create <ConfigFile> [options] [vars]\n"
                 "Options: -h -p -c -V -q -f=FILE -d -F -e -n")
        flags, values, rest = _opts(args, "hpcVqdFen", "f", usage)
        if "h" in flags:
            ctx.out(usage)
            return
        overrides = dict(r.split("=", 1) for r in rest if "=" in r)
        files = [r for r in rest if "=" not in r]
        if values.get("f"):
            files.insert(0, values["f"])
        if len(files) != 1:
            raise UsageError(usage)
        path = config_path(ctx, files[0])
        create(ctx, program, path, console="c" in flags, overrides=overrides, dry_run=dry or "n" in flags)
    elif sub == "list":
        flags, _, rest = _opts(args, "lvZn", "", f"Usage: {program} list [options] [Domain]")
        _list(ctx, program, rest)
    elif sub == "console":
        _, _, rest = _opts(args, "n", "t", f"Usage: {program} console [options] <Domain>")
        if len(rest) != 1:
            raise UsageError(f"Usage: {program} console [options] <Domain>")
        attach_console(ctx, _find(ctx, rest[0]))
    elif sub in ("shutdown", "destroy", "reboot"):
        flags_ok = {"shutdown": "awF" if program == "xl" else "awRH", "destroy": "", "reboot": "awF"}[sub]
        usage = f"Usage: {program} {sub} [-{flags_ok}] <Domain>" if flags_ok else f"Usage: {program} {sub} <Domain>"
        flags, _, rest = _opts(args, flags_ok, "", usage)
        if "a" in flags:
            if rest:
                raise UsageError(usage)
            names = list(ctx.state["domains"])
        elif len(rest) != 1:
            raise UsageError(usage)
        else:
            names = [_find(ctx, rest[0])]
        for name in names:
            if sub == "reboot" or (sub == "shutdown" and "R" in flags):
                continue
            remove_domain(ctx, name)
        ctx.effect["domains"] = names
    elif sub == "dmesg":
        _opts(args, "c", "", f"Usage: {program} dmesg [-c]")
        ctx.out(f"(XEN) Xen version {booted.get('xen_version')} (stand-in of the xenhowto verifier)\n"
                f"(XEN) Command line: {booted.get('xen')} dom0_mem={booted.get('dom0_mem')}M\n"
                f"(XEN) *** LOADING DOMAIN 0 ***  {booted.get('kernel')}")
    elif sub == "info":
        _opts(args, "n", "", f"Usage: {program} info [-n]")
        major, _, minor = (booted.get("xen_version") or "?.?").partition(".")
        total = ctx.state["machine"]["memory_mb"]
        used = (booted.get("dom0_mem") or total) + sum(d["memory"] for d in ctx.state["domains"].values())
        ctx.out(f"host                   : {ctx.state['machine'].get('hostname', 'dom0')}\n"
                f"release                : {ctx.state['machine'].get('netbsd', '?')}\n"
                f"machine                : {ctx.state['machine']['arch']}\n"
                f"total_memory           : {total}\nfree_memory            : {max(0, total - used)}\n"
                f"xen_major              : {major}\nxen_minor              : {minor}")
    else:
        raise StandinError(f"{sub}: a subcommand the stand-in does not know (create, list, console, "
                           "shutdown, destroy, reboot, dmesg, info)")


def xl(ctx, argv: list[str]) -> None:
    _run(ctx, "xl", argv)


def xm(ctx, argv: list[str]) -> None:
    _run(ctx, "xm", argv)
