"""The Xen rc.d scripts xentools installs: xencommons, xend, xenbackendd,
xen-watchdog, xendomains.

They behave like rc.subr's run_rc_command: ``start`` refuses when the
script's variable is not YES in rc.conf (``onestart`` does not ask), and at
boot a disabled script is skipped.  What the daemons need is what the
HOWTO's "Configuring Xen" section says: xencommons (xenstored) needs the
Xen kernel booted (without it, it hangs), /dev/xenevt (``sh MAKEDEV xen``)
and tools of the same Xen version; xend needs xenstored on 4.x; xendomains
starts the domains rc.conf's ``xendomains`` names, with the program the
package's script uses.
"""
from __future__ import annotations

import os

from . import pkgsrc, world
from .world import StandinError, UsageError

BOOT_ORDER = ("xencommons", "xend", "xenbackendd", "xen-watchdog", "xendomains")
# NetBSD's own scripts a guide enables: (module, function) that starts each.
SYSTEM_SCRIPTS = {"lvm": ("storage", "start_lvm"), "npf": ("system", "start_npf")}
_KEYWORDS = ("start", "stop", "restart", "status", "rcvar")


def tools(root: str) -> tuple[str | None, tuple]:
    """The installed xentools suffix ("46") and its row of pkgsrc.PACKAGES."""
    for name in pkgsrc.installed(root):
        if name.startswith("xentools"):
            suffix = name[len("xentools"):]
            return suffix, pkgsrc.PACKAGES[suffix]
    return None, ()


def toolstack_of_scripts(suffix: str) -> str:
    """The program xendomains uses (xentools41's later scripts use xm; 4.2 and later xl)."""
    return "xm" if suffix in ("3", "33", "41") else "xl"


def _requirements(ctx, script: str) -> str | None:
    """Why ``script`` cannot start now, or None."""
    state = ctx.state
    booted = state.get("booted") or {}
    suffix, row = tools(ctx.root)
    if not booted.get("xen"):
        return (f"hangs: the running kernel is {booted.get('kernel', '?')} ({booted.get('config') or '?'}), "
                "not a dom0 under Xen: boot the Xen entry of /boot.cfg first (^C to get out)")
    if suffix is None:
        return "no xentools package is installed"
    if booted.get("xen_version") and booted["xen_version"] != row[0]:
        return (f"the tools of xentools{suffix} (Xen {row[0]}) do not match the running Xen "
                f"{booted['xen_version']} ({booted['xen']}): install matching xenkernel and xentools")
    running = state["daemons"]
    if not os.path.exists(world.at(ctx.root, "/kern/xen/privcmd")):
        return "/kern/xen/privcmd is not readable: /kern (kernfs) must be mounted (see /etc/fstab)"
    if script == "xencommons":
        if not os.path.exists(world.at(ctx.root, "/dev/xenevt")):
            return "xenstored: cannot open /dev/xenevt: No such file or directory (cd /dev && sh MAKEDEV xen)"
    elif script == "xend":
        if "xencommons" in row[5] and "xencommons" not in running:
            return "xenstored is not running: start xencommons before xend"
        if not os.path.exists(world.at(ctx.root, "/dev/xenevt")):
            return "cannot open /dev/xenevt: No such file or directory (cd /dev && sh MAKEDEV xen)"
    elif script == "xenbackendd":
        if "xend" not in running:
            return "xenstored is not running: start xend before xenbackendd"
    elif script in ("xen-watchdog", "xendomains"):
        need = "xencommons" if "xencommons" in row[5] else "xend"
        if need not in running:
            return f"{need} is not running: start it first"
        if script == "xendomains" and toolstack_of_scripts(suffix) == "xm" and "xend" not in running:
            return "xend is not running: this package's xendomains uses xm"
    return None


def _start(ctx, script: str) -> list[str]:
    """Start ``script``'s daemon; returns what went wrong with the domains it starts."""
    if script in SYSTEM_SCRIPTS:
        import importlib
        module, func = SYSTEM_SCRIPTS[script]
        getattr(importlib.import_module(f"{__package__}.{module}"), func)(ctx)
        if script not in ctx.state["daemons"]:
            ctx.state["daemons"].append(script)
        return []
    if script == "xendomains" and not world.rc_conf(ctx.root).get("xendomains", "").split():
        return []  # "[ -n "$xendomains" ] || return" (pkgsrc files/xendomains.sh)
    why = _requirements(ctx, script)
    if why:
        raise StandinError(why)
    if script != "xendomains" and script not in ctx.state["daemons"]:
        ctx.state["daemons"].append(script)
    ctx.out("Starting xenservices: xenstored, xenconsoled." if script == "xencommons"
            else f"Starting {pkgsrc.rcvar(script) or script}.")
    if script != "xendomains":
        return []
    from . import xentools  # here: xentools imports rcd's helpers
    problems = []
    suffix, _ = tools(ctx.root)
    program = toolstack_of_scripts(suffix)
    for name in world.rc_conf(ctx.root).get("xendomains", "").split():
        config = f"/usr/pkg/etc/xen/{name}"
        try:
            xentools.create(ctx, program, config, console=False)
        except StandinError as e:
            problems.append(f"xendomains: {name}: {e}")
    if "xendomains" not in ctx.state["daemons"]:
        ctx.state["daemons"].append("xendomains")
    return problems


def run(ctx, script: str, argv: list[str]) -> None:
    """/etc/rc.d/SCRIPT [fast|force|one](start|stop|restart|status|rcvar)"""
    usage = f"Usage: /etc/rc.d/{script} [fast|force|one](" + "|".join(_KEYWORDS) + ")"
    if len(argv) != 1:
        raise UsageError(usage)
    arg, prefix = argv[0], ""
    for p in ("fast", "force", "one"):
        if arg.startswith(p) and arg[len(p):] in _KEYWORDS:
            prefix, arg = p, arg[len(p):]
            break
    if arg not in _KEYWORDS:
        raise UsageError(f"unknown directive '{argv[0]}'.\n{usage}")
    var = pkgsrc.rcvar(script)
    enabled = var is None or world.checkyesno(world.rc_conf(ctx.root).get(var))
    if arg == "rcvar":
        ctx.out(f"# {script}" + (f"\n${var}={'YES' if enabled else 'NO'}" if var else ""))
        return
    var = var or script
    if not enabled and prefix not in ("one", "force"):
        raise StandinError(f"${var} is not enabled - see rc.conf(5).\n"
                           f"Use the following if you wish to perform the operation:\n"
                           f"  /etc/rc.d/{script} one{arg}")
    running = ctx.state["daemons"]
    ctx.effect["script"] = script
    ctx.effect["action"] = arg
    if arg == "status":
        if script not in running:
            raise StandinError(f"{var} is not running.")
        ctx.out(f"{var} is running.")
        return
    if arg in ("stop", "restart"):
        if script not in running and arg == "stop":
            raise StandinError(f"{var} not running?")
        if script == "xencommons" and script in running:
            ctx.warn("WARNING: xenstored cannot be restarted; domains and dom0 state are lost "
                     "(HOWTO, 'Issues with xencommons')")
        if script == "xendomains":
            from . import xentools
            for name in list(ctx.state["domains"]):
                xentools.remove_domain(ctx, name)
        if script in running:
            running.remove(script)
        if script == "npf":
            ctx.state.setdefault("npf", {})["enabled"] = False
        ctx.out(f"Stopping {var}.")
        if arg == "stop":
            return
    if script in running:
        raise StandinError(f"{var} already running? (pid=4242).")
    problems = _start(ctx, script)
    if problems:
        ctx.effect["problems"] = problems
        raise StandinError("\n".join(problems))


def start_at_boot(ctx, script: str) -> str | None:
    """What /etc/rc does with one script: skip it unless installed and enabled; else start it."""
    if not os.path.exists(world.at(ctx.root, f"/etc/rc.d/{script}")):
        return None
    var = pkgsrc.rcvar(script)
    if var is not None and not world.checkyesno(world.rc_conf(ctx.root).get(var)):
        return None
    booted = ctx.state.get("booted") or {}
    if not booted.get("xen") and script == "xencommons":
        return (f"/etc/rc.d/{script}: xencommons=YES but the machine booted {booted.get('kernel')} "
                "without Xen: the boot hangs here (^C to go on)")
    try:
        problems = _start(ctx, script)
    except StandinError as e:
        return f"/etc/rc.d/{script} at boot: {e}"
    return "\n".join(problems) or None
