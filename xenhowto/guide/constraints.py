"""Constraints derived from data/: which dom0 and domU architectures each Xen
package supports.  With the hand-written ones of data/setup.yaml they are all
the rules a setup must follow; each carries the file:line of its fact."""
from __future__ import annotations

from xenhowto.guide import conditions, model

# setup value -> the kernel architectures (data/pkgsrc_packages.yaml archs) it can be
DOM0 = {"amd64": ("amd64",), "i386": ("i386pae", "i386")}
DOMU = {"netbsd-amd64": ("amd64",), "netbsd-i386pae": ("i386pae",), "netbsd-i386": ("i386",)}
_WORDS = {"amd64": "amd64", "i386pae": "i386 PAE", "i386": "i386 without PAE"}


def _archs(words) -> str:
    names = [_WORDS[a] for a in words]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def derived(view) -> list[model.Constraint]:
    out = []
    for p in sorted(view.facts.packages, key=lambda p: p.key):
        if p.added.earliest > view.as_of:
            continue
        fact = f"{p.where.path}:{p.where.line} ({p.name} archs; {p.archs_source})"
        dom0 = [v for v, kinds in DOM0.items() if set(kinds) & set(p.dom0_archs)]
        domu = [v for v, kinds in DOMU.items() if set(kinds) & set(p.domu_archs)] + ["linux", "solaris"]
        # a package that allows every choice constrains nothing
        if len(dom0) < len(DOM0):
            out.append(model.Constraint(
                id=f"dom0-arch-{p.name}", when=conditions.parse(f"xen == {p.xen}"),
                require=conditions.parse(f"dom0_arch in [{', '.join(dom0)}]") if dom0 else conditions.parse("dom0_arch == none"),
                reason=f"Xen {p.xen} ({p.name}) runs with a dom0 kernel for {_archs(p.dom0_archs)}.",
                fact=fact))
        if len(domu) < len(DOMU) + 2:
            out.append(model.Constraint(
                id=f"domu-arch-{p.name}", when=conditions.parse(f"xen == {p.xen}"),
                require=conditions.parse(f"domu in [{', '.join(domu)}]"),
                reason=f"Xen {p.xen} ({p.name}) runs NetBSD domUs for {_archs(p.domu_archs)}.",
                fact=fact))
    return out


def all_constraints(m: model.SetupModel, view) -> list[model.Constraint]:
    return list(m.constraints) + derived(view)
