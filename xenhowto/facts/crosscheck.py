"""Checks across facts and files that a schema cannot express: dates out of
order, a package for a Xen release the data does not list, duplicates,
versions a toolstack or kernel names that do not exist."""
from __future__ import annotations

from xenhowto.findings import Finding
from xenhowto.facts.dates import FuzzyDate
from xenhowto.facts.model import Facts, Where, version_key


def _order(findings, where: Where, what: str, first: FuzzyDate | None, first_name: str,
           second: FuzzyDate | None, second_name: str) -> None:
    """Report when ``first`` is certainly later than ``second``."""
    if first is None or second is None:
        return
    if first.earliest > second.latest:
        findings.append(Finding(
            where.path, where.line,
            f"dates out of order in {what}: {first_name} {first} is after {second_name} {second}; "
            f"fix whichever is wrong",
        ))


def _known_version(findings, facts: Facts, where: Where, what: str, version: str | None) -> None:
    if version is not None and version not in facts.releases:
        known = ", ".join(facts.releases)
        findings.append(Finding(
            where.path, where.line,
            f"{what} names Xen {version}, which data/xen_releases.yaml does not list "
            f"(it lists {known}); add the release there first",
        ))


def check(facts: Facts) -> list[Finding]:
    findings: list[Finding] = []

    for rel in facts.releases.values():
        what = f"release {rel.version}"
        _order(findings, rel.where, what, rel.released, "released", rel.general_support_end, "general_support_end")
        _order(findings, rel.where, what, rel.released, "released", rel.security_support_end, "security_support_end")
        _order(findings, rel.where, what, rel.general_support_end, "general_support_end",
               rel.security_support_end, "security_support_end")
        previous = None
        for a in rel.amendments:
            awhat = f"an amendment of release {rel.version}"
            _order(findings, a.where, awhat, rel.released, "the release date", a.announced, "announced")
            gen = a.general_support_end or rel.general_support_end
            sec = a.security_support_end or rel.security_support_end
            _order(findings, a.where, awhat, gen, "general_support_end", sec, "security_support_end")
            if previous is not None:
                _order(findings, a.where, f"the amendments of release {rel.version} (list them oldest first)",
                       previous, "the previous amendment's date", a.announced, "announced")
            previous = a.announced

    names: dict[str, Where] = {}
    for pkg in facts.packages:
        if pkg.name in names:
            findings.append(Finding(pkg.where.path, pkg.where.line,
                                    f"package {pkg.name} is listed twice (also on line {names[pkg.name].line})"))
        names[pkg.name] = pkg.where
        _known_version(findings, facts, pkg.xen_where or pkg.where, f"package {pkg.name}", pkg.xen)
        if pkg.name.removeprefix("xenkernel") != pkg.tools.removeprefix("xentools"):
            findings.append(Finding(pkg.where.path, pkg.where.line,
                                    f"package {pkg.name} has tools: {pkg.tools}; the matching tools package is "
                                    f"xentools{pkg.name.removeprefix('xenkernel')}"))
        what = f"package {pkg.name}"
        if pkg.removed is not None:
            _order(findings, pkg.where, what, pkg.added, "added", pkg.removed.by, "removed")
            _order(findings, pkg.where, what, pkg.added, "added", pkg.removed.after, "removed after")
            _order(findings, pkg.where, what, pkg.removed.after, "removed after", pkg.removed.by, "removed by")
        for o in pkg.rcd_toolstack:
            ts = facts.toolstacks.get(o.value)
            if ts is not None and pkg.xen in facts.releases and not ts.has(pkg.xen):
                findings.append(Finding(pkg.where.path, pkg.where.line,
                                        f"package {pkg.name} (Xen {pkg.xen}) is said to use {o.value} in its rc.d "
                                        f"scripts, but Xen {pkg.xen} has no {o.value}"))
        for o in pkg.security:
            if o.extra.get("last_patch") and o.value != "none":
                findings.append(Finding(pkg.where.path, pkg.where.line,
                                        f"package {pkg.name}: last_patch only goes with patches: none"))

    seen: dict[str, Where] = {}
    for br in facts.branches:
        if br.name in seen:
            findings.append(Finding(br.where.path, br.where.line,
                                    f"branch {br.name} is listed twice (also on line {seen[br.name].line})"))
        seen[br.name] = br.where
        what = f"branch {br.name}"
        _order(findings, br.where, what, br.branched, "branched", br.released.by, "released")
        _order(findings, br.where, what, br.released.after, "released after", br.released.by, "released by")
        _order(findings, br.where, what, br.released.after or br.released.by, "released", br.end_of_life, "end_of_life")

    for ts in facts.toolstacks.values():
        what = f"toolstack {ts.name}"
        for v in (ts.first_xen, ts.last_xen, ts.works_well_from, ts.preferred_from):
            _known_version(findings, facts, ts.where, what, v)
        if ts.last_xen and version_key(ts.first_xen) > version_key(ts.last_xen):
            findings.append(Finding(ts.where.path, ts.where.line,
                                    f"{what}: first_xen {ts.first_xen} is after last_xen {ts.last_xen}"))
        for d in ts.daemons:
            _known_version(findings, facts, ts.where, f"{what} daemons", d.xen_from)
            _known_version(findings, facts, ts.where, f"{what} daemons", d.xen_to)
            if d.xen_to and version_key(d.xen_from) > version_key(d.xen_to):
                findings.append(Finding(ts.where.path, ts.where.line,
                                        f"{what} daemons: xen_from {d.xen_from} is after xen_to {d.xen_to}"))

    branch_names = {b.name for b in facts.branches}
    for pkg in facts.packages:
        named = list(pkg.builds_on.value) if pkg.builds_on else []
        named += [b for o in pkg.binary_packages for b in o.value] + [r.branch for r in pkg.build_reports]
        for name in sorted(set(named) - branch_names, key=int):
            findings.append(Finding(pkg.where.path, pkg.where.line,
                                    f"package {pkg.name} names NetBSD branch {name}, which "
                                    "data/netbsd_branches.yaml does not list; add the branch there first"))
    for gt in facts.guest_types.values():
        _known_version(findings, facts, gt.where, f"guest type {gt.name}", gt.xen_from)
        if not any(gt.name in k.guest_types for k in facts.kernels if k.role == "domU") and gt.kernel_from == "dom0":
            findings.append(Finding(gt.where.path, gt.where.line,
                                    f"guest type {gt.name} boots a kernel from the dom0, but no domU kernel of "
                                    "data/netbsd_kernels.yaml lists it in guest_types"))
    for k in facts.kernels:
        if k.role == "domU" and not k.guest_types:
            findings.append(Finding(k.where.path, k.where.line,
                                    f"domU kernel {k.name} ({k.arch}) needs guest_types: the guest types that boot it"))
        _known_version(findings, facts, k.where, f"kernel {k.name} ({k.arch})", k.xen_to)
        if k.arch.startswith("i386") != ("/i386/" in k.path):
            findings.append(Finding(k.where.path, k.where.line,
                                    f"kernel {k.name} is for {k.arch} but its path {k.path} is not"))
    return sorted(set(findings))
