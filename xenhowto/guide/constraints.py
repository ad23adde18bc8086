"""Constraints derived from data/ at an as-of date: which dom0 and domU
architectures each Xen package supports, the NetBSD branches it is made for,
which guest types a Xen and a NetBSD release run, 32-bit PV guests, PCI
passthrough, and xm only where the package's rc.d scripts use it.  With the hand-written ones of data/setup.yaml they are all the
rules a setup must follow; each carries the file:line of its fact, and its
reason is a sentence for a reader (the CLI and the guide builder show it)."""
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
    for p in sorted(view.packages(), key=lambda p: p.key):  # a reader can choose only these
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


def _where(obj) -> str:
    return f"{obj.where.path}:{obj.where.line}"


def _values(items) -> str:
    """The right-hand side of ``in [...]``; a value no setup has when empty."""
    return "[" + ", ".join(items) + "]" if items else "[none]"


def platforms(view) -> list[model.Constraint]:
    """A package is only for the NetBSD branches its Makefile names."""
    out = []
    for p in sorted(view.packages(), key=lambda p: p.key):
        if p.builds_on is None:
            continue
        allowed = list(p.builds_on.value)
        out.append(model.Constraint(
            id=f"platform-{p.name}", when=conditions.parse(f"xen == {p.xen}"),
            require=conditions.parse(f"netbsd in {_values(allowed)}"),
            reason=f"{p.name} (Xen {p.xen}) is made only for NetBSD {', '.join(allowed)}.",
            fact=f"{_where(p)} ({p.builds_on.source})"))
    return out


def pci(view) -> list[model.Constraint]:
    """PCI passthrough only with a package that has it with a NetBSD dom0."""
    have = [p for p in sorted(view.packages(), key=lambda p: p.key)
            if p.pci_passthrough is not None and p.pci_passthrough.value]
    if have:
        names = ", ".join(f"{p.name} (Xen {p.xen})" for p in have)
        reason = f"PCI passthrough with a NetBSD dom0 works only with {names}."
        fact = "; ".join(f"{_where(p)} ({p.pci_passthrough.source})" for p in have)
    else:
        ever = [p for p in view.facts.packages if p.pci_passthrough is not None and p.pci_passthrough.value
                and p.added.latest <= view.as_of]
        newest = sorted(view.packages(), key=lambda p: p.key)[-1:] if view.packages() else []
        reason = f"No Xen package in pkgsrc as of {view.as_of.isoformat()} has PCI passthrough with a NetBSD dom0"
        if ever:
            last = ever[-1]
            gone = last.removed.after.latest.isoformat() if last.removed and last.removed.after else None
            reason += f"; the last that did, {last.name} (Xen {last.xen}), left pkgsrc {last.removed.shown()}"
            if gone:
                reason += f"; for the guide of that time use --as-of {gone}"
        reason += "."
        facts = [f"{_where(p)} ({p.pci_passthrough.source})" for p in newest if p.pci_passthrough is not None]
        fact = "; ".join(facts) or "data/pkgsrc_packages.yaml (pci_passthrough)"
    return [model.Constraint(id="pci-passthrough", when=conditions.parse("pci"),
                             require=conditions.parse(f"xen in {_values([p.xen for p in have])}"),
                             reason=reason, fact=fact)]


def guest_types(view) -> list[model.Constraint]:
    """Which Xen, NetBSD release and domU system each guest type needs."""
    facts = view.facts
    out = [model.Constraint(
        id="other-systems-are-pv", when=conditions.parse("domu in [linux, solaris]"),
        require=conditions.parse("domu_type == pv"),
        reason="The HOWTO describes Linux and Solaris domUs only as PV guests.",
        fact="docs/ports/xen/howto.mdwn, Creating an unprivileged Linux domain: vmlinuz-*-xenU kernels")]
    known = sorted(view.packages(), key=lambda p: p.key)
    branches = [b for b in view.branches() if view.branch_released(b)]
    newest = branches[-1] if branches else None
    for gt in facts.guest_types.values():
        xen_ok = [p.xen for p in known if p.key >= model_version(gt.xen_from)]
        if len(xen_ok) < len(known):
            out.append(model.Constraint(
                id=f"{gt.name}-needs-xen-{gt.xen_from}", when=conditions.parse(f"domu_type == {gt.name}"),
                require=conditions.parse(f"xen in {_values(xen_ok)}"),
                reason=f"{gt.label} domUs need Xen {gt.xen_from} or later.",
                fact=f"{_where(gt)} ({gt.source})"))
        runs = [b.name for b in branches if gt.name in (view.domu_types(b) or ())]
        # -current runs what the newest branch runs, as far as the facts go (before the
        # first branch the data has, nothing is recorded against it)
        if newest is None or gt.name in (view.domu_types(newest) or ()):
            runs.append("current")
        if len(runs) < len(branches) + 1:
            why = next((b.xen["domu_types"] for b in reversed(branches) if "domu_types" in b.xen), None)
            first = next((b for b in branches if gt.name in (view.domu_types(b) or ())), None)
            since = (f"NetBSD {first.name} and later run" if first else
                     f"No NetBSD release as of {view.as_of.isoformat()} is recorded to run")
            out.append(model.Constraint(
                id=f"{gt.name}-netbsd", when=conditions.parse(f"domu_type == {gt.name}"),
                require=conditions.parse(f"netbsd in {_values(runs)}"),
                reason=f"{since} as {gt.label} domUs (the domU runs the dom0's NetBSD release).",
                fact=f"data/netbsd_branches.yaml (xen.domu_types; {why.source if why else gt.source})"))
        # the NetBSD domUs with a kernel of this type (PV has one for every architecture)
        kernel_archs = {k.arch for k in facts.kernels if k.role == "domU" and gt.name in k.guest_types}
        systems = [v for v, kinds in DOMU.items() if set(kinds) & kernel_archs]
        if gt.name != "pv":
            out.append(model.Constraint(
                id=f"{gt.name}-systems", when=conditions.parse(f"domu_type == {gt.name}"),
                require=conditions.parse(f"domu in {_values(systems)}"),
                reason=f"The HOWTO records {'an' if gt.label[0] in 'AEFHILMNORSX' else 'a'} {gt.label} kernel only for "
                       f"{', '.join(_WORDS[a] for a in sorted(kernel_archs)) or 'no'} NetBSD domUs.",
                fact="data/netbsd_kernels.yaml (guest_types)"))
    # 32-bit PV guests, as each package's MESSAGE says at the as-of date
    ok = [p.xen for p in known if view.pv32(p) != "unsupported"]
    if len(ok) < len(known):
        bad = [p for p in known if view.pv32(p) == "unsupported"]
        out.append(model.Constraint(
            id="pv32-guests", when=conditions.parse("domu_type == pv and domu in [netbsd-i386pae, netbsd-i386]"),
            require=conditions.parse(f"xen in {_values(ok)}"),
            reason="32-bit PV guests are not officially supported any more by "
                   f"{' and '.join(p.name for p in bad)} (pkgsrc's advice: pvshim for NetBSD 9 or older, PVH for "
                   "NetBSD 10 or newer; this HOWTO records no i386 PVH kernel yet): choose an amd64 domU.",
            fact="; ".join(f"{_where(p)} ({latest_source(p.pv32_guests, view)})" for p in bad)))
    return out


def model_version(v: str) -> tuple[int, ...]:
    from xenhowto.facts.model import version_key

    return version_key(v)


def latest_source(observations, view) -> str:
    seen = [o for o in observations if o.date.latest <= view.as_of]
    return seen[-1].source if seen else ""


def rc_scripts(view) -> list[model.Constraint]:
    """xm only with packages whose rc.d scripts use xm: the HOWTO does not support xm
    where pkgsrc's scripts (xendomains) run xl (rev 1.115: "the rc.d scripts provided
    by pkgsrc do not support this, and thus this HOWTO does not support it either")."""
    out = []
    for p in sorted(view.packages(), key=lambda p: p.key):
        o = [x for x in p.rcd_toolstack if x.date.latest <= view.as_of]
        if o and o[-1].value == "xl" and "xm" in view.toolstacks_for(p.xen):
            out.append(model.Constraint(
                id=f"rc-scripts-{p.name}", when=conditions.parse(f"xen == {p.xen}"),
                require=conditions.parse("toolstack == xl"),
                reason=f"The rc.d scripts of {p.tools} run xl; this HOWTO does not support xm with them.",
                fact=f"{_where(p)} (rcd_toolstack; {o[-1].source})"))
    return out


def all_constraints(m: model.SetupModel, view) -> list[model.Constraint]:
    return (list(m.constraints) + derived(view) + platforms(view) + pci(view) + guest_types(view)
            + rc_scripts(view))
