"""The HOWTO's words about kinds of guest (PV, HVM, PVH) and domU kernels,
generated from data/guest_types.yaml, netbsd_branches.yaml and
netbsd_kernels.yaml as of a date.  Before Xen had PVH, the text is the one of
revision 1.115 of the page."""
from __future__ import annotations

from xenhowto.facts.prose import join
from xenhowto.facts.view import View

PV_PARAGRAPH = (
    "The original is Para-Virtualized (PV) which means that the guest OS does not attempt to access hardware "
    "directly, but instead makes hypercalls to the hypervisor.  This is analogous to a user-space program making "
    "system calls.  (The dom0 operating system uses PV calls for some functions, such as updating memory mapping "
    "page tables, but has direct hardware access for disk and network.)  PV guests must be specifically coded for "
    "Xen."
)
HVM_TAIL = ("means that the guest does not have code for Xen and need not be aware that it is running under Xen.  "
            "Attempts to access hardware registers are trapped and emulated.  This style is less efficient but can "
            "run unmodified guests.")


def _released(view: View, version: str) -> bool:
    rel = view.facts.releases.get(version)
    return rel is not None and rel.released.latest <= view.as_of


def _first_branch(view: View, guest_type: str):
    """The first NetBSD branch released by the as-of date that runs as this kind of domU."""
    for b in view.facts.branches:
        if view.branch_released(b) and guest_type in (view.domu_types(b) or ()):
            return b
    return None


def styles(view: View) -> str:
    """The Introduction's paragraphs on the styles of guest Xen supports."""
    pvh = view.facts.guest_types.get("pvh")
    if pvh is None or not _released(view, pvh.xen_from):
        return f"Xen supports two styles of guests.  {PV_PARAGRAPH}\n\nThe more recent style is HVM, which {HVM_TAIL}\n"
    first = _first_branch(view, "pvh")
    kernel = next((k.name for k in view.facts.kernels if "pvh" in k.guest_types), "GENERIC")
    netbsd = (f"NetBSD runs as a PVH domU from NetBSD {first.name} on, with the {kernel} kernel." if first else
              "No NetBSD release runs as a PVH domU yet.")
    return (f"Xen supports three styles of guests.  {PV_PARAGRAPH}\n\n"
            f"HVM {HVM_TAIL}\n\n"
            f"PVH, from Xen {pvh.xen_from} on, is a lightweight HVM-like guest without a device model and without "
            f"most of the emulated devices of HVM; it needs a PVH-aware kernel and, like HVM, the CPU's "
            f"virtualization extensions.  {netbsd}\n")


def guest_types_summary(view: View) -> str:
    """Which NetBSD releases run as which kind of domU, and the kernel each
    kind boots (the section on PVH and HVM domUs)."""
    facts = view.facts
    branches = [b for b in view.branches() if view.branch_released(b)]
    out = []
    from xenhowto.guide.conditions import parse
    from xenhowto.guide.possible import possible

    for gt in facts.guest_types.values():
        runs = [f"netbsd-{b.name}" for b in branches if gt.name in (view.domu_types(b) or ())]
        kernels = list(dict.fromkeys(k.name for k, cond in kernel_rows(view, "domU")
                                     if gt.name in k.guest_types and not k.install and possible(parse(cond), view)))
        if gt.kernel_from == "dom0" and kernels:
            boots = f"boots the {join(kernels, 'or')} kernel from a file in the dom0"
        elif gt.kernel_from == "dom0":
            continue
        else:
            boots = "boots from its own disk, as a physical computer does, with the kernel installed in it"
        if runs:
            article = "An" if gt.label[0] in "AEFHILMNORSX" else "A"
            out.append(f"{article} {gt.label} domU {boots}; {join(runs)} run as {gt.label} domUs.")
    key = facts.type_key
    if key is not None and _released(view, key.value):
        out.append(f"From Xen {key.value} on, a domU's config file says which kind it is with type = \"pv\", "
                   f"\"pvh\" or \"hvm\"; older Xen knows only PV and HVM, and says {facts.legacy_hvm} for HVM.")
    if not out:
        return ""
    kinds = [gt.label for gt in facts.guest_types.values() if gt.name != "pv"
             and any(gt.name in (view.domu_types(b) or ()) for b in branches)]
    title = f"{join(kinds)} domUs"
    return f"{title}\n{'-' * len(title)}\n\n" + "  ".join(out) + "\n"


def uefi(view: View) -> str:
    """UEFI firmware for HVM domUs, once a package says how."""
    u = view.facts.uefi
    if not u or u["date"].latest > view.as_of:
        return ""
    return (f"To boot an HVM domU with UEFI firmware instead of a BIOS, install sysutils/{u['package']} and set "
            f"{u['config']} in its config file.\n")


def kernel_rows(view: View, role: str) -> list[tuple]:
    """(kernel, condition text) for each kernel of a role that some setup
    available at the as-of date uses; the condition says which setups."""
    from xenhowto.guide.constraints import DOMU

    rows = []
    for k in view.facts.kernels:
        if k.role != role:
            continue
        if role == "dom0":  # as snippets.variables picks the dom0 kernel
            cond = {"amd64": "dom0_arch == amd64", "i386pae": "dom0_arch == i386 and domu != netbsd-i386",
                    "i386": "dom0_arch == i386 and domu == netbsd-i386"}[k.arch]
        else:
            systems = [v for v, kinds in DOMU.items() if k.arch in kinds]
            cond = f"domu in [{', '.join(systems)}] and domu_type in [{', '.join(k.guest_types)}]"
        if k.xen_to:
            cond += f" and xen <= {k.xen_to}"
        rows.append((k, cond))
    return rows

