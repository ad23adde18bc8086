"""NetBSD's own command synopses for the commands the HOWTO tells readers to type.

Why: shellcheck judges shell grammar, not whether ``dd bs=1M`` works on
NetBSD (it does not: NetBSD's dd wants a lower-case ``m``), whether
``ifconfig bridge0 addm wm0`` exists (FreeBSD's syntax; NetBSD uses
brconfig), or whether ``xl shutdown -R`` is xl (it is xm).  Each check below
follows the command's NetBSD manual page (or Xen's, for xl and xm), cited
where it is defined; an option or operand the synopsis does not allow is an
error, one that is merely unusual a warning.
"""
from __future__ import annotations

import re
import shlex

from xenhowto.findings import Finding

Problem = tuple[str, str]  # (severity, sentence)


def getopt(args: list[str], optstring: str) -> tuple[list[tuple[str, str | None]], list[str], str | None]:
    """POSIX getopt(3) as NetBSD's: options stop at the first operand or ``--``."""
    takes_arg = {c for i, c in enumerate(optstring) if i + 1 < len(optstring) and optstring[i + 1] == ":"}
    valid = set(optstring.replace(":", ""))
    opts: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            i += 1
            break
        if not a.startswith("-") or a == "-":
            break
        j = 1
        while j < len(a):
            c = a[j]
            if c not in valid:
                return opts, args[i:], f"-{c}"
            if c in takes_arg:
                if j + 1 < len(a):
                    opts.append((c, a[j + 1:]))
                elif i + 1 < len(args):
                    i += 1
                    opts.append((c, args[i]))
                else:
                    return opts, [], f"-{c} (needs an argument)"
                break
            opts.append((c, None))
            j += 1
        i += 1
    return opts, args[i:], None


# ------------------------------------------------------------------ dd(1)
# https://man.netbsd.org/dd.1 and bin/dd/args.c: operands are name=value; sizes
# are read by strsuftoull(): a number (strtoull base 0) with an optional suffix
# b (512), k (1024), m (1048576), g, t or w (sizeof int), or a product of such
# numbers joined by x (or * for backward compatibility), e.g. 2x512 or 1m.
DD_SIZE_OPERANDS = {"bs", "cbs", "count", "files", "ibs", "obs", "seek", "skip", "iseek", "oseek",
                    "progress"}
DD_OTHER_OPERANDS = {"if", "of", "conv", "iflag", "oflag", "msgfmt"}
DD_CONV = {"ascii", "block", "ebcdic", "ibm", "lcase", "noerror", "notrunc", "oldascii", "oldebcdic",
           "oldibm", "osync", "sparse", "swab", "sync", "ucase", "unblock"}


def dd_size_ok(value: str) -> bool:
    """Whether NetBSD dd's strsuftoull() accepts ``value``."""
    if value.startswith("-"):
        return False
    m = re.match(r"[ \t\n\v\f\r]*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", value)
    if not m:
        return False
    rest = value[m.end():]
    if rest[:1] in ("b", "k", "m", "g", "t", "w"):
        rest = rest[1:]
    if not rest:
        return True
    if rest[0] in ("x", "*"):
        return dd_size_ok(rest[1:])
    return False


def check_dd(args: list[str]) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for arg in args:
        name, eq, value = arg.partition("=")
        if not eq:
            out.append(("error", f"dd operand `{arg}` is not name=value (NetBSD dd(1): dd [operand ...])"))
            continue
        if name not in DD_SIZE_OPERANDS | DD_OTHER_OPERANDS:
            hint = " (GNU dd's status=progress is progress=N or msgfmt=human on NetBSD)" if name == "status" else ""
            out.append(("error", f"dd has no operand `{name}`{hint}"))
            continue
        if not value:
            out.append(("error", f"dd: no value specified for {name}"))
            continue
        if name in seen and name != "conv":
            out.append(("error", f"dd: {name} given twice (`illegal argument combination or already set`)"))
        seen.add(name)
        if name in DD_SIZE_OPERANDS and not dd_size_ok(value):
            hint = ""
            m = re.fullmatch(r"(\d+)([KMGTkmgt])(?:i?B)?", value)
            if m:
                hint = f"; NetBSD's suffixes are single lower-case letters: {m[1]}{m[2].lower()}"
            out.append(("error", f"dd {name}=`{value}` is not a NetBSD dd size: a number with an "
                                 f"optional b, k, m, g, t or w suffix, or a product such as 2x512{hint}"))
        if name == "conv":
            for c in value.split(","):
                if c not in DD_CONV:
                    out.append(("error", f"dd has no conversion `{c}`"))
    if "bs" in seen and seen & {"ibs", "obs"}:
        out.append(("warning", "dd: bs supersedes ibs and obs"))
    return out


# --------------------------------------------------------- vnconfig(8)
# https://man.netbsd.org/vnconfig.8: vnconfig [-cirvz] [-f disktab] [-t typename]
# vnode_disk regular_file [geomspec]; vnconfig -u [-Fv] vnode_disk;
# vnconfig -l [-m min] [vnode_disk ...].  (vndconfig is the same program.)
VND_RE = re.compile(r"^(?:/dev/)?r?vnd\d+[a-p]?$")


def check_vnconfig(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "cf:Film:rt:uvz")
    if bad:
        return [("error", f"vnconfig has no option {bad} (vnconfig(8))")]
    flags = {o for o, _ in opts}
    if "l" in flags:
        return []
    if "u" in flags:
        if len(operands) != 1:
            return [("error", "vnconfig -u takes exactly one vnode disk, e.g. vnconfig -u vnd0")]
        return [] if VND_RE.match(operands[0]) else [("error", f"`{operands[0]}` is not a vnd device (vnd0, vnd1, ...)")]
    if len(operands) not in (2, 3):
        return [("error", "vnconfig needs a vnd device and a file: vnconfig vnd0 /path/to/disk.img")]
    out: list[Problem] = []
    if not VND_RE.match(operands[0]):
        out.append(("error", f"`{operands[0]}` is not a vnd device (vnd0, vnd1, ...)"))
    if len(operands) == 3 and not re.fullmatch(r"\d+/\d+/\d+/\d+", operands[2]):
        out.append(("error", f"geomspec `{operands[2]}` is not secsize/nsectors/ntracks/ncylinders"))
    return out


# --------------------------------------------------- brconfig, ifconfig
# https://man.netbsd.org/brconfig.8: brconfig -a | brconfig bridge |
# brconfig bridge command [args ...]; "Bridge interfaces are created using the
# ifconfig(8) command's create sub-command.  All other bridge configuration is
# performed using brconfig."
BRCONFIG_COMMANDS = {"up": 0, "down": 0, "add": 1, "delete": 1, "addr": 0, "deladdr": 1, "flush": 0,
                     "flushall": 0, "maxaddr": 1, "timeout": 1, "maxage": 1, "fwddelay": 1,
                     "hellotime": 1, "priority": 1, "ifpriority": 2, "ifpathcost": 2, "stp": 1,
                     "-stp": 1, "static": 2, "discover": 1, "-discover": 1, "learn": 1, "-learn": 1,
                     "ipf": 0, "-ipf": 0, "protect": 1, "-protect": 1}
IFNAME_RE = re.compile(r"^[a-z]+\d+$")


def check_brconfig(args: list[str]) -> list[Problem]:
    if args == ["-a"]:
        return []
    if not args:
        return [("error", "brconfig needs a bridge (brconfig bridge0 add wm0) or -a")]
    bridge, rest = args[0], args[1:]
    out: list[Problem] = []
    if not re.fullmatch(r"bridge\d+", bridge):
        out.append(("error", f"`{bridge}` is not a bridge interface (bridge0, bridge1, ...)"))
    i = 0
    while i < len(rest):
        cmd = rest[i]
        if cmd not in BRCONFIG_COMMANDS:
            hint = "; brconfig's is `add`" if cmd in ("addm", "addif") else ""
            out.append(("error", f"brconfig has no command `{cmd}`{hint}"))
            return out
        n = BRCONFIG_COMMANDS[cmd]
        if i + n >= len(rest) + (1 if n == 0 else 0) and n:
            out.append(("error", f"brconfig {cmd} needs {n} argument{'s' if n > 1 else ''}"))
            return out
        if cmd in ("add", "delete") and not IFNAME_RE.match(rest[i + 1]):
            out.append(("error", f"`{rest[i + 1]}` is not an interface name (wm0, xvif1.0, ...)"))
        i += n + 1
    return out


# https://man.netbsd.org/ifconfig.8: ifconfig interface create / destroy /
# up / down / address_family address ...; bridge members are added with
# brconfig, not with FreeBSD's "addm".
def check_ifconfig(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "aCdhlLmNsuvwzb")
    if bad:
        return [("error", f"ifconfig has no option {bad}")]
    out: list[Problem] = []
    for word in ("addm", "deletem"):
        if word in operands and operands:
            out.append(("error", f"NetBSD's ifconfig has no `{word}` (that is FreeBSD's); add bridge "
                                 f"members with brconfig: brconfig {operands[0]} "
                                 f"{'add' if word == 'addm' else 'delete'} wm0"))
    return out


# ------------------------------------------------------ installboot(8)
# https://man.netbsd.org/installboot.8: installboot [-fnv] [-B s2bno]
# [-b s1bno] [-m machine] [-o options] [-t fstype] filesystem primary
# [secondary]; installboot -c [-fnv] ... filesystem; installboot -e ... bootstrap.
def check_installboot(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "B:b:cefm:no:t:v")
    if bad:
        return [("error", f"installboot has no option {bad} (installboot(8))")]
    flags = {o for o, _ in opts}
    if flags & {"c", "e"}:
        return [] if len(operands) == 1 else [("error", "installboot -c/-e takes exactly one operand")]
    if len(operands) not in (2, 3):
        return [("error", "installboot needs the file system and the primary bootstrap: installboot -v "
                          "/dev/rwd0a /usr/mdec/bootxx_ffsv2")]
    out: list[Problem] = []
    if not re.search(r"bootxx_\w+$", operands[1]):
        out.append(("warning", f"`{operands[1]}` does not look like a primary bootstrap "
                               f"(/usr/mdec/bootxx_ffsv1, bootxx_ffsv2, ...)"))
    if operands[0].startswith("/dev/") and not operands[0].startswith("/dev/r"):
        out.append(("warning", f"installboot is usually given the raw device (/dev/r...), not "
                               f"`{operands[0]}`"))
    return out


# ------------------------------------------------------------ fdisk(8)
# https://man.netbsd.org/fdisk.8: fdisk [-aBFfgIiSuv] [-0 | -1 | -2 | -3 |
# -E number [-s [id][/[start][/[size][/[bootmenu]]]]]] [-r bootfile |
# -w bootfile] [-A ptn_alignment[/ptn_0_offset]] [-b cylinders/heads/sectors]
# [-c bootcode] [-T disktype] [-t disktab] [-z sectorsize] [device]; fdisk -l
def check_fdisk(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "0123aBFfgIiSuvlA:b:c:E:r:s:T:t:w:z:")
    if bad:
        return [("error", f"fdisk has no option {bad} (fdisk(8))")]
    if len(operands) > 1:
        return [("error", f"fdisk takes one device, not {len(operands)} operands")]
    flags = {o for o, _ in opts}
    if "r" in flags and "w" in flags:
        return [("error", "fdisk -r and -w exclude each other")]
    return []


# ---------------------------------------------------------- MAKEDEV(8)
# https://man.netbsd.org/MAKEDEV.8: MAKEDEV [-fMsu] [-m mknod] [-p pax]
# [-t mtree] {special | device} [...]; run in /dev ("cd /dev && sh MAKEDEV xen").
def check_makedev(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "fMsum:p:t:")
    if bad:
        return [("error", f"MAKEDEV has no option {bad} (MAKEDEV(8))")]
    if not operands:
        return [("error", "MAKEDEV needs a device or target, e.g. MAKEDEV xen or MAKEDEV vnd4")]
    return [("error", f"`{o}` is not a MAKEDEV device or target")
            for o in operands if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", o)]


# ---------------------------------------------------------- pkg_add(1)
# https://man.netbsd.org/pkg_add.1: pkg_add [-AfhInRUuVv] [-C config]
# [-K pkg_dbdir] [-m machine] [-P destdir] [-p prefix] file ... (or URLs).
def check_pkg_add(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "AfhILnRUuVvC:K:m:P:p:W:w:")
    if bad:
        return [("error", f"pkg_add has no option {bad} (pkg_add(1))")]
    if not operands and not any(o in ("h", "V") for o, _ in opts):
        return [("error", "pkg_add needs a package, e.g. pkg_add xenkernel418 xentools418")]
    return []


# ----------------------------------------------------------- cpuctl(8)
# https://man.netbsd.org/cpuctl.8: cpuctl [-v] command [arguments]; commands
# identify cpu [cpu ...], list, offline cpu [...], online cpu [...], intr cpu,
# nointr cpu, ucode [cpu] [file].
CPUCTL = {"identify": 1, "list": 0, "offline": 1, "online": 1, "intr": 1, "nointr": 1, "ucode": 0}


def check_cpuctl(args: list[str]) -> list[Problem]:
    opts, operands, bad = getopt(args, "v")
    if bad:
        return [("error", f"cpuctl has no option {bad} (cpuctl(8))")]
    if not operands or operands[0] not in CPUCTL:
        return [("error", f"cpuctl needs a command ({', '.join(CPUCTL)}), e.g. cpuctl identify 0")]
    cmd, rest = operands[0], operands[1:]
    if CPUCTL[cmd] and not rest:
        return [("error", f"cpuctl {cmd} needs a CPU number, e.g. cpuctl {cmd} 0")]
    if cmd != "ucode" and any(not re.fullmatch(r"\d+", a) for a in rest):
        return [("error", f"cpuctl {cmd} takes CPU numbers, not `{' '.join(rest)}`")]
    if cmd == "list" and rest:
        return [("error", "cpuctl list takes no arguments")]
    return []


# ---------------------------------------------------------------- xl, xm
# xl(1) (xen.git docs/man/xl.1.pod.in) and xm(1) (Xen 4.4 docs/man/xm.pod.1):
# the subcommands the HOWTO uses, with their options; other subcommands are
# only checked to exist.
XL_SUBCOMMANDS = {
    "create": "cnqf:pVdFe", "console": "t:n:", "shutdown": "awFc", "reboot": "awF", "destroy": "f",
    "list": "lvZcn", "dmesg": "c", "info": "n",
}
XL_OTHER = {"config-update", "pci-list", "pci-assignable-add", "pci-assignable-remove",
            "pci-assignable-list", "pci-attach", "pci-detach", "pause", "unpause", "vncviewer", "save",
            "migrate", "restore", "migrate-receive", "dump-core", "cd-insert", "cd-eject", "mem-max",
            "mem-set", "button-press", "vcpu-list", "vcpu-pin", "vcpu-set", "vm-list", "sharing",
            "sched-credit", "sched-credit2", "sched-rtds", "sched-arinc653", "domid", "domname",
            "rename", "trigger", "sysrq", "debug-keys", "top", "network-attach", "network-list",
            "network-detach", "block-attach", "block-list", "block-detach", "uptime", "tmem-list",
            "tmem-freeze", "tmem-thaw", "tmem-set", "tmem-shared-auth", "tmem-freeable",
            "cpupool-create", "cpupool-list", "cpupool-destroy", "cpupool-rename",
            "cpupool-cpu-add", "cpupool-cpu-remove", "cpupool-migrate", "cpupool-numa-split",
            "getenforce", "setenforce", "loadpolicy", "remus", "devd", "psr-hwinfo",
            "psr-cmt-attach", "psr-cmt-detach", "psr-cmt-show", "psr-cat-set", "psr-cat-show",
            "psr-mba-set", "psr-mba-show", "usbctrl-attach", "usbctrl-detach", "usbdev-attach",
            "usbdev-detach", "usb-list", "qemu-monitor-command", "channel-list", "vtpm-attach",
            "vtpm-list", "vtpm-detach", "vdispl-attach", "vdispl-list", "vdispl-detach",
            "vsnd-attach", "vsnd-list", "vsnd-detach", "vkb-attach", "vkb-list", "vkb-detach",
            "claims", "set-parameters", "dt-overlay", "version", "help", "save", "cpupool-make",
            "pvcalls-attach", "pvcalls-list", "pvcalls-detach", "9pfs-attach", "9pfs-list"}
XM_SUBCOMMANDS = {
    "create": "cqnf:F:s", "console": "", "shutdown": "awRH", "reboot": "aw", "destroy": "",
    "list": "l", "dmesg": "c", "info": "c",
}
XM_OTHER = {"new", "delete", "start", "suspend", "resume", "pause", "unpause", "save", "restore",
            "migrate", "mem-max", "mem-set", "vcpu-list", "vcpu-pin", "vcpu-set", "sysrq", "top",
            "uptime", "domid", "domname", "rename", "dump-core", "block-attach", "block-detach",
            "block-list", "network-attach", "network-detach", "network-list", "pci-attach",
            "pci-detach", "pci-list", "log", "serve", "sched-credit", "sched-sedf", "vnet-list",
            "vnet-create", "vnet-delete", "labels", "addlabel", "rmlabel", "getlabel", "dry-run",
            "resources", "makepolicy", "loadpolicy", "cfgbootpolicy", "help", "debug-keys", "trigger",
            "vtpm-list", "tmem-list", "cpupool-list", "cpupool-create"}


def check_toolstack(tool: str, args: list[str]) -> list[Problem]:
    table = XL_SUBCOMMANDS if tool == "xl" else XM_SUBCOMMANDS
    other = XL_OTHER if tool == "xl" else XM_OTHER
    opts, operands, bad = getopt(args, "vNft:" if tool == "xl" else "")
    if bad:
        return [("error", f"{tool} has no global option {bad}")]
    if not operands:
        return [("error", f"{tool} needs a subcommand (create, console, list, shutdown, ...)")]
    sub, rest = operands[0], operands[1:]
    if sub not in table and sub not in other:
        hint = ""
        if tool == "xl" and sub in XM_OTHER | set(XM_SUBCOMMANDS):
            hint = " (it is an xm subcommand)"
        return [("error", f"`{tool} {sub}` is not an {tool} subcommand{hint}")]
    if sub not in table:
        return []
    sub_opts, sub_operands, bad = getopt(rest, table[sub])
    if bad:
        hint = ""
        if tool == "xl" and sub == "shutdown" and bad in ("-R", "-H"):
            hint = "; -R and -H are xm's: with xl use `xl reboot` or plain `xl shutdown`"
        return [("error", f"`{tool} {sub}` has no option {bad}{hint}")]
    flags = {o for o, _ in sub_opts}
    if sub == "create":
        if not sub_operands and "f" not in flags:
            return [("error", f"{tool} create needs a config file: {tool} create [-c] /usr/pkg/etc/xen/foo")]
    elif sub in ("console", "destroy", "reboot") and len(sub_operands) != 1 and not (sub == "reboot" and "a" in flags):
        return [("error", f"{tool} {sub} takes one domain (name or id)")]
    elif sub == "shutdown" and not sub_operands and "a" not in flags:
        return [("error", f"{tool} shutdown takes a domain (name or id) or -a")]
    elif sub in ("dmesg", "info") and sub_operands:
        return [("error", f"{tool} {sub} takes no domain")]
    elif sub == "shutdown" and tool == "xm" and {"R", "H"} <= flags:
        return [("error", "xm shutdown -R and -H exclude each other")]
    return []


CHECKS = {"dd": check_dd, "vnconfig": check_vnconfig, "vndconfig": check_vnconfig,
          "brconfig": check_brconfig, "ifconfig": check_ifconfig, "installboot": check_installboot,
          "fdisk": check_fdisk, "MAKEDEV": check_makedev, "pkg_add": check_pkg_add,
          "cpuctl": check_cpuctl}


def check_command(argv: list[str]) -> list[Problem]:
    """Problems with one simple command (argv[0] is the command)."""
    while argv and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", argv[0]):
        argv = argv[1:]  # FOO=bar command ...
    while argv and argv[0] in ("sudo", "doas", "env", "exec", "time", "nohup"):
        argv = argv[1:]
    if not argv:
        return []
    name = argv[0].rsplit("/", 1)[-1]
    args = argv[1:]
    if name == "sh" and args and args[0].rsplit("/", 1)[-1] == "MAKEDEV":
        name, args = "MAKEDEV", args[1:]
    if name in ("xl", "xm"):
        return check_toolstack(name, args)
    check = CHECKS.get(name)
    return check(args) if check else []


def commands(text: str) -> list[tuple[int, list[str]]]:
    """(line, argv) of the simple commands in a shell snippet, best effort."""
    out = []
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        start = number
        line = lines[number]
        while line.endswith("\\") and number + 1 < len(lines):
            number += 1
            line = line[:-1] + lines[number]
        number += 1
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            tokens = list(lexer)
        except ValueError:
            continue  # unbalanced quotes: shellcheck reports those
        argv: list[str] = []
        redirect = False
        for tok in tokens + [";"]:
            if tok and set(tok) <= set(";&|()"):
                if argv:
                    out.append((start + 1, argv))
                argv = []
                redirect = False
            elif tok and set(tok) <= set("<>"):
                redirect = True
            elif redirect:
                redirect = False  # the redirection's file name
            else:
                argv.append(tok)
    return out


def validate_netbsd_commands(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """The NetBSD and Xen commands in a shell snippet, against their synopses."""
    findings = []
    for line, argv in commands(text):
        for severity, message in check_command(argv):
            findings.append(Finding(path, line + first_line - 1, message, severity))
    return findings
