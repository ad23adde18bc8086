"""One entry point for every stand-in, so each call is checked and recorded alike.

``main(name, argv)`` runs stand-in ``name`` with the machine's state loaded,
prints what the command prints, and appends one ledger line: the command,
its arguments, its working directory, its exit status, its error message and
what it changed (``effect``).  A failing stand-in exits non-zero with a
message in NetBSD's style, so the guide's shell step fails where the real
command would have.
"""
from __future__ import annotations

import os
import sys

from . import world
from .world import StandinError

# command: (module, function); modules are imported on demand, as start-up
# time is most of what a stand-in costs.
COMMANDS = {
    "pkg_add": ("pkgsrc", "pkg_add"),
    "pkg_delete": ("pkgsrc", "pkg_delete"),
    "pkg_info": ("pkgsrc", "pkg_info"),
    "MAKEDEV": ("devices", "makedev"),
    "vnconfig": ("devices", "vnconfig"),
    "ifconfig": ("network", "ifconfig"),
    "brconfig": ("network", "brconfig"),
    "installboot": ("boot", "installboot"),
    "fdisk": ("boot", "fdisk"),
    "reboot": ("boot", "reboot"),
    "shutdown": ("boot", "shutdown"),
    "cpuctl": ("cpu", "cpuctl"),
    "uname": ("cpu", "uname"),
    "dd": ("disk", "dd"),
    "xl": ("xentools", "xl"),
    "xm": ("xentools", "xm"),
    "ftp": ("fetch", "ftp"),
    "lvm": ("storage", "lvm"),
    "disklabel": ("storage", "disklabel"),
    "sysctl": ("system", "sysctl"),
    "npfctl": ("system", "npfctl"),
}
# Every name a wrapper is written for, outside of /etc/rc.d.
NAMES = tuple(COMMANDS)


def _function(module: str, name: str):
    import importlib
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


class Context:
    """What a stand-in call sees: the root, its cwd, the state, its output."""

    def __init__(self, root: str, name: str, argv: list[str], cwd: str | None = None,
                 out: list[str] | None = None, err: list[str] | None = None):
        self.root = root
        self.name = name
        self.argv = argv
        self.cwd = cwd or (os.getcwd() if root in ("", "/") else "/")
        self.state = world.load_state(root)
        self.effect: dict = {}
        self.stdout = out  # lists of text when the driver runs it in process, else the streams
        self.stderr = err

    def out(self, text: str) -> None:
        if self.stdout is None:
            print(text, flush=True)
        else:
            self.stdout.append(text + "\n")

    def warn(self, text: str) -> None:
        self.error(f"{self.name}: {text}")

    def error(self, line: str) -> None:
        if self.stderr is None:
            print(line, file=sys.stderr, flush=True)
        else:
            self.stderr.append(line + "\n")

    def path(self, p: str) -> str:
        """Host path of ``p`` as the machine sees it (relative to cwd)."""
        return world.at(self.root, world.absolute(p, self.cwd))

    def save(self) -> None:
        world.save_state(self.root, self.state)

    def reload(self) -> None:
        self.state = world.load_state(self.root)


def main(name: str, argv: list[str], root: str = "/", cwd: str | None = None, via: str | None = None,
         out: list[str] | None = None, err: list[str] | None = None) -> int:
    """Run stand-in ``name``; ``cwd``, ``via`` and the output lists are given by the
    driver (server.py), which runs many calls in one process; a stand-in run on
    its own takes them from its process."""
    if name.startswith("rc.d/"):
        run = _function("rcd", "run")
        func = lambda ctx, args: run(ctx, name[len("rc.d/"):], args)  # noqa: E731
        shown = "/etc/" + name
    elif name in COMMANDS:
        func, shown = _function(*COMMANDS[name]), name
    else:
        line = f"{name}: no such stand-in"
        err.append(line + "\n") if err is not None else print(line, file=sys.stderr)
        return 127
    ctx = Context(root, shown, argv, cwd, out, err)
    event = {"cmd": name, "argv": argv, "cwd": ctx.cwd}
    via = via if (out is not None or via) else os.environ.get("XENHOWTO_STANDIN_VIA")
    if via:
        event["via"] = via
    try:
        func(ctx, argv)
        rc = 0
    except StandinError as e:
        rc = e.rc
        event["error"] = str(e)
        for line in str(e).splitlines() or [""]:
            ctx.error(f"{shown}: {line}")
    event["rc"] = rc
    event["effect"] = ctx.effect
    ctx.save()
    world.append_ledger(root, event)
    return rc
