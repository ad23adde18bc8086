"""The HOWTO's words about the dom0 that depend on dates and versions: CPUs
of NetBSD's dom0 and domU kernels, why kernfs is needed, PCI passthrough,
the boot options document, an upgrade example.  Generated from data/ as of a
date; where they differ by setup they are [[!when]] regions, so a guide keeps
only its own.  Before the facts changed, the text is revision 1.115's."""
from __future__ import annotations

from xenhowto.facts import history
from xenhowto.facts.prose import join
from xenhowto.facts.view import View


def _offered(view: View):
    return [b for b in view.branches() if view.branch_released(b)]


def _names(branches) -> str:
    return join([f"netbsd-{b.name}" for b in branches])


def _verb(branches, one: str, many: str) -> str:
    return one if len(branches) == 1 else many


def multiprocessor(view: View) -> str:
    """The NetBSD section's sentences on domU vcpus and dom0 CPUs."""
    out = []
    first = next((b for b in view.facts.branches if view.branch_exists(b)
                  and (f := view.feature(b, "domu_multiprocessor")) is not None and f.value), None)
    if first is not None:
        out.append(f"As of NetBSD {first.name}, a NetBSD domU will support multiple vcpus.")
    branches = _offered(view)
    groups = {"yes": [], "no": [], "unknown": []}
    for b in branches:
        f = view.feature(b, "dom0_multiprocessor")
        groups["unknown" if f is None else "yes" if f.value else "no"].append(b)
    lacking = ("(The dom0 itself doesn't really need SMP for dom0 functions; the lack of support is really a "
               "problem when using a dom0 as a normal computer.)")
    if groups["no"] and not groups["yes"] and not groups["unknown"]:
        out += ["There is no SMP support for NetBSD as dom0.", lacking]
    else:
        if groups["yes"]:
            out.append(f"The {_names(groups['yes'])} dom0 {_verb(groups['yes'], 'kernel is', 'kernels are')} "
                       "built with MULTIPROCESSOR: a NetBSD dom0 can use several CPUs.")
        if groups["no"]:
            out.append(f"The {_names(groups['no'])} dom0 {_verb(groups['no'], 'kernel has', 'kernels have')} "
                       f"no SMP support.  {lacking}")
        if groups["unknown"]:
            out.append(f"Whether the {_names(groups['unknown'])} dom0 "
                       f"{_verb(groups['unknown'], 'kernel uses', 'kernels use')} several CPUs is not recorded.")
    pvh = [b for b in branches if (f := view.feature(b, "pvh_dom0")) is not None and f.value]
    if pvh:
        out.append(f"{join([f'NetBSD {b.name}' for b in pvh])} can also boot as a PVH dom0 under recent Xen; "
                   "this is new, and this HOWTO keeps to the PV dom0.")
    return "  ".join(out) + "\n" if out else ""


def kernfs(view: View) -> str:
    """Why /kern must be mounted, for each toolstack a setup can have (a
    [[!when]] region each)."""
    out = []
    for ts in view.facts.toolstacks.values():
        if ts.kernfs is None:
            continue
        if not any(ts.has(p.xen) for p in view.packages()):
            continue
        out.append(f'[[!when "toolstack == {ts.name}"]]\n'
                   f"In a dom0 kernel, kernfs is mandatory {ts.kernfs.value}, so ensure that /kern is in fstab.\n"
                   "[[!endwhen]]")
    return "\n\n".join(out) + "\n" if out else ""


def pci_passthrough(view: View) -> str:
    """Which Xen runs PCI passthrough with a NetBSD dom0, as of the date."""
    have = [p for p in sorted(view.packages(), key=lambda p: p.key)
            if p.pci_passthrough is not None and p.pci_passthrough.value]
    if have:
        versions = join([f"Xen {p.xen}" for p in have], "or")
        return (f"If the dom0 is NetBSD, it has to be running {versions}, as support has not been ported to "
                "later versions yet.\n")
    out = [f"No Xen package in pkgsrc as of {history.known_on(view).isoformat()} supports PCI passthrough with a NetBSD "
           "dom0 (pkgsrc says of each: \"PCI passthrough is not supported.\")."]
    ever = [p for p in view.facts.packages if p.pci_passthrough is not None and p.pci_passthrough.value
            and p.added.latest <= view.as_of]
    if ever:
        last = ever[-1]
        out.append(f"The last one that did, {last.name} (Xen {last.xen}), left pkgsrc {last.removed.shown()}.")
    pciback = [b for b in _offered(view) if (f := view.feature(b, "pciback")) is not None and f.value]
    if pciback:
        out.append(f"The {_names(pciback)} dom0 {_verb(pciback, 'kernel has', 'kernels have')} the pciback "
                   "driver described below.")
    return "  ".join(out) + "\n"


def boot_options(view: View, per_setup: bool = False) -> str:
    """The sentence on Xen's boot options, linking the document of a Xen
    version: on the page the newest recommended one, in a guide its own (a
    [[!when]] region per version, ``per_setup``)."""
    from xenhowto.facts.recommend import recommend

    versions = [p.xen for p in sorted(view.packages(), key=lambda p: p.key)]
    if not versions:
        return ""
    if not per_setup:
        rec = recommend(view)
        versions = [max(rec.packages, key=lambda p: p.key).xen] if rec.packages else versions[-1:]

    def sentence(v: str) -> str:
        return (f"Xen has [many boot options](http://xenbits.xenproject.org/docs/{v}-testing/misc/"
                "xen-command-line.html), and other than dom0 memory and max_vcpus, they are generally not necessary.")

    if len(versions) == 1:
        return sentence(versions[0]) + "\n"
    return "\n\n".join(f'[[!when "xen == {v}"]]\n{sentence(v)}\n[[!endwhen]]' for v in versions) + "\n"


def upgrade_example(view: View) -> str:
    """The major-upgrade example, with the two newest Xen packages in pkgsrc."""
    pkgs = sorted(view.packages(), key=lambda p: p.key)
    if len(pkgs) < 2:
        return ""
    old, new = pkgs[-2], pkgs[-1]
    return (f"Assuming migration from {old.xen} to {new.xen}, remove the {old.name} and {old.tools} packages "
            f"and install the {new.name} and {new.tools} packages.  Copy the {new.xen} xen.gz to /.\n")


def netbsd_release(view: View, per_setup: bool = False) -> str:
    """Which NetBSD release to install and where it is: on the page the newest
    release of each branch offered, in a guide its own branch's (a [[!when]]
    region per branch)."""
    branches = _offered(view)
    url = view.facts.release_url
    if not branches or not url:
        return ""
    if not per_setup:
        releases = [f"NetBSD {view.netbsd_release(b)} (netbsd-{b.name})" for b in branches]
        return (f"The newest releases are {join(releases)}; each is on NetBSD's mirrors under "
                f"`{url.format(release='<release>')}`.\n")  # a code span: <release> is text
    out = []
    for b in branches:
        rel = view.netbsd_release(b)
        out.append(f'[[!when "netbsd == {b.name}"]]\n\nInstall NetBSD {rel}, the newest release of netbsd-{b.name}; '
                   f"it is on NetBSD's mirrors under {url.format(release=rel)}.\n\n[[!endwhen]]")
    out.append('[[!when "netbsd == current"]]\n\nInstall a NetBSD-current you built yourself with build.sh; '
               "its release directory holds the kernels the next steps use.\n\n[[!endwhen]]")
    return "\n\n".join(out) + "\n"
