"""/etc/rc.conf: POSIX sh syntax, known variables, and the Xen daemon rules.

Why: rc.conf is a shell script that rc.subr sources at boot.  A syntax error
stops the boot's configuration; a misspelt variable is silently ignored; and
the Xen daemons to enable depend on the Xen version and the toolstack, which
is the HOWTO's most common upgrade trap ("Upgrading from 3.x to 4.x without
doing this will result in a hang").

* Syntax: ``sh -n`` (the system's POSIX shell; dash here, ash on NetBSD), one
  process per snippet: rc.conf snippets are few and short, and a syntax error
  in one snippet must not hide the next, so they are not concatenated.
* Variables: those an rc.d script reads, with their sources: NetBSD's
  /etc/defaults/rc.conf (src/etc/defaults/rc.conf) and rc.d scripts, and
  the pkgsrc xentools rc.d scripts (sysutils/xentoolsNN/files: xencommons.sh
  reads ``xencommons``; xend.sh ``xend``; xenbackendd.sh ``xenbackendd`` (3.x,
  4.1); xendomains.sh the domain list ``xendomains`` and
  ``xendomains_config``/``_prehook``/``_posthook``; xen-watchdog
  ``xenwatchdog``).  Unknown variables are warnings: rc.conf may hold
  anything, but a typo there is a daemon that does not start.
* YES/NO knobs are read by rc.subr's checkyesno, which accepts
  yes/true/on/1 and no/false/off/0 in any case and complains otherwise.
* Toolstack rules (given ``xen`` and ``toolstack``): xl on 4.x needs
  xencommons (without it the boot hangs); xm on 3.x needs xend and
  xenbackendd, on 4.1-4.4 xencommons and xend; xend was removed in 4.5, so
  never xend with xl there.  ``complete=True`` (a whole rc.conf, as with
  ``howto check-config``) also reports daemons that are missing; a snippet
  on a page is only checked for daemons that must not be there.
"""
from __future__ import annotations

import re
import shlex
import subprocess

from xenhowto.findings import Finding
from xenhowto.validators import xen_keys

#: checkyesno's words (src/etc/rc.subr).
YES = frozenset({"yes", "true", "on", "1"})
NO = frozenset({"no", "false", "off", "0"})

#: YES/NO variables and who reads them.
KNOBS = {
    # pkgsrc sysutils/xentools*/files/*.sh
    "xencommons": "xentools rc.d/xencommons (Xen 4.x: xenstored, xenconsoled)",
    "xend": "xentools rc.d/xend (xm's daemon, Xen 3.x to 4.4)",
    "xenbackendd": "xentools rc.d/xenbackendd (Xen 3.x and 4.1)",
    "xenwatchdog": "xentools rc.d/xen-watchdog",
    # NetBSD src/etc/defaults/rc.conf and src/etc/rc.d/*
    "rc_configured": "/etc/rc (refuses to go multi-user until YES)",
    "powerd": "rc.d/powerd (lets xl shutdown reach a NetBSD domU)",
    "sshd": "rc.d/sshd", "ntpd": "rc.d/ntpd", "ntpdate": "rc.d/ntpdate", "cron": "rc.d/cron",
    "syslogd": "rc.d/syslogd", "postfix": "rc.d/postfix", "inetd": "rc.d/inetd", "named": "rc.d/named",
    "dhcpcd": "rc.d/dhcpcd", "dhclient": "rc.d/dhclient", "rpcbind": "rc.d/rpcbind",
    "mountd": "rc.d/mountd", "nfs_server": "rc.d/nfsd", "nfs_client": "rc.d/nfslocking",
    "lockd": "rc.d/lockd", "statd": "rc.d/statd", "ipfilter": "rc.d/ipfilter", "ipnat": "rc.d/ipnat",
    "npf": "rc.d/npf", "pf": "rc.d/pf", "wscons": "rc.d/wscons", "savecore": "rc.d/savecore",
    "clear_tmp": "rc.d/cleartmp", "auto_ifconfig": "rc.d/network", "ip6mode": "rc.d/network",
    "raidframe": "rc.d/raidframe", "cgd": "rc.d/cgd", "lvm": "rc.d/lvm", "apmd": "rc.d/apmd",
    "wsmoused": "rc.d/wsmoused", "sendmail": "rc.d/sendmail", "smtoff": "rc.d/smtoff",
    "accounting": "rc.d/accounting", "quota": "rc.d/quota", "virecover": "rc.d/virecover",
    "local_rc": "rc.d/local", "random_seed": "rc.d/random_seed", "rndctl": "rc.d/rndctl",
    "ppp": "rc.d/ppp", "racoon": "rc.d/racoon", "ipsec": "rc.d/ipsec", "routed": "rc.d/routed",
    "mdnsd": "rc.d/mdnsd", "unbound": "rc.d/unbound", "ftpd": "rc.d/ftpd", "httpd": "rc.d/httpd",
    "no_swap": "rc.d/swap1", "swapoff": "rc.d/swap1", "ldconfig": "rc.d/ldconfig",
    "veriexec": "rc.d/veriexec", "modules": "rc.d/modules", "fccache": "rc.d/fccache",
    "ypbind": "rc.d/ypbind", "kdc": "rc.d/kdc", "mixerctl": "rc.d/mixerctl", "bluetooth": "rc.d/bluetooth",
}
#: Other variables and who reads them (values are free-form).
VARIABLES = {
    "xendomains": "xentools rc.d/xendomains: the domains to start, e.g. \"foo bar\"",
    "xendomains_config": "xentools rc.d/xendomains", "xendomains_prehook": "xentools rc.d/xendomains",
    "xendomains_posthook": "xentools rc.d/xendomains",
    "XENSTORED_TRACE": "xentools rc.d/xencommons", "XENCONSOLED_TRACE": "xentools rc.d/xencommons",
    "hostname": "rc.d/network", "domainname": "rc.d/network", "defaultroute": "rc.d/network",
    "defaultroute6": "rc.d/network", "net_interfaces": "rc.d/network", "ifaliases": "rc.d/network",
    "dns_domain": "rc.d/network", "wscons_flags": "rc.d/wscons", "fsck_flags": "rc.d/fsck",
    "critical_filesystems_local": "rc.d/mountcritlocal",
    "critical_filesystems_remote": "rc.d/mountcritremote", "savecore_dir": "rc.d/savecore",
    "rc_rcorder_flags": "/etc/rc", "rc_silent": "/etc/rc", "update_motd": "rc.d/motd",
    "kdc_flags": "rc.d/kdc", "ntp_flags": "rc.d/ntpd",
}
_DYNAMIC = re.compile(r"^(?:ifconfig_[A-Za-z0-9_]+|ifwatchd_[A-Za-z0-9_]+|\w+_flags|\w+_user|\w+_group|"
                      r"\w+_chroot|\w+_env|\w+_nice|\w+_fib|dhcpcd_\w+)$")
_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def sh_syntax(text: str) -> list[tuple[int, str]]:
    """(line, message) from ``sh -n``; empty when the syntax is fine."""
    proc = subprocess.run(["sh", "-n"], input=text, capture_output=True, text=True, timeout=30)
    if proc.returncode == 0:
        return []
    lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    out = []
    for raw in proc.stderr.splitlines():
        m = re.match(r"^[^:]*:\s*(?:line\s*)?(\d+):\s*(.*)$", raw)
        if m:
            out.append((min(int(m.group(1)), lines), m.group(2)))
    return out or [(1, proc.stderr.strip() or "sh -n failed")]


def assignments(text: str) -> list[tuple[int, str, str | None]]:
    """(line, name, value) of the simple ``name=value`` lines; value None if not literal."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        m = _ASSIGN.match(line)
        if not m:
            continue
        try:
            words = shlex.split(m.group(2), comments=True, posix=True)
        except ValueError:
            words = None
        value = None if words is None or "$" in m.group(2) or "`" in m.group(2) else " ".join(words)
        out.append((number, m.group(1), value))
    return out


def validate_rcconf(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """rc.conf lines.  Options: ``xen`` ("4.18"), ``toolstack`` (xl/xm), ``complete`` (bool)."""
    findings: list[Finding] = []

    def at(line: int, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line + first_line - 1, message, severity))

    for line, message in sh_syntax(text):
        at(line, f"sh cannot parse this ({message}); rc.conf is a shell script")
    if findings:
        return findings
    values: dict[str, tuple[int, str | None]] = {}
    for line, name, value in assignments(text):
        values[name] = (line, value)
        if name in KNOBS:
            if value is not None and value.lower() not in YES | NO:
                if name == "xendomains":
                    continue
                at(line, f"{name}=`{value}`: rc.subr's checkyesno wants YES or NO")
        elif name == "xendomains":
            if value is not None and value.lower() in YES | NO:
                at(line, f"xendomains lists the domains to start (xendomains=\"foo bar\"), not "
                         f"{value}")
        elif name not in VARIABLES and not _DYNAMIC.match(name):
            at(line, f"no rc.d script we know reads `{name}`; check the spelling", "warning")
    _toolstack_rules(values, options, at)
    return sorted(findings)


def _yes(values, name) -> tuple[int, bool] | None:
    if name not in values:
        return None
    line, value = values[name]
    return line, value is not None and value.lower() in YES


def _toolstack_rules(values: dict, options: dict, at) -> None:
    xen = options.get("xen")
    if not xen:
        return
    version = xen if isinstance(xen, tuple) else xen_keys.parse_version(xen)
    toolstack = options.get("toolstack") or xen_keys.default_toolstack(version)[0]
    v = xen_keys.fmt(version)
    problem = xen_keys.toolstack_error(toolstack, version)
    if problem:
        at(1, problem)
        return
    complete = bool(options.get("complete"))
    xend, commons, backendd = _yes(values, "xend"), _yes(values, "xencommons"), _yes(values, "xenbackendd")
    if toolstack == "xl":
        if xend and xend[1]:
            if version > xen_keys.XM_LAST:
                at(xend[0], f"xend=YES with xl on Xen {v}: xend was removed in Xen 4.5 (and xl must "
                            f"not run alongside it); remove the line")
            else:
                at(xend[0], f"xend=YES with xl on Xen {v}: xend is xm's daemon and gets in xl's way; "
                            f"do not enable it when using xl", "warning")
        if backendd and backendd[1]:
            at(backendd[0], "xenbackendd is not used with xl; enable xencommons instead", "warning")
        if complete and not (commons and commons[1]):
            at(commons[0] if commons else 1, f"xl on Xen {v} needs xencommons=YES (xenstored and "
                                             f"xenconsoled); without it the boot hangs")
    else:
        if version < (4, 0):
            if commons and commons[1]:
                at(commons[0], f"there is no xencommons script for Xen {v}; enable xend and "
                               f"xenbackendd", "warning")
            wanted = ("xend", "xenbackendd")
        else:
            wanted = ("xencommons", "xend")
        if complete:
            for name in wanted:
                flag = _yes(values, name)
                if not (flag and flag[1]):
                    at(flag[0] if flag else 1, f"xm on Xen {v} needs {name}=YES")
