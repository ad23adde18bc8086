"""[[!netbsd_xen_kernels role=dom0|domU]]: NetBSD's Xen kernels for a role,
from data/netbsd_kernels.yaml.

On the page, a table (architecture, kernel, guest types, file in a release)
of the kernels some setup available at the as-of date uses; in a guide, one
sentence per kernel in a [[!when]] region, so a guide names only its own."""
from __future__ import annotations

from xenhowto.facts.prose_guests import kernel_rows
from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False
_ARCH = {"i386": "i386", "i386pae": "i386 (PAE)", "amd64": "amd64"}
_TYPES = {"pv": "PV", "pvh": "PVH", "hvm": "HVM"}


def render(d: Directive, ctx: PageContext) -> str:
    from xenhowto.guide.conditions import parse
    from xenhowto.guide.possible import possible

    unknown = [k for k in d.keys() if k != "role"]
    role = d.get("role")
    if unknown or role not in ("dom0", "domU"):
        raise DirectiveError("netbsd_xen_kernels takes role=dom0 or role=domU")
    view = _facts.view(ctx)
    rows = [(k, cond) for k, cond in kernel_rows(view, role) if possible(parse(cond), view)]
    if ctx.target == GUIDE:
        out = []
        for k, cond in rows:
            kinds = " and ".join(_TYPES[t] for t in k.guest_types) or "the dom0"
            what = "the installer's kernel" if k.install else "the kernel"
            use = f"for {kinds} domUs" if role == "domU" else "for the dom0"
            out.append(f'[[!when "{cond}"]]\nFor {_ARCH.get(k.arch, k.arch)}, {what} {use} is {k.name}: '
                       f"{k.path}.\n[[!endwhen]]")
        return "\n\n".join(out)
    table = ["Architecture|Kernel|For|File in a NetBSD release"]
    for k, cond in rows:
        limit = f" (Xen {k.xen_to} only)" if k.xen_to else ""
        # the guest types some setup of the date boots this kernel as
        kinds = [t for t in k.guest_types if possible(parse(f"{cond} and domu_type == {t}"), view)]
        use = "installing" if k.install else ", ".join(_TYPES[t] for t in kinds) if role == "domU" else "dom0"
        table.append(f"{_ARCH.get(k.arch, k.arch)}|{k.name}{limit}|{use}|{k.path}")
    return '[[!table data="""\n' + "\n".join(table) + '\n"""]]'
