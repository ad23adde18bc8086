"""NetBSD /boot.cfg: the boot.cfg(5) grammar, then the rules for booting Xen.

Why: a wrong /boot.cfg line does not fail loudly; the x86 boot loader skips
what it cannot use, and the reader finds out at the next reboot, without Xen
or without a console.  The grammar follows the manual page and the loader's
parser:

* boot.cfg(5), https://man.netbsd.org/boot.cfg.5 (share/man/man5/boot.cfg.5):
  ``keyword=value`` lines, no blanks around ``=``, ``#`` comments, the
  keywords banner, clear, consdev, default, format, load, menu, rndseed,
  timeout, userconf; ``menu=Label:command;command``, an empty label showing
  the command, ``prompt`` dropping to the boot prompt.
* sys/lib/libsa/bootcfg.c (perform_bootcfg): a ``#`` anywhere ends the line,
  keys are compared by prefix (``menuitem=`` counts as ``menu=``), lines
  without ``=`` are ignored, a menu value without ``:`` is dropped, timeout
  is -1 (wait forever) unless it starts with a digit; and
  sys/arch/i386/stand/lib/bootmenu.c: each ``;``-separated command is copied
  into an 80-byte buffer, and the menu's commands are boot prompt commands
  (boot(8) for x86: boot, consdev, dev, load, ls, modules, multiboot, ...).

The Xen rules are the HOWTO's: ``multiboot`` of ``xen.gz`` (or
``xen-debug.gz``) with a well-formed ``dom0_mem``, preceded by a ``load`` of
the dom0 kernel made for the architecture (``netbsd-XEN3_DOM0`` on amd64,
``netbsd-XEN3PAE_DOM0`` on i386; ``.ok``/``.old`` copies as in the RAID
example), and a serial console set on both sides: NetBSD counts serial ports
from com0 and Xen from com1, so NetBSD ``console=com0`` goes with Xen
``console=com1 com1=SPEED,8n1``, and NetBSD ``console=pc`` with Xen
``console=vga`` (Xen's default).
"""
from __future__ import annotations

import re

from xenhowto.findings import Finding

KEYWORDS = ("banner", "clear", "consdev", "default", "format", "load", "menu", "rndseed", "root",
            "timeout", "userconf", "fs")
#: Boot prompt commands of the x86 boot loader (boot(8) for x86, boot2.c), plus
#: the menu-only ``prompt``.
COMMANDS = frozenset({"boot", "consdev", "dev", "help", "?", "load", "ls", "menu", "modules",
                      "multiboot", "pkboot", "prompt", "quit", "reboot", "rndseed", "root", "splash",
                      "userconf", "vesa", "gop", "text", "fs", "mode", "efiboot"})
CONSDEVS = frozenset({"pc", "com0", "com1", "com2", "com3", "com0kbd", "com1kbd", "com2kbd",
                      "com3kbd", "auto", "nmdm"})
MAXMENU = 20  # BOOTCFG_MAXMENU in sys/lib/libsa/bootcfg.h
MAXBANNER = 12  # BOOTCFG_MAXBANNER (10 before NetBSD 9)
COMMAND_BUFFER = 80  # char input[80] in docommandchoice()

XEN_KERNEL_RE = re.compile(r"^xen(?:-debug)?(?:[.-][A-Za-z0-9_.-]*)?(?:\.gz)?$")
DOM0_KERNEL_RE = re.compile(r"^netbsd-(XEN3(?:PAE)?_DOM0)(?:\.[A-Za-z0-9_-]+)*?(?:\.gz)?$")
OTHER_XEN_KERNEL_RE = re.compile(r"XEN3(?:PAE)?_DOMU|GENERIC|INSTALL")
#: Xen's dom0_mem: [min:AMOUNT,][max:AMOUNT,][AMOUNT] (xen-command-line docs).
AMOUNT_RE = re.compile(r"^-?\d+[bBkKmMgGtT]?$|^\d+%$")
BAUDS = {"auto", "1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200", "230400"}
COM_SPEC_RE = re.compile(r"^(?P<baud>\d+|auto)(?:/\d+)?(?:,(?P<dps>[5-8][noems][12]))?(?:,.*)?$")


def arch_kernel(arch: str | None) -> str | None:
    if arch in ("amd64", "x86_64"):
        return "XEN3_DOM0"
    if arch in ("i386", "i386pae"):
        return "XEN3PAE_DOM0"
    return None


def validate_bootcfg(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """A /boot.cfg (or some of its lines).  Options: ``arch`` (amd64, i386), ``xen``."""
    findings: list[Finding] = []
    menus = banners = 0
    default_line = None
    default_value = None

    def at(line: int, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line + first_line - 1, message, severity))

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.split("#", 1)[0]  # bootcfg.c: a '#' anywhere starts a comment
        if "#" in raw and raw.split("#", 1)[0].strip() and raw.lstrip().startswith("menu"):
            at(number, "a `#` ends the line for the boot loader; the rest of this menu line is ignored",
               "warning")
        if not line.strip():
            continue
        if "=" not in line:
            word = line.strip().split()[0]
            severity = "error" if word.split(":")[0] in KEYWORDS else "warning"
            at(number, f"no `=` on this line, so the boot loader ignores it (boot.cfg lines are "
                       f"keyword=value)", severity)
            continue
        key, value = line.split("=", 1)
        if key != key.strip() or (value != value.lstrip() and key.strip() != "banner"):
            at(number, "no blanks around `=` in boot.cfg (boot.cfg(5))", "warning")
        key, value = key.strip(), value.strip() if key.strip() != "banner" else value
        matched = next((k for k in KEYWORDS if key.startswith(k[:4] if k in ("menu", "load", "root")
                                                              else k)), None)
        if matched is None:
            at(number, f"`{key}` is not a boot.cfg keyword ({', '.join(KEYWORDS[:-1])})")
            continue
        if key != matched:
            at(number, f"`{key}` is read as `{matched}` (the boot loader compares only its first "
                       f"letters); write `{matched}=`", "warning")
        if matched == "menu":
            menus += 1
            if menus > MAXMENU:
                at(number, f"more than {MAXMENU} menu entries; the boot loader ignores the rest")
            if ":" not in value:
                at(number, "a menu entry is `menu=Label:command`; without `:` the boot loader drops it")
                continue
            label, commands = value.split(":", 1)
            _check_commands(commands, number, at, options)
        elif matched == "banner":
            banners += 1
            if banners > MAXBANNER:
                at(number, f"more than {MAXBANNER} banner lines; the rest are not shown", "warning")
        elif matched == "timeout":
            if not re.fullmatch(r"-?\d+", value):
                at(number, f"timeout `{value}` is not a number; the menu would wait forever", "warning")
        elif matched == "default":
            default_line, default_value = number, value
            if not re.fullmatch(r"\d+", value):
                at(number, f"default `{value}` is not a menu item number (counted from 1)")
        elif matched == "format":
            if value[:1].lower() not in ("a", "n", "d", "l"):
                at(number, f"format `{value}` is none of a (automatic), n (numbers), l (letters)",
                   "warning")
        elif matched == "clear":
            if not re.fullmatch(r"-?\d+", value):
                at(number, f"clear `{value}` is not a number (0 or 1)", "warning")
        elif matched == "consdev":
            if value not in CONSDEVS and not re.fullmatch(r"com\d(?:,\d+)?", value):
                at(number, f"consdev `{value}` is not a console device (pc, com0, com1, ..., auto)")
        elif matched in ("load", "userconf", "rndseed") and not value:
            at(number, f"`{matched}=` needs a value")
    if default_value and default_value.isdigit() and menus and not 1 <= int(default_value) <= menus:
        at(default_line, f"default={default_value} but there are {menus} menu entries", "warning")
    return sorted(findings)


def _check_commands(commands: str, number: int, at, options) -> None:
    parts = [c.strip() for c in commands.split(";")]
    parsed = []
    for cmd in parts:
        if not cmd:
            continue
        if len(cmd) >= COMMAND_BUFFER:
            at(number, f"the command `{cmd[:30]}...` is {len(cmd)} characters; the boot loader copies "
                       f"each command into an {COMMAND_BUFFER}-byte buffer", "warning")
        words = cmd.split()
        if words[0] not in COMMANDS:
            at(number, f"`{words[0]}` is not a boot loader command (boot, load, multiboot, consdev, "
                       f"prompt, ...)")
            continue
        parsed.append(words)
    if any(w[0] == "multiboot" for w in parsed):
        check_xen_menu(parsed, number, at, options)


def check_xen_menu(parsed: list[list[str]], number: int, at, options) -> None:
    """One menu entry that boots Xen: dom0 kernel, Xen kernel, dom0_mem, consoles."""
    names = [w[0] for w in parsed]
    mb_index = names.index("multiboot")
    mb = parsed[mb_index]
    if len(mb) < 2:
        at(number, "multiboot needs the Xen kernel: multiboot /xen.gz dom0_mem=256M")
        return
    xen_file = mb[1].rsplit("/", 1)[-1]
    if not XEN_KERNEL_RE.match(xen_file):
        at(number, f"multiboot loads `{mb[1]}`, which is not named like a Xen kernel (xen.gz, "
                   f"xen-debug.gz)", "warning")
    loads = [w for w in parsed[:mb_index] if w[0] == "load"]
    late = [w for w in parsed[mb_index + 1:] if w[0] in ("load", "boot")]
    if late:
        at(number, f"`{late[0][0]}` after multiboot never runs: multiboot starts Xen at once; "
                   f"load the dom0 kernel first")
    if not loads:
        at(number, "Xen needs a dom0 kernel: put `load /netbsd-XEN3_DOM0.gz` before multiboot")
    else:
        _check_dom0_kernel(loads[0], number, at, options)
    xen_args = _args(mb[2:])
    _check_dom0_mem(xen_args, number, at)
    if "dom0_max_vcpus" in xen_args and not re.fullmatch(r"\d+(?:-\d+)?", xen_args["dom0_max_vcpus"] or ""):
        at(number, f"dom0_max_vcpus=`{xen_args['dom0_max_vcpus']}` is not a number or min-max range")
    netbsd_args = _args(loads[0][2:]) if loads else {}
    _check_consoles(netbsd_args, xen_args, number, at)


def _args(words: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for w in words:
        k, eq, v = w.partition("=")
        out[k] = v if eq else None
    return out


def _check_dom0_kernel(load: list[str], number: int, at, options) -> None:
    if len(load) < 2:
        at(number, "`load` needs the dom0 kernel's file name")
        return
    name = load[1].rsplit("/", 1)[-1]
    m = DOM0_KERNEL_RE.match(name)
    want = arch_kernel(options.get("arch"))
    if m is None:
        if OTHER_XEN_KERNEL_RE.search(name):
            at(number, f"`{load[1]}` is not a dom0 kernel; Xen's dom0 runs netbsd-XEN3_DOM0 (amd64) "
                       f"or netbsd-XEN3PAE_DOM0 (i386)")
        else:
            at(number, f"cannot tell whether `{load[1]}` is a dom0 kernel; the NetBSD ones are "
                       f"netbsd-XEN3_DOM0.gz (amd64) and netbsd-XEN3PAE_DOM0.gz (i386)", "warning")
        return
    if want and m.group(1) != want:
        xen = options.get("xen")
        old_i386 = want == "XEN3PAE_DOM0" and xen and str(xen) in ("3.0", "3.1")
        if not old_i386:
            at(number, f"`{name}` is not the dom0 kernel for {options.get('arch')}: use "
                       f"netbsd-{want}.gz")


def _check_dom0_mem(xen_args: dict, number: int, at) -> None:
    if "dom0_mem" not in xen_args:
        at(number, "no dom0_mem on the multiboot line: the dom0 takes all memory and none is left "
                   "for domUs (e.g. dom0_mem=256M)", "warning")
        return
    value = xen_args["dom0_mem"] or ""
    items = value.split(",")
    if not value or any(not AMOUNT_RE.match(re.sub(r"^(?:min|max):", "", i)) for i in items):
        hint = " (Xen wants 256M, not 256MB)" if re.search(r"\d[kKmMgG][bB]$", value) else ""
        at(number, f"dom0_mem=`{value}` is not an amount such as 256M, 1024M, 2G or "
                   f"min:512M,max:2G{hint}")
    else:
        bare = [int(n) for n in (re.sub(r"^(?:min|max):", "", i) for i in items) if re.fullmatch(r"\d+", n)]
        if any(n < 65536 for n in bare):
            at(number, f"dom0_mem=`{value}` has no unit, so Xen reads KiB: far too little for a dom0; "
                       f"write e.g. 256M")
        elif bare:
            at(number, f"dom0_mem=`{value}` has no unit, which Xen reads as KiB; write e.g. 256M",
               "warning")


def _check_consoles(netbsd: dict, xen: dict, number: int, at) -> None:
    nb = netbsd.get("console")
    xen_consoles = (xen.get("console") or "").split(",") if xen.get("console") else []
    xen_com = [c for c in xen_consoles if re.fullmatch(r"com\d", c)]
    for c in xen_com:
        spec = xen.get(c)
        if spec is None:
            at(number, f"Xen console={c} without {c}=SPEED,8n1: give the speed and parity, as in "
                       f"{c}=9600,8n1", "warning")
        else:
            m = COM_SPEC_RE.match(spec)
            if not m or m.group("baud") not in BAUDS:
                at(number, f"{c}=`{spec}` is not a serial port setting such as 9600,8n1 or 115200,8n1")
    if nb is not None and nb not in ("pc", "com0", "com1", "com2", "com3"):
        at(number, f"NetBSD console=`{nb}` is neither pc nor a serial port com0..com3")
        return
    if nb and nb.startswith("com"):
        xen_name = f"com{int(nb[3:]) + 1}"
        if not xen_com:
            at(number, f"NetBSD's console is {nb} but Xen's is not serial: add console={xen_name} "
                       f"{xen_name}=9600,8n1 to the multiboot line (Xen counts serial ports from com1)")
        elif xen_name not in xen_com:
            at(number, f"NetBSD's {nb} is Xen's {xen_name} (Xen counts from com1, NetBSD from com0), "
                       f"but Xen's console is {','.join(xen_com)}")
    elif xen_com and "vga" not in xen_consoles:
        at(number, f"Xen's console is {','.join(xen_com)} but NetBSD's is "
                   f"{nb or 'the screen'}: give the dom0 console=com{int(xen_com[0][3:]) - 1}")
    elif nb == "pc" and xen_consoles and "vga" not in xen_consoles:
        at(number, "NetBSD's console is pc but Xen's is not vga")
