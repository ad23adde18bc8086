"""sysctl(8) and npfctl(8): what NAT for domUs needs of the dom0's kernel.

A dom0 that routes for its domUs forwards IPv4 (``net.inet.ip.forwarding=1``,
at once with ``sysctl -w``, at boot from /etc/sysctl.conf) and translates
their addresses with npf(7): ``npfctl reload`` loads /etc/npf.conf, ``npfctl
start`` turns filtering on; /etc/rc.d/npf does both when ``npf=YES``.

The npf.conf reader takes the part of npf.conf(5) a NAT setup uses:
variables (``$ext_if = { inet4(wm0) }``), ``map IF dynamic NET -> ADDR``
(or ``<-``), groups with ``pass``/``block`` rules, ``table``, ``alg``,
``procedure`` and ``set`` lines, comments.  Like npfctl it refuses an
undefined variable, an interface the machine lacks, a network that is not
an address/prefix, unbalanced braces and a configuration without ``group
default``, each with the line.
"""
from __future__ import annotations

from . import world
from .world import StandinError, UsageError

# The knobs a guide may read or set, with a fresh install's values.
DEFAULTS = {
    "net.inet.ip.forwarding": "0", "net.inet6.ip6.forwarding": "0", "kern.hostname": "dom0",
    "kern.ostype": "NetBSD", "hw.machine": "amd64", "machdep.xen.suspend": "0",
}
NPF_CONF = "/etc/npf.conf"


def sysctl_value(state: dict, name: str) -> str | None:
    return (state.get("sysctl") or {}).get(name, DEFAULTS.get(name))


def apply_sysctl_conf(ctx) -> list[str]:
    """/etc/rc.d/sysctl at boot: each ``name=value`` line of /etc/sysctl.conf; returns problems."""
    problems = []
    try:
        with open(world.at(ctx.root, "/etc/sysctl.conf"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return problems
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, eq, value = line.partition("=")
        if not eq or name.strip() not in DEFAULTS:
            problems.append(f"/etc/sysctl.conf line {n}: sysctl: {name.strip()}: no such variable or not settable")
            continue
        ctx.state.setdefault("sysctl", {})[name.strip()] = value.strip()
    return problems


def sysctl(ctx, argv: list[str]) -> None:
    """sysctl [-n] name ...; sysctl -w name=value ...; sysctl -a"""
    flags, operands = set(), []
    for a in argv:
        if a.startswith("-") and len(a) > 1 and not operands:
            flags.update(a[1:])
        else:
            operands.append(a)
    if not flags <= set("naweqx") or (not operands and "a" not in flags):
        raise UsageError("usage: sysctl [-dneq] [-x[x]|-r] variable ...\n"
                         "       sysctl [-ne] [-q] -w variable=value ...\n       sysctl [-dne] -a")
    if "a" in flags:
        for name in sorted(DEFAULTS):
            ctx.out(f"{name} = {sysctl_value(ctx.state, name)}")
        return
    changed = {}
    for op in operands:
        name, eq, value = op.partition("=")
        if name not in DEFAULTS:
            raise StandinError(f"{name}: no such variable in this stand-in's kernel "
                               f"(it knows {', '.join(sorted(DEFAULTS))})")
        if eq:
            if "w" not in flags and not eq:
                raise UsageError("usage: sysctl -w variable=value")
            if name.startswith(("kern.ostype", "hw.")):
                raise StandinError(f"{name}: Operation not permitted")
            old = sysctl_value(ctx.state, name)
            ctx.state.setdefault("sysctl", {})[name] = value
            changed[name] = value
            ctx.out(value if "n" in flags else f"{name}: {old} -> {value}")
        else:
            ctx.out(sysctl_value(ctx.state, name) if "n" in flags else f"{name} = {sysctl_value(ctx.state, name)}")
    if changed:
        ctx.effect["set"] = changed


# --- npf ---------------------------------------------------------------------------

def _ipv4_net(text: str) -> bool:
    addr, slash, prefix = text.partition("/")
    parts = addr.split(".")
    if len(parts) != 4 or not all(p.isdigit() and p.isascii() and int(p) < 256 for p in parts):
        return False
    return not slash or (prefix.isdigit() and prefix.isascii() and int(prefix) <= 32)


def _ifaces(words: list[str], variables: dict, n: int) -> list[str]:
    """Interface names an address expression refers to ({ inet4(wm0) }, $var, wm0)."""
    out = []
    for w in words:
        if w.startswith("$"):
            if w not in variables:
                raise ValueError(f"line {n}: variable {w} is not defined")
            out += variables[w]["ifaces"]
        elif w.startswith(("inet4(", "inet6(", "inet(", "ifaddrs(")) and w.endswith(")"):
            out.append(w[w.index("(") + 1:-1])
        elif world.split_unit(w):
            out.append(w)
    return out


def _tokens(line: str) -> list[str]:
    for ch in "{},":
        line = line.replace(ch, f" {ch} ")
    return line.split()


def parse_npf_conf(text: str, interfaces: set[str]) -> dict:
    """The NAT rules of an npf.conf: {"maps": [{"iface", "net", "line"}], "groups": [...]}.

    Raises ValueError("line N: ...") where npfctl would refuse the file.
    """
    variables: dict[str, dict] = {}
    maps, groups, depth, has_default = [], [], 0, False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = _tokens(line)
        head = words[0]
        if head.startswith("$"):
            if len(words) < 3 or words[1] != "=":
                raise ValueError(f"line {n}: syntax error: a variable is set as $name = value")
            value = [w for w in words[2:] if w not in "{},"]
            variables[head] = {"words": value, "ifaces": _ifaces(value, variables, n)}
            continue
        if head == "}":
            depth -= 1
            if depth < 0:
                raise ValueError(f"line {n}: syntax error: '}}' closes nothing")
            continue
        if head == "map":
            if depth:
                raise ValueError(f"line {n}: syntax error: map is a top-level statement, not inside a group")
            arrow = "->" if "->" in words else "<-" if "<-" in words else None
            if arrow is None or len(words) < 5 or words[2] not in ("dynamic", "static"):
                raise ValueError(f"line {n}: syntax error: map IFACE dynamic|static NET -> ADDR")
            iface_words = _ifaces([words[1]], variables, n)
            if len(iface_words) != 1:
                raise ValueError(f"line {n}: map {words[1]}: not one interface")
            left = [w for w in words[3:words.index(arrow)] if w not in ("algo", "npt66", "ip-hash",
                                                                        "round-robin", "netmap")]
            right = words[words.index(arrow) + 1:]
            if not left or not right:
                raise ValueError(f"line {n}: syntax error: map needs addresses on both sides of {arrow}")
            net = left[-1]
            if not net.startswith("$") and not _ipv4_net(net):
                raise ValueError(f"line {n}: {net!r} is not an address or network (e.g. 10.0.0.0/24)")
            _ifaces(right, variables, n)
            maps.append({"iface": iface_words[0], "net": net, "line": n, "translation": arrow})
            continue
        if head == "group":
            if depth:
                raise ValueError(f"line {n}: syntax error: groups do not nest")
            if "{" not in words:
                raise ValueError(f"line {n}: syntax error: group ... {{")
            name = words[1]
            if name == "default":
                has_default = True
            elif "on" in words:
                _ifaces([words[words.index("on") + 1]], variables, n)
            groups.append(name.strip('"'))
            depth += 1
            continue
        if head in ("pass", "block"):
            if depth != 1:
                raise ValueError(f"line {n}: syntax error: rules belong inside a group {{ }}")
            if "on" in words:
                _ifaces([words[words.index("on") + 1]], variables, n)
            continue
        if head in ("table", "alg", "set"):
            continue
        if head == "procedure":
            if "{" in words:
                depth += 1
            continue
        raise ValueError(f"line {n}: syntax error near '{head}'")
    if depth:
        raise ValueError("end of file: syntax error: a '{' is not closed")
    if not has_default:
        raise ValueError("end of file: no 'group default': npfctl requires a default group")
    for v in variables.values():
        for iface in v["ifaces"]:
            if iface not in interfaces:
                raise ValueError(f"interface '{iface}' does not exist on this machine "
                                 f"({', '.join(sorted(interfaces))})")
    for m in maps:
        if m["iface"] not in interfaces:
            raise ValueError(f"line {m['line']}: interface '{m['iface']}' does not exist on this machine")
    return {"maps": maps, "groups": groups}


def _load(ctx, path: str = NPF_CONF) -> dict:
    try:
        with open(ctx.path(path), encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        raise StandinError(f"could not open {path}: No such file or directory") from None
    try:
        return parse_npf_conf(text, set(ctx.state["interfaces"]))
    except ValueError as e:
        raise StandinError(f"{path}: {e}") from None


def npfctl(ctx, argv: list[str]) -> None:
    """npfctl start|stop|reload [path]|flush|show|validate [path]|stats"""
    usage = ("usage: npfctl start | stop | flush | show | stats\n"
             "       npfctl validate | reload [<rule-file>]")
    if not argv:
        raise UsageError(usage)
    cmd, args = argv[0], argv[1:]
    npf = ctx.state.setdefault("npf", {"enabled": False, "config": None})
    if cmd in ("reload", "validate"):
        if len(args) > 1:
            raise UsageError(usage)
        config = _load(ctx, args[0] if args else NPF_CONF)
        if cmd == "reload":
            npf["config"] = config
            ctx.effect["loaded"] = config
        return
    if args:
        raise UsageError(usage)
    if cmd == "start":
        npf["enabled"] = True
        ctx.out("Filtering:        active")
    elif cmd == "stop":
        npf["enabled"] = False
        ctx.out("Filtering:        inactive")
    elif cmd == "flush":
        npf["config"] = None
    elif cmd in ("show", "stats"):
        ctx.out(f"# filtering:\t{'active' if npf['enabled'] else 'inactive'}\n# config:\t"
                + ("loaded" if npf.get("config") else "empty"))
        for m in (npf.get("config") or {}).get("maps", []):
            ctx.out(f"map {m['iface']} dynamic {m['net']} -> {m['iface']}")
    else:
        raise UsageError(f"unknown command '{cmd}'\n{usage}")
    ctx.effect["npf"] = cmd


def start_npf(ctx) -> None:
    """/etc/rc.d/npf start: load /etc/npf.conf, then turn filtering on."""
    npf = ctx.state.setdefault("npf", {"enabled": False, "config": None})
    npf["config"] = _load(ctx)
    npf["enabled"] = True
    ctx.out("Enabling NPF.")
