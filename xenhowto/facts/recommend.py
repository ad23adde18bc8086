"""The HOWTO's recommendation, computed from the facts by one rule.

RULE (also in docs/editors.md):

1. Xen packages: every xenkernel package in pkgsrc at the as-of date whose Xen
   release still has upstream security support then (general support, or
   security support only).  If there is none, the newest package (highest Xen)
   that, by the newest observation made by then, still gets security patches
   (released by Xen, or backported in pkgsrc); if there is none either, the
   newest package in pkgsrc.
2. Toolstack: xl, when every recommended Xen has xl and xl works well there
   (not 4.1); otherwise xm, when every recommended Xen has it.
3. NetBSD: the newest release branch that has had its x.0 release and is not
   past its end of life.
4. dom0: amd64 when every recommended Xen supports an amd64 dom0 (Xen 4.5 and
   later require it; for older Xen it is the standard approach).  domUs: the
   architectures every recommended Xen supports as domU; 32-bit ones only
   while every recommended package still runs 32-bit PV guests (its MESSAGE),
   as this HOWTO records no 32-bit PVH or HVM kernel.
5. domU type: PVH when the recommended NetBSD release runs as a PVH domU and
   every recommended Xen has PVH guests; otherwise PV.

Nothing here names a date, a version or a package: change the data and the
recommendation follows.
"""
from __future__ import annotations

from dataclasses import dataclass

from xenhowto.facts.model import Package, version_key
from xenhowto.facts.view import View

ARCH_ORDER = ("i386", "i386pae", "amd64")
UPSTREAM = "upstream security support"
PATCHED = "security patches observed"
NEWEST = "newest package (no security support known)"


@dataclass(frozen=True)
class Recommendation:
    packages: tuple[Package, ...]
    basis: str  # UPSTREAM, PATCHED or NEWEST
    toolstack: str | None
    netbsd_branch: str | None
    dom0_arch: str | None
    domu_archs: tuple[str, ...]
    domu_type: str = "pv"

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.packages]

    @property
    def tools(self) -> list[str]:
        return [p.tools for p in self.packages]


def packages(view: View) -> tuple[list[Package], str]:
    in_pkgsrc = view.packages()
    supported = [p for p in in_pkgsrc if p.xen in view.facts.releases and view.maintained(view.release(p.xen))]
    if supported:
        return supported, UPSTREAM
    patched = [p for p in in_pkgsrc if (o := view.security(p)) is not None and o.value in ("upstream", "backported")]
    if patched:
        return [max(patched, key=lambda p: p.key)], PATCHED
    if in_pkgsrc:
        return [max(in_pkgsrc, key=lambda p: p.key)], NEWEST
    return [], NEWEST


def toolstack(view: View, pkgs: list[Package]) -> str | None:
    if not pkgs:
        return None
    xl = view.facts.toolstacks.get("xl")
    if xl and all(xl.works_well(p.xen) for p in pkgs):
        return "xl"
    xm = view.facts.toolstacks.get("xm")
    if xm and all(xm.has(p.xen) for p in pkgs):
        return "xm"
    return "xl" if xl and all(xl.has(p.xen) for p in pkgs) else None


def _common(lists: list[list[str]]) -> list[str]:
    if not lists:
        return []
    common = set(lists[0]).intersection(*lists[1:])
    return [a for a in ARCH_ORDER if a in common]


def domu_type(view: View, pkgs: list[Package], branch) -> str:
    pvh = view.facts.guest_types.get("pvh")
    types = view.domu_types(branch) if branch is not None else None
    if pvh and pkgs and types and "pvh" in types and all(p.key >= version_key(pvh.xen_from) for p in pkgs):
        return "pvh"
    return "pv"


def recommend(view: View) -> Recommendation:
    pkgs, basis = packages(view)
    dom0 = _common([p.dom0_archs for p in pkgs])
    branch = view.newest_released_branch()
    return Recommendation(
        packages=tuple(pkgs),
        basis=basis,
        toolstack=toolstack(view, pkgs),
        netbsd_branch=branch.name if branch else None,
        dom0_arch="amd64" if "amd64" in dom0 else (dom0[-1] if dom0 else None),
        domu_archs=tuple(a for a in _common([p.domu_archs for p in pkgs])
                         if a == "amd64" or all(view.pv32(p) != "unsupported" for p in pkgs)),
        domu_type=domu_type(view, pkgs, branch),
    )

RULE_SUMMARY = (
    "the xenkernel packages in pkgsrc whose Xen release has upstream security support at the as-of date "
    "(else the newest package still observed to get security patches, else the newest package); xl where every "
    "recommended Xen has it and it works well, else xm; the newest released NetBSD branch not past its end of "
    "support; an amd64 dom0 where every recommended Xen supports it; PVH domUs where that NetBSD release and every "
    "recommended Xen run them, else PV"
)
