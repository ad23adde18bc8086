"""The invariants that prove a guide hangs together.

The stand-ins already fail where a real command would (a reboot whose
/boot.cfg loads a missing kernel, ``xl create`` of a config naming a missing
disk or bridge).  These checks add what no single command notices, after each
step and at the end, each problem as (step, message) naming the step it comes
from:

- rc.conf: still configured (``rc_configured=YES``), none of the daemons the
  toolstack forbids (xend with xl), in the end every daemon it needs (xl:
  xencommons; xm: xend and xenbackendd on Xen 3, xencommons and xend on 4.x);
- the Xen entry of /boot.cfg loads a Xen and a dom0 kernel that exist and fit
  the architecture, and the machine did boot it;
- the xenkernel and xentools packages of the setup, of one version;
- every domU config: readable, the files it names present (kernel, ramdisk,
  disks), the setup's disk image of the stated size and not sparse (the dd
  ledger), each vif's bridge present or configured in /etc/ifconfig.bridgeN,
  MACs unique across configs, and the setup's domain started by xl/xm create;
- xendomains lists only domains that have a config (and the setup's domain
  when it asks for autostart);
- xl/xm is the setup's toolstack.
"""
from __future__ import annotations

import os

from xenhowto.verify.adapters import NOT_DOMU_CONFIGS
from xenhowto.verify.record import Run
from xenhowto.verify.standins import boot, disk, domucfg, pkgsrc, world

CONFIG_DIR = "/usr/pkg/etc/xen"
Problem = tuple[int, str]


def version_key(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else 0 for x in str(v).split("."))


def daemon_rules(setup: dict) -> tuple[list[str], dict[str, str]]:
    """The rc.conf daemons the setup's toolstack needs, and those it forbids with why.

    HOWTO rev 1.115 "Configuring Xen" and data/toolstacks.yaml: xm on Xen 3
    needs xend and xenbackendd, xm on 4.1-4.4 xencommons and xend; xl needs
    xencommons (xenstored), and xend must not run with xl ("it will cause
    problems", rev 1.74; Xen 4.5 and later have no xend at all).
    """
    xen, toolstack = str(setup.get("xen", "")), setup.get("toolstack", "xl")
    if toolstack == "xm":
        if version_key(xen) < (4,):
            return ["xend", "xenbackendd"], {}
        return ["xencommons", "xend"], {}
    why = ("xend is for xm only and Xen 4.5 and later have none" if version_key(xen) >= (4, 5)
           else "xend is for xm only; with xl it causes problems")
    return ["xencommons"], {"xend": why}


def _first(run: Run, key: tuple) -> bool:
    """True the first time a problem is seen (a later step that keeps it is not blamed again)."""
    if key in run.reported:
        return False
    run.reported.add(key)
    return True


# --- rc.conf ----------------------------------------------------------------------

def rc_conf_now(run: Run, step: int) -> list[Problem]:
    """After a step that changed /etc/rc.conf: still configured, nothing forbidden."""
    rc = world.rc_conf(run.root)
    out = []
    if not world.checkyesno(rc.get("rc_configured")) and _first(run, ("rc_configured",)):
        out.append((step, "/etc/rc.conf no longer sets rc_configured=YES: the machine would boot "
                          "single-user (was the file replaced instead of appended to?)"))
    _, forbidden = daemon_rules(run.setup)
    for daemon, why in forbidden.items():
        if world.checkyesno(rc.get(daemon)) and _first(run, ("forbidden", daemon)):
            out.append((step, f"/etc/rc.conf enables {daemon}={rc.get(daemon)} with "
                              f"{run.setup.get('toolstack')} on Xen {run.setup.get('xen')}: {why}"))
    return out


def rc_conf_end(run: Run) -> list[Problem]:
    rc = world.rc_conf(run.root)
    needed, _ = daemon_rules(run.setup)
    step = run.last_step_touching("/etc/rc.conf")
    return [(step, f"/etc/rc.conf does not enable {d}=YES, which {run.setup.get('toolstack')} on Xen "
                   f"{run.setup.get('xen')} needs at boot")
            for d in needed if not world.checkyesno(rc.get(d))]


# --- boot -----------------------------------------------------------------------------

def boot_end(run: Run, state: dict) -> list[Problem]:
    machine = state["machine"]
    menu_file = "/grub/menu.lst" if machine.get("bootloader") == "grub" else "/boot.cfg"
    step = run.last_step_touching(menu_file)
    menu = boot.read_menu(run.root, machine.get("bootloader", "boot.cfg"))
    out = []
    entry = boot.xen_entry(menu) if menu else None
    if entry is None:
        out.append((step, f"{menu_file} has no entry that boots Xen (a menu line with multiboot)"))
    else:
        _, problems = boot.check_xen_entry(run.root, menu, entry, machine)
        seen_at_boot = {p for e in run.events for p in (e.get("effect") or {}).get("problems", [])}
        for p in problems:
            if p in seen_at_boot:
                continue  # the reboot that met it already failed
            kernels = [c[1] for c in entry["commands"] if c and c[0] in ("load", "multiboot") and len(c) > 1]
            culprit = run.last_step_touching(menu_file, *(boot.boot_path(k) for k in kernels))
            out.append((culprit, f"at the end of the guide: {p}"))
    if not any(e.get("cmd") in ("reboot", "shutdown") for e in run.events):
        out.append((0, "no step reboots into Xen: the guide never runs a dom0"))
    return out


def boot_menu_notes(run: Run, state: dict) -> list[str]:
    menu = boot.read_menu(run.root, state["machine"].get("bootloader", "boot.cfg"))
    if menu and not any(any(c and c[0] == "boot" for c in e["commands"]) for e in menu["entries"]):
        return ["/boot.cfg has no entry booting /netbsd without Xen (the HOWTO advises keeping one)"]
    return []


# --- packages -------------------------------------------------------------------------

def packages_end(run: Run) -> list[Problem]:
    have = pkgsrc.installed(run.root)
    kernels = sorted(p for p in have if p.startswith("xenkernel"))
    tools = sorted(p for p in have if p.startswith("xentools"))
    step = max((e["step"] for e in run.events if e.get("cmd") == "pkg_add"), default=0)
    want = run.setup.get("package") or (f"xenkernel{pkgsrc.package_for_xen(str(run.setup.get('xen')))}"
                                        if pkgsrc.package_for_xen(str(run.setup.get("xen"))) else None)
    out = []
    if want and want not in have:
        out.append((step, f"{want} (Xen {run.setup.get('xen')}) is not installed"))
    if want:
        tools_want = want.replace("xenkernel", "xentools")
        if tools_want not in have:
            out.append((step, f"{tools_want}, the tools matching {want}, are not installed"))
    for k in kernels:
        t = k.replace("xenkernel", "xentools")
        if tools and t not in tools:
            out.append((step, f"{k} and {', '.join(tools)} do not match: xenkernel and xentools must be "
                              "of the same version"))
    return out


# --- domU configs -----------------------------------------------------------------------

def domu_configs(run: Run) -> list[str]:
    """Paths of domU configs: the files in /usr/pkg/etc/xen and any config xl/xm was given."""
    out = []
    d = world.at(run.root, CONFIG_DIR)
    try:
        names = sorted(os.listdir(d))
    except OSError:
        names = []
    for name in names:
        if name in NOT_DOMU_CONFIGS or name.endswith((".sxp", ".xml", ".conf", "-pre", "-post")) \
                or not os.path.isfile(os.path.join(d, name)):
            continue
        out.append(f"{CONFIG_DIR}/{name}")
    for e in run.events:
        for c in (e.get("effect") or {}).get("started", []):
            if c.get("config") and c["config"] not in out:
                out.append(c["config"])
    return out


def _read_config(run: Run, path: str) -> tuple[dict | None, str | None]:
    try:
        with open(world.at(run.root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None, None
    try:
        values = domucfg.parse(text, run.setup.get("toolstack", "xl"))
    except domucfg.ConfigError as e:
        return None, f"{path}: {e}"
    return values, None


def macs_now(run: Run, step: int) -> list[Problem]:
    """After a step: no MAC address used by two domU configs (HOWTO: do not reuse MAC addresses)."""
    seen: dict[str, str] = {}
    out = []
    for path in domu_configs(run):
        values, _ = _read_config(run, path)
        if not values:
            continue
        for vif in domucfg.summary(values)["vifs"]:
            mac = (vif.get("mac") or "").lower()
            if not mac:
                continue
            if mac in seen and seen[mac] != path:
                key = ("mac", mac, tuple(sorted((seen[mac], path))))
                if key not in run.reported:
                    run.reported.add(key)
                    out.append((step, f"MAC address {mac} is used by both {seen[mac]} and {path}: "
                                      "each vif needs its own"))
            else:
                seen[mac] = path
    return out


def domu_end(run: Run, state: dict) -> list[Problem]:
    out = []
    setup = run.setup
    name = str(setup.get("name") or "")
    bridges = {n for n in state["interfaces"] if n.startswith("bridge")}
    configured = {f[len("/etc/ifconfig."):] for f in _etc_ifconfig(run.root)}
    started = {c["domain"] for e in run.events for c in (e.get("effect") or {}).get("started", [])}
    for path in domu_configs(run):
        step = run.origin(path)
        values, problem = _read_config(run, path)
        if problem:
            out.append((step, problem))
            continue
        if values is None:
            out.append((step, f"{path} was given to xl/xm but is gone at the end"))
            continue
        info = domucfg.summary(values)
        for p in info["problems"]:
            out.append((step, f"{path}: {p}"))
        for key in ("kernel", "ramdisk"):
            if info.get(key):
                target = world.absolute(str(info[key]), "/")
                if not os.path.isfile(world.at(run.root, target)):
                    out.append((max(step, run.origin(target)), f"{path}: {key} {target} does not exist"))
        dname = str(values.get("name") or os.path.basename(path))
        first_file_disk = True
        for d in info["disks"]:
            target = world.absolute(d["target"], "/")
            host = world.at(run.root, target)
            if not os.path.exists(host):
                out.append((step, f"{path}: disk {target} does not exist"))
                continue
            if d["kind"] != "file":
                continue
            origin = run.origin(target, step)
            if dname == name and first_file_disk and d["writable"] and setup.get("disk_size"):
                want = int(setup["disk_size"]) * 1048576
                size = os.path.getsize(host)
                if size != want:
                    out.append((origin, f"disk image {target} of {dname} is {size} bytes, not the "
                                        f"{setup['disk_size']} MiB the setup states ({want} bytes)"))
            if d["writable"]:
                first_file_disk = False
                ok, why = disk.written_fully(state, target, host)
                if not ok:
                    out.append((origin, f"disk image {target} ({path}) is not preallocated: {why}; "
                                        "the HOWTO says to write zeros with dd, as sparse vnd(4) "
                                        "images have caused lockups"))
        for vif in info["vifs"]:
            bridge = domucfg.vif_bridge(vif)
            if bridge and bridge not in bridges and bridge not in configured:
                out.append((step, f"{path}: vif bridge {bridge} is neither up in the dom0 nor "
                                  f"configured in /etc/ifconfig.{bridge}"))
    tried = any(e.get("cmd") in ("xl", "xm") and e.get("argv", [None])[:1] == ["create"] for e in run.events) \
        or any(e.get("cmd") == "rc.d/xendomains" for e in run.events)
    if name and name not in started and not tried and any(
            str((_read_config(run, p)[0] or {}).get("name") or os.path.basename(p)) == name
            for p in domu_configs(run)):
        out.append((0, f"domain {name} is never started: no step runs xl/xm create on its config"))
    return out


def _etc_ifconfig(root: str) -> list[str]:
    try:
        return [f"/etc/{n}" for n in os.listdir(world.at(root, "/etc")) if n.startswith("ifconfig.")]
    except OSError:
        return []


def autostart_end(run: Run) -> list[Problem]:
    rc = world.rc_conf(run.root)
    listed = rc.get("xendomains", "").split()
    step = run.last_step_touching("/etc/rc.conf")
    out = []
    for name in listed:
        if not os.path.isfile(world.at(run.root, f"{CONFIG_DIR}/{name}")):
            out.append((step, f"rc.conf's xendomains lists {name}, but {CONFIG_DIR}/{name} does not exist "
                              "(xendomains starts each domain from that file)"))
    name = str(run.setup.get("name") or "")
    if run.setup.get("autostart") and name and name not in listed:
        out.append((step, f"the setup asks for autostart, but rc.conf's xendomains does not list {name}"))
    return out


# --- the goal: a domU running its installed system, reached on its console and the network ----

def _started_step(run: Run, name: str, installer: bool | None = None) -> int:
    """The last step that started domain ``name`` (with the installer or not), else 0."""
    steps = [e["step"] for e in run.events for c in (e.get("effect") or {}).get("started", [])
             if c.get("domain") == name and (installer is None or bool(c.get("installer")) == installer)]
    return max(steps, default=0)


def _event_step(run: Run, key: str, name: str) -> int:
    return max((e["step"] for e in run.events if (e.get("effect") or {}).get(key) == name), default=0)


def domu_goal_end(run: Run, state: dict, domu_root: str | None) -> list[Problem]:
    """The guide's domU runs its own kernel on an installed disk, its console was reached,
    its vif has a way out, and its settings let a reader log in and reach it."""
    setup = run.setup
    name = str(setup.get("name") or "")
    if not name or not str(setup.get("domu", "")).startswith("netbsd"):
        return []
    dom = state["domains"].get(name)
    install_step = max((e["step"] for e in run.events
                        if ((e.get("effect") or {}).get("domu_installed") or {}).get("domain") == name), default=0)
    if not install_step:
        return [(_started_step(run, name, True) or 0,
                 f"no step installs a system on {name}'s disk (start it with the installer's kernel and "
                 "its console, then run sysinst): the domU has nothing to boot")]
    if dom is None:
        config = f"{CONFIG_DIR}/{name}"
        tried = [e for e in run.events if e["step"] > install_step and e.get("cmd") in ("xl", "xm")
                 and e.get("argv", [None])[:1] == ["create"] and e.get("rc")]
        if tried:
            return []  # the failed start is reported where it happened
        return [(_started_step(run, name) or install_step,
                 f"at the end, the domain {name} is not running: installed at step {install_step}, it is "
                 f"never started again with its own kernel ({setup.get('toolstack', 'xl')} create -c {config})")]
    start = _started_step(run, name)
    out = []
    if not dom.get("console"):
        out.append((start, f"nobody reaches {name}'s console once it runs its installed system "
                           f"({setup.get('toolstack', 'xl')} create -c, or {setup.get('toolstack', 'xl')} "
                           f"console {name}), so nobody can log in"))
    from xenhowto.verify.standins.network import uplink
    for i, vif in enumerate(dom.get("vifs", [])):
        why = uplink(state, vif.get("bridge"))
        if why:
            bridge = vif.get("bridge") or ""
            culprit = run.last_step_touching(f"/etc/ifconfig.{bridge}", "/etc/npf.conf", "/etc/sysctl.conf") \
                or start
            out.append((culprit, f"{name}'s vif {i} is on {bridge or 'no bridge'}, which cannot reach the "
                                 f"network: {why}"))
    if not dom.get("vifs"):
        out.append((start, f"{name} has no vif: it cannot be reached over the network"))
    if domu_root is not None:
        out += _domu_settings(run, domu_root, name)
    return out


def _domu_settings(run: Run, domu_root: str, name: str) -> list[Problem]:
    """Login on the console and the network, from the domU's own /etc."""
    step = run.domu_step or 0
    rc = world.rc_conf(domu_root)
    out = []
    if rc.get("hostname") != name:
        out.append((step, f"the domU's /etc/rc.conf sets hostname={rc.get('hostname') or '(nothing)'}, "
                          f"not {name}"))
    if run.setup.get("network") == "nat":
        gateway, want = "10.0.0.1", "10.0.0."
        if want not in rc.get("ifconfig_xennet0", "") or rc.get("defaultroute") != gateway:
            out.append((step, "behind NAT the domU needs a fixed address on the domUs' network and the "
                              f"dom0 as gateway (ifconfig_xennet0=\"inet 10.0.0.2 netmask 255.255.255.0\", "
                              f"defaultroute={gateway} in its /etc/rc.conf)"))
    elif not world.checkyesno(rc.get("dhcpcd")) and "dhcp" not in rc.get("ifconfig_xennet0", ""):
        out.append((step, "the domU's /etc/rc.conf configures no network (dhcpcd=YES, or ifconfig_xennet0)"))
    if not world.checkyesno(rc.get("powerd")):
        out.append((step, "the domU's /etc/rc.conf does not enable powerd: shutting the dom0 down (or "
                          f"{run.setup.get('toolstack', 'xl')} shutdown {name}) would not stop it cleanly"))
    on = _ttys_on(domu_root)
    consoles = [t for t in on if t in ("console", "constty")]
    if not consoles:
        out.append((step, "the domU's /etc/ttys runs no getty on the console: no login prompt there"))
    elif len(consoles) > 1:
        out.append((step, "the domU's /etc/ttys runs getty on both console and constty: two login "
                          "prompts fight over one console"))
    screens = [t for t in on if t.startswith("ttyE")]
    if screens:
        out.append((step, f"the domU's /etc/ttys runs getty on {', '.join(screens)}: a domU has no wscons "
                          "screens, so init respawns them forever"))
    return out


def _ttys_on(root: str) -> list[str]:
    try:
        with open(os.path.join(root, "etc/ttys"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) >= 4 and " on " in f" {' '.join(words[2:])} ":
            out.append(words[0])
    return out


def persistent_end(run: Run) -> list[Problem]:
    """What the next dom0 boot needs to bring the domU's storage and network back."""
    setup = run.setup
    rc = world.rc_conf(run.root)
    out = []
    step = run.last_step_touching("/etc/rc.conf")
    if setup.get("disk") == "lvm" and not world.checkyesno(rc.get("lvm")):
        lvm_step = max((e["step"] for e in run.events if e.get("cmd") == "lvm" and not e.get("rc")), default=step)
        out.append((lvm_step, "/etc/rc.conf does not set lvm=YES: after the next boot the logical volumes are "
                          "not active and the domU's disk is missing"))
    if setup.get("network") == "nat":
        if not world.checkyesno(rc.get("npf")):
            out.append((step, "/etc/rc.conf does not set npf=YES: after the next boot nothing translates the "
                              "domUs' addresses"))
        try:
            with open(world.at(run.root, "/etc/sysctl.conf"), encoding="utf-8", errors="replace") as f:
                sysctl_conf = f.read()
        except OSError:
            sysctl_conf = ""
        if not any(line.split("#", 1)[0].replace(" ", "") == "net.inet.ip.forwarding=1"
                   for line in sysctl_conf.splitlines()):
            out.append((run.last_step_touching("/etc/sysctl.conf"),
                        "/etc/sysctl.conf does not set net.inet.ip.forwarding=1: after the next boot the "
                        "dom0 no longer routes for the domUs"))
    elif setup.get("network") == "bridge":
        nic = str(setup.get("nic") or "wm0")
        try:
            with open(world.at(run.root, "/etc/ifconfig.bridge0"), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        if text and nic not in text.split():
            words = " ".join(text.split())
            if f"add {nic}" not in words:
                out.append((run.last_step_touching("/etc/ifconfig.bridge0"),
                            f"/etc/ifconfig.bridge0 does not add {nic} to the bridge: after the next boot "
                            "the domUs have no way out"))
    return out


def console_text(run: Run, texts: list[str]) -> list[Problem]:
    """A step that tells how to leave a console (^]) before any step opened one."""
    opened = {e["step"] for e in run.events
              if (e.get("effect") or {}).get("console") or (e.get("effect") or {}).get("domu_installed")}
    first = min(opened, default=None)
    return [(n, "tells how to leave a console (^]) before any step opened one")
            for n, text in enumerate(texts, 1) if "^]" in text and (first is None or first > n)]


# --- the step's own commands ------------------------------------------------------------------

def toolstack_now(run: Run, step: int, events: list[dict]) -> list[Problem]:
    want = run.setup.get("toolstack")
    out = []
    for e in events:
        if e.get("cmd") in ("xl", "xm") and want and e["cmd"] != want and not e.get("via"):
            key = ("toolstack", step, e["cmd"])
            if key not in run.reported:
                run.reported.add(key)
                out.append((step, f"runs {e['cmd']} but the setup's toolstack is {want}"))
    return out


# --- entry points ------------------------------------------------------------------------------

def after_step(run: Run, step: int, changed: set[str], events: list[dict]) -> list[Problem]:
    out = []
    if "/etc/rc.conf" in changed:
        out += rc_conf_now(run, step)
    if any(p.startswith(CONFIG_DIR + "/") for p in changed):
        out += macs_now(run, step)
    out += toolstack_now(run, step, events)
    return out


def at_end(run: Run, texts: list[str] | None = None, domu_root: str | None = None) -> tuple[list[Problem], list[str]]:
    state = run.state()
    problems = rc_conf_end(run) + boot_end(run, state) + packages_end(run) + domu_end(run, state) \
        + autostart_end(run) + macs_now(run, len(run.titles)) + persistent_end(run) \
        + domu_goal_end(run, state, domu_root) + console_text(run, texts or [])
    return problems, boot_menu_notes(run, state)
