"""cpuctl and uname: what the HOWTO asks of the processor and the system.

"cpuctl identify 0" shows whether the CPU has VMX/SVM, which HVM domUs need;
uname answers as NetBSD (the host's uname would say Linux).
"""
from __future__ import annotations

from .world import StandinError, UsageError

_CPUCTL_USAGE = ("usage: cpuctl identify cpuno\n       cpuctl list\n       cpuctl offline cpuno ...\n"
                 "       cpuctl online cpuno ...\n       cpuctl intr cpuno ...\n       cpuctl nointr cpuno ...\n"
                 "       cpuctl ucode [cpuno] [file]")


def cpuctl(ctx, argv: list[str]) -> None:
    machine = ctx.state["machine"]
    cpus = machine.get("cpus", 4)
    if argv and argv[0] == "-v":
        argv = argv[1:]
    if not argv:
        raise UsageError(_CPUCTL_USAGE)
    cmd, args = argv[0], argv[1:]
    if cmd == "list":
        if args:
            raise UsageError(_CPUCTL_USAGE)
        ctx.out("Num  HwId Unbind LWPs Online Intr Offline since")
        for n in range(cpus):
            ctx.out(f"{n:<4} {n:<4} no     0    online intr never")
        return
    if cmd not in ("identify", "offline", "online", "intr", "nointr", "ucode"):
        raise UsageError(_CPUCTL_USAGE)
    if cmd == "ucode":
        return
    if not args or (cmd == "identify" and len(args) != 1):
        raise UsageError(_CPUCTL_USAGE)
    for a in args:
        if not a.isdigit() or int(a) >= cpus:
            raise StandinError(f"cpu {a}: Invalid argument" if a.isdigit() else f"invalid cpu number {a!r}")
    if cmd == "identify":
        feat = "VMX" if machine.get("hvm", True) else "no VMX/SVM"
        ctx.out(f"cpu{args[0]}: Intel(R) Xeon(R) CPU E5-1650 v2 @ 3.50GHz, id 0x306e4 (stand-in)\n"
                f"cpu{args[0]}: features1 0xbfebfbff<FPU,VME,DE,PSE,TSC,MSR,PAE,MCE,CX8,APIC>\n"
                f"cpu{args[0]}: features2 0x7fbee3ff<SSE3,PCLMULQDQ,DTES64,MONITOR,DS-CPL,{feat},SMX>")
    ctx.effect.update({"cpuctl": cmd, "cpus": args})


def uname(ctx, argv: list[str]) -> None:
    """uname [-amnprsv]"""
    flags = set()
    for a in argv:
        if not a.startswith("-") or not set(a[1:]) <= set("amnprsv") or a == "-":
            raise UsageError("usage: uname [-amnprsv]")
        flags.update(a[1:])
    machine = ctx.state["machine"]
    booted = ctx.state.get("booted") or {}
    release = f"{machine.get('netbsd', '7')}.0" if str(machine.get("netbsd", "7")).isdigit() else "9.99.1"
    fields = {"s": "NetBSD", "n": machine.get("hostname", "dom0"), "r": release,
              "v": f"NetBSD {release} ({booted.get('config') or 'GENERIC'})", "m": machine["arch"],
              "p": "x86_64" if machine["arch"] == "amd64" else "i386"}
    if "a" in flags:
        flags = set("snrvmp")
    if not flags:
        flags = {"s"}
    ctx.out(" ".join(fields[k] for k in "snrvmp" if k in flags))
