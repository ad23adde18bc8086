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
    words = list(rest)
    if words and words[0] in ("inet", "inet6", "link"):
        words = words[1:]
        if not words:
            raise UsageError(_IF_USAGE)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "up":
            ifs[name]["up"] = True
        elif word == "down":
            ifs[name]["up"] = False
        elif word in ("create", "destroy"):
            raise UsageError(_IF_USAGE)
        elif word in ("netmask", "prefixlen", "broadcast", "mtu", "metric", "media", "mediaopt"):
            if i + 1 >= len(words):
                raise UsageError(_IF_USAGE)
            if word in ("netmask", "prefixlen"):
                bits = _prefix(word, words[i + 1])
                if bits is None:
                    raise StandinError(f"{words[i + 1]}: bad value")
                if ifs[name].get("inet"):
                    ifs[name]["inet"] = ifs[name]["inet"].split("/")[0] + f"/{bits}"
            i += 1
        elif i == 0 and rest[0] == "inet" or (i == 0 and _address(word)):
            if not _address(word.split("/")[0]):
                raise StandinError(f"{word}: bad value")
            ifs[name]["inet"] = word if "/" in word else f"{word}/{_classful(word)}"
        elif word in ("alias", "-alias", "delete", "-arp", "arp", "debug", "-debug"):
            pass
        else:
            raise StandinError(f"{word}: bad value")
        i += 1
    ctx.effect.update({"interface": name, "args": rest})


def _address(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and p.isascii() and int(p) < 256 for p in parts)


def _classful(addr: str) -> int:
    first = int(addr.split(".")[0])
    return 8 if first < 128 else 16 if first < 192 else 24


def _prefix(kind: str, value: str) -> int | None:
    """The prefix length of ``netmask 255.255.255.0`` (or 0xffffff00) or ``prefixlen 24``."""
    if kind == "prefixlen":
        return int(value) if value.isdigit() and int(value) <= 32 else None
    if value.lower().startswith("0x"):
        try:
            mask = int(value, 16)
        except ValueError:
            return None
    elif _address(value):
        mask = 0
        for p in value.split("."):
            mask = mask << 8 | int(p)
    else:
        return None
    bits = bin(mask).count("1")
    return bits if mask == (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF else None


def _network(cidr: str) -> tuple[int, int] | None:
    """(network as an int, prefix) of "10.0.0.1/24"."""
    addr, _, bits = cidr.partition("/")
    if not _address(addr) or not bits.isdigit():
        return None
    value = 0
    for p in addr.split("."):
        value = value << 8 | int(p)
    n = int(bits)
    return value & ((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF), n


def within(inner: str, outer: str) -> bool:
    """Is network ``inner`` (an address/prefix) inside ``outer``?"""
    a, b = _network(inner), _network(outer)
    if not a or not b:
        return False
    return a[1] >= b[1] and (a[0] & ((0xFFFFFFFF << (32 - b[1])) & 0xFFFFFFFF)) == b[0]


def uplink(state: dict, bridge: str | None) -> str | None:
    """Why a domU on ``bridge`` cannot reach the outside network through the dom0, or None.

    Bridged: the bridge is up with the dom0's own interface (the setup's nic)
    in it.  NAT: the bridge has an address (the domUs' gateway), the dom0
    forwards IPv4, and npf is on with a map on the nic for that network.
    """
    from .system import sysctl_value
    nic = state["machine"].get("nic") or "wm0"
    ifs = state["interfaces"]
    if bridge is None:
        return "its vif names no bridge"
    info = ifs.get(bridge)
    if info is None:
        return f"{bridge} does not exist"
    if not info.get("up"):
        return f"{bridge} is down (ifconfig {bridge} up)"
    if nic in info["members"]:
        return None
    if not info.get("inet"):
        return (f"{bridge} does not have the dom0's interface {nic} in it (brconfig {bridge} add {nic}) "
                "and has no address to route through")
    if sysctl_value(state, "net.inet.ip.forwarding") != "1":
        return (f"{bridge} has no uplink ({nic} is not in it) and the dom0 does not forward IPv4 "
                "(net.inet.ip.forwarding is 0)")
    npf = state.get("npf") or {}
    if not npf.get("enabled"):
        return f"{bridge} has no uplink ({nic} is not in it) and npf is not on to translate its addresses"
    maps = (npf.get("config") or {}).get("maps", [])
    if not any(m["iface"] == nic and within(info["inet"], m["net"]) for m in maps):
        return (f"npf has no map on {nic} for {bridge}'s network {info['inet']} "
                f"(maps: {', '.join(m['iface'] + ' ' + m['net'] for m in maps) or 'none'})")
    return None


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
