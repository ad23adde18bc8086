"""pkg_add, pkg_delete and pkg_info for pkgsrc's Xen packages.

A guide's first real step installs sysutils/xenkernelNN and the matching
sysutils/xentoolsNN; later steps copy files those packages installed and run
the rc.d scripts they provide, so the stand-in must put the same files in the
same places.  The table below is taken from pkgsrc (PLIST of each xenkernel
package, RCD_SCRIPTS of each xentools Makefile, ONLY_FOR_PLATFORM), with
PKG_RCD_SCRIPTS=YES so rc.d scripts are also copied to /etc/rc.d.
Versions are stand-in numbers of the right series.
"""
from __future__ import annotations

import os

from . import world
from .world import StandinError, UsageError

# suffix: (Xen version, stand-in package version, kernel dir under /usr/pkg,
#          has xen-debug.gz, toolstack programs, rc.d scripts, dom0 archs)
_RCD_XM3 = ("xend", "xenbackendd", "xendomains")  # xentools33/Makefile
_RCD_4X_XM = ("xen-watchdog", "xencommons", "xend", "xendomains")  # xentools41, 42
_RCD_4X = ("xen-watchdog", "xencommons", "xendomains")  # xentools46 (no xend from 4.5)
PACKAGES = {
    "3": ("3.1", "3.1.4", "xen3-kernel", False, ("xm",), _RCD_XM3, ("i386", "amd64")),
    "33": ("3.3", "3.3.2", "xen3-kernel", True, ("xm",), _RCD_XM3, ("i386", "amd64")),
    "41": ("4.1", "4.1.6.1", "xen41-kernel", True, ("xm", "xl"), _RCD_4X_XM, ("i386", "amd64")),
    "42": ("4.2", "4.2.5", "xen42-kernel", True, ("xm", "xl"), _RCD_4X_XM, ("i386", "amd64")),
    "45": ("4.5", "4.5.5", "xen45-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "46": ("4.6", "4.6.6", "xen46-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "48": ("4.8", "4.8.5", "xen48-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "411": ("4.11", "4.11.4", "xen411-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "413": ("4.13", "4.13.4", "xen413-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "415": ("4.15", "4.15.5", "xen415-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "418": ("4.18", "4.18.3", "xen418-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
    "420": ("4.20", "4.20.1", "xen420-kernel", True, ("xl",), _RCD_4X, ("amd64",)),
}
# The rc.conf variable of each script when not its name; xendomains has none:
# it always runs and starts the domains its variable lists (pkgsrc files/xendomains.sh).
RCVAR = {"xen-watchdog": "xenwatchdog", "xendomains": None}
PKGDB = "/usr/pkg/pkgdb"


def rcvar(script: str) -> str | None:
    return RCVAR.get(script, script)


def package_for_xen(xen: str) -> str | None:
    """The xenkernel suffix of a Xen version ("4.6" -> "46")."""
    for suffix, row in PACKAGES.items():
        if row[0] == xen:
            return suffix
    return None


def installed(root: str) -> dict[str, dict]:
    """Installed packages by base name (xenkernel46 -> {version, files})."""
    out = {}
    try:
        names = os.listdir(world.at(root, PKGDB))
    except OSError:
        return out
    for entry in names:
        base, _, version = entry.rpartition("-")
        try:
            with open(world.at(root, f"{PKGDB}/{entry}/+CONTENTS"), encoding="utf-8") as f:
                files = [line for line in f.read().splitlines() if line and not line.startswith("@")]
        except OSError:
            files = []
        out[base] = {"version": version, "files": files}
    return out


def _files(kind: str, suffix: str, arch: str) -> dict[str, str]:
    """{absolute path: content} of one package."""
    xen, version, kdir, debug, programs, scripts, _ = PACKAGES[suffix]
    pkg = f"{kind}{suffix}"
    out: dict[str, str] = {}
    if kind == "xenkernel":
        for name, dbg in (("xen.gz", "no"), ("xen-debug.gz", "yes")):
            if dbg == "yes" and not debug:
                continue
            out[f"/usr/pkg/{kdir}/{name}"] = world.marker(
                f"Xen {xen} hypervisor for {arch}" + (" with debugging" if dbg == "yes" else "")
                + f" from {pkg}-{version}",
                kind="xen", version=xen, package=pkg, arch=arch, debug=dbg)
        return out
    for prog in programs:
        out[f"/usr/pkg/sbin/{prog}"] = world.wrapper(prog)
    for script in scripts:
        out[f"/usr/pkg/share/examples/rc.d/{script}"] = world.wrapper(f"rc.d/{script}")
        out[f"/etc/rc.d/{script}"] = world.wrapper(f"rc.d/{script}")
    for s in ("block", "vif-bridge", "vif-ip"):
        out[f"/usr/pkg/etc/xen/scripts/{s}"] = world.marker(f"xentools{suffix} hotplug script {s}",
                                                            kind="script")
    if "xl" in programs:
        out["/usr/pkg/etc/xen/xl.conf"] = "# xl.conf: defaults for xl (stand-in; all defaults)\n"
    if "xm" in programs:
        out["/usr/pkg/etc/xen/xend-config.sxp"] = "# xend-config.sxp (stand-in; all defaults)\n"
        for n in (1, 2, 3):
            out[f"/usr/pkg/share/examples/xen/xmexample{n}"] = (
                f"# xmexample{n}: example domU config from xentools{suffix} (stand-in)\n")
    return out


def _parse_name(arg: str) -> tuple[str, str]:
    """("xenkernel", "46") for xenkernel46, xenkernel46-4.6.6nb1, .../xenkernel46-4.6.6.tgz."""
    base = os.path.basename(arg)
    if base.endswith(".tgz"):
        base = base[:-4]
    name, _, version = base.partition("-")
    for kind in ("xenkernel", "xentools"):
        suffix = name[len(kind):]
        if name.startswith(kind) and suffix in PACKAGES and (
                not version or (version[0].isdigit() and all(c.isdigit() or c in ".nb" for c in version))):
            return kind, suffix
    raise StandinError(f"no pkg found for '{arg}', sorry.")


def _getopt(argv: list[str], flags: str, with_arg: str) -> tuple[set, list[str]]:
    """Enough of getopt(3) for the pkg_* tools: returns (flags seen, operands)."""
    seen, i = set(), 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        if argv[i] == "--":
            i += 1
            break
        for j, ch in enumerate(argv[i][1:], 1):
            if ch in with_arg:
                if j == len(argv[i]) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError(f"option requires an argument -- {ch}")
                break
            if ch not in flags:
                raise UsageError(f"unknown option -- {ch}")
            seen.add(ch)
        i += 1
    return seen, argv[i:]


def pkg_add(ctx, argv: list[str]) -> None:
    """pkg_add [-AfhInRuVv] [-C config] [-K pkg_dbdir] [-m machine] [-P destdir] [-p prefix] file ..."""
    flags, operands = _getopt(argv, "AfhInRuVv", "CKmPpWw")
    if not operands:
        raise UsageError("usage: pkg_add [-AfhInRuVv] [-C config] [-P destdir] [-K pkg_dbdir]\n"
                         "               [-m machine] [-p prefix] [-W viewbase] [-w view]\n"
                         "               [[ftp|http]://[user[:password]@]host[:port]][/path/]pkg-name ...")
    root, arch = ctx.root, ctx.state["machine"]["arch"]
    have = installed(root)
    added = []
    for arg in operands:
        kind, suffix = _parse_name(arg)
        pkg = f"{kind}{suffix}"
        xen, version, _, _, _, _, archs = PACKAGES[suffix]
        if arch not in archs:
            raise StandinError(
                f"{pkg}-{version}: no binary package for NetBSD/{arch}: pkgsrc builds {pkg} only for "
                + " and ".join("NetBSD/x86_64" if a == "amd64" else f"NetBSD/{a}" for a in archs)
                + f" (Xen {xen} needs an amd64 dom0)")
        if kind == "xentools":
            other = [p for p in have if p.startswith("xentools") and p != pkg]
            if other:
                raise StandinError(f"{pkg}-{version} conflicts with installed package {other[0]}-"
                                   f"{have[other[0]]['version']}")
        if pkg in have:
            continue
        if "n" in flags:
            added.append(pkg)
            continue
        files = _files(kind, suffix, arch)
        for path, content in files.items():
            full = world.at(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(content)
            if content.startswith("#!"):
                os.chmod(full, 0o755)
        if kind == "xentools":
            for d in ("/var/log/xen", "/var/run/xen"):
                os.makedirs(world.at(root, d), exist_ok=True)
        db = world.at(root, f"{PKGDB}/{pkg}-{version}")
        os.makedirs(db, exist_ok=True)
        with open(os.path.join(db, "+CONTENTS"), "w", encoding="utf-8") as f:
            f.write(f"@name {pkg}-{version}\n@cwd /usr/pkg\n" + "".join(p + "\n" for p in sorted(files)))
        with open(os.path.join(db, "+COMMENT"), "w", encoding="utf-8") as f:
            f.write(("Xen Kernel" if kind == "xenkernel" else "Userland Tools for Xen") + f" {xen}.x\n")
        have[pkg] = {"version": version, "files": sorted(files)}
        added.append(pkg)
    ctx.effect["installed"] = added


def pkg_delete(ctx, argv: list[str]) -> None:
    """pkg_delete [-ADFfkNnORrVv] [-K pkg_dbdir] [-P destdir] [-p prefix] pkg-name ..."""
    flags, operands = _getopt(argv, "ADFfkNnORrVv", "KPp")
    if not operands:
        raise UsageError("usage: pkg_delete [-ADFfkNnORrVv] [-K pkg_dbdir] [-P destdir] [-p prefix] pkg-name ...")
    have = installed(ctx.root)
    removed = []
    for arg in operands:
        kind, suffix = _parse_name(arg)
        pkg = f"{kind}{suffix}"
        if pkg not in have:
            raise StandinError(f"No package matching '{arg}' found")
        if "n" in flags:
            continue
        for path in have[pkg]["files"]:
            if path.startswith("/etc/rc.d/"):
                continue  # pkgsrc leaves the copies in /etc/rc.d behind
            try:
                os.unlink(world.at(ctx.root, path))
            except FileNotFoundError:
                pass
        import shutil
        shutil.rmtree(world.at(ctx.root, f"{PKGDB}/{pkg}-{have[pkg]['version']}"), ignore_errors=True)
        removed.append(pkg)
    ctx.effect["removed"] = removed


def pkg_info(ctx, argv: list[str]) -> None:
    """pkg_info [-a] [-E pkg] [pkg ...]: what is installed."""
    flags, operands = _getopt(argv, "aBbcDdFfhIiLmNnpqRrSsVv", "EeKlQT")
    have = installed(ctx.root)
    names = operands or sorted(have)
    for name in names:
        base = os.path.basename(name).rpartition("-")[0] if "-" in name and name[-1].isdigit() else name
        if base not in have:
            raise StandinError(f"can't find package `{name}' installed or in a file!")
        ctx.out(f"{base}-{have[base]['version']}")
