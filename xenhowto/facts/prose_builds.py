"""The HOWTO's "Build problems": which package of which Xen builds on which
NetBSD branch and architecture, from the build reports, platforms and binary
packages of data/pkgsrc_packages.yaml, as of a date."""
from __future__ import annotations

from xenhowto.facts import history
from xenhowto.facts.prose import join
from xenhowto.facts.view import View

_PART_ORDER = {"kernel": 0, "tools": 1, "hvm-tools": 2}


def _part_name(pkg, part: str) -> str:
    if part == "kernel":
        return pkg.name
    if part == "tools":
        return pkg.tools
    return pkg.hvm_tools.value if pkg.hvm_tools else f"{pkg.tools}-hvm"


def builds(view: View) -> str:
    pkgs = sorted(view.packages(), key=lambda p: p.key)
    rows, notes = [], []
    for p in pkgs:
        for r in p.build_reports:
            if r.date.latest > view.as_of:
                continue
            mark = "*" if r.note else ""
            rows.append(((int(r.branch), r.arch != "amd64", p.key, _PART_ORDER[r.part]),
                         f"{_part_name(p, r.part)}|netbsd-{r.branch}|{r.arch}|{r.result}"))
            if r.note:
                notes.append(f"({mark}{r.note})")
    out = []
    if rows:
        table = "\n".join(["Package|Branch|Arch|Builds"] + [row for _, row in sorted(rows)])
        out.append("The following are known to work or FAIL:")
        out.append(f'[[!table data="""\n{table}\n"""]]')
    else:
        out.append("No build reports are recorded for the Xen packages in pkgsrc as of "
                   f"{history.known_on(view).isoformat()}.")
    facts = []
    for p in pkgs:
        if p.builds_on is not None:
            facts.append(f"{p.name} is made only for NetBSD {join(list(p.builds_on.value))}.")
        binaries = view.binary_branches(p)
        if binaries:
            facts.append(f"Binary packages of {p.name} are available for NetBSD {join(list(binaries))} (amd64).")
    amd64_only = [p.name for p in pkgs if list(p.dom0_archs) == ["amd64"]]
    if amd64_only and len(amd64_only) == len(pkgs) and not rows:
        facts.insert(0, f"{join(amd64_only)} {'is' if len(amd64_only) == 1 else 'are'} made only for amd64.")
    if facts:
        out.append("  ".join(facts))
    out += notes
    return "\n\n".join(out) + "\n"
