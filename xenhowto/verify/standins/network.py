"""ifconfig and brconfig: the interfaces a bridged domU needs.

A vif's ``bridge=bridge0`` only works if bridge0 exists in the dom0 when the
domain starts: made by ``ifconfig bridge0 create`` (by hand, or by
/etc/netstart from /etc/ifconfig.bridge0 at boot) and given the dom0's
interface with ``brconfig bridge0 add wm0``.  The machine has lo0 and wm0.
"""
from __future__ import annotations

from . import world
from .world import StandinError, UsageError

CLONERS = ("bridge", "vlan", "tap", "tun", "gif", "gre", "agr", "carp", "lo", "vether", "l2tp", "ppp",
           "pppoe", "sl", "stf", "strip", "srt", "faith")
_IF_USAGE = ("usage: ifconfig [-h] [-v] [-z] [-L] interface\n"
             "\t[ af [ address [ dest_addr ] ] [ netmask mask ] [ prefixlen n ]\n"
             "\t\t[ alias | -alias ] ]\n\t[ up ] [ down ] [ metric n ] [ mtu n ]\n"
             "       ifconfig -a [-b] [-d] [-h] [-s] [-u] [-v] [-z] [ af ]\n"
             "       ifconfig -l [-b] [-d] [-s] [-u]\n       ifconfig -s interface\n"
             "       ifconfig interface create\n       ifconfig interface destroy\n       ifconfig -C")


def _show(ctx, name: str, info: dict) -> None:
    flags = "UP,BROADCAST,RUNNING,MULTICAST" if info.get("up") else "BROADCAST,MULTICAST"
    ctx.out(f"{name}: flags=0x8843<{flags}> mtu 1500")
    if info.get("members"):
        ctx.out("\tmembers: " + " ".join(info["members"]))


def ifconfig(ctx, argv: list[str]) -> None:
    ifs = ctx.state["interfaces"]
    if not argv:
        raise UsageError(_IF_USAGE)
    if argv[0] == "-C":
        ctx.out(" ".join(CLONERS))
        return
    if argv[0].startswith("-") and argv[0][1:2] in ("a", "l"):
        if not set(argv[0][1:]) <= set("abdhlmNsuvz") or any(not a.startswith("-") for a in argv[1:]
                                                               if a not in ("inet", "inet6", "link")):
            raise UsageError(_IF_USAGE)
        if "l" in argv[0]:
            ctx.out(" ".join(sorted(ifs)))
        else:
            for name in sorted(ifs):
                _show(ctx, name, ifs[name])
        return
    while argv and argv[0] in ("-h", "-v", "-z", "-L", "-N", "-s"):
        argv = argv[1:]
    if not argv or not world.split_unit(argv[0]):
        raise UsageError(_IF_USAGE)
    name, rest = argv[0], argv[1:]
    kind = world.split_unit(name)[0]
    if rest == ["create"]:
        if kind not in CLONERS:
            raise StandinError("SIOCIFCREATE: Invalid argument")
        if name in ifs:
            raise StandinError("SIOCIFCREATE: File exists")
        ifs[name] = {"up": False, "members": []}
        ctx.effect["created"] = name
        return
    if name not in ifs:
        raise StandinError(f"SIOCGIFFLAGS {name}: Device not configured")
    if rest == ["destroy"]:
        if kind not in CLONERS:
            raise StandinError("SIOCIFDESTROY: Invalid argument")
        del ifs[name]
        for other in ifs.values():
            if name in other["members"]:
                other["members"].remove(name)
        ctx.effect["destroyed"] = name
        return
    if not rest:
        _show(ctx, name, ifs[name])
        return
    for word in rest:
        if word == "up":
            ifs[name]["up"] = True
        elif word == "down":
            ifs[name]["up"] = False
        elif word in ("create", "destroy"):
            raise UsageError(_IF_USAGE)
    ctx.effect.update({"interface": name, "args": rest})


_BR_USAGE = ("usage: brconfig -a\n       brconfig bridge\n       brconfig bridge command [args ...]")
# brconfig(8) commands and how many arguments each takes.
_BR_COMMANDS = {
    "add": 1, "delete": 1, "up": 0, "down": 0, "addr": 0, "discover": 1, "-discover": 1,
    "learn": 1, "-learn": 1, "flush": 0, "flushall": 0, "ipf": 0, "-ipf": 0, "maxaddr": 1,
    "hellotime": 1, "fwddelay": 1, "maxage": 1, "priority": 1, "ifpriority": 2, "ifpathcost": 2,
    "protect": 1, "-protect": 1, "stp": 1, "-stp": 1, "static": 2, "deladdr": 1, "timeout": 1,
}


def brconfig(ctx, argv: list[str]) -> None:
    ifs = ctx.state["interfaces"]
    if argv == ["-a"]:
        for name in sorted(n for n in ifs if n.startswith("bridge")):
            _show(ctx, name, ifs[name])
        return
    if not argv or argv[0].startswith("-"):
        raise UsageError(_BR_USAGE)
    bridge, rest = argv[0], argv[1:]
    if bridge not in ifs:
        raise StandinError(f"unable to get flags for {bridge}: Device not configured")
    if not bridge.startswith("bridge"):
        raise StandinError(f"{bridge}: not a bridge interface")
    changes = []
    while rest:
        cmd = rest[0]
        if cmd not in _BR_COMMANDS:
            raise UsageError(f"unknown command: {cmd}\n{_BR_USAGE}")
        n = _BR_COMMANDS[cmd]
        args = rest[1:1 + n]
        if len(args) < n:
            raise UsageError(f"command '{cmd}' requires an argument")
        rest = rest[1 + n:]
        members = ifs[bridge]["members"]
        if cmd == "add":
            member = args[0]
            if member not in ifs:
                raise StandinError(f"add {member}: No such file or directory")
            if member == bridge or member.startswith("bridge"):
                raise StandinError(f"add {member}: Invalid argument")
            if any(member in i["members"] for i in ifs.values()):
                raise StandinError(f"add {member}: Device busy")
            members.append(member)
        elif cmd == "delete":
            if args[0] not in members:
                raise StandinError(f"delete {args[0]}: No such file or directory")
            members.remove(args[0])
        elif cmd == "up":
            ifs[bridge]["up"] = True
        elif cmd == "down":
            ifs[bridge]["up"] = False
        changes.append([cmd] + args)
    if not changes:
        _show(ctx, bridge, ifs[bridge])
    ctx.effect.update({"bridge": bridge, "changes": changes})
