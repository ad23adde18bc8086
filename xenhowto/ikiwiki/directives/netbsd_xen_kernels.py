"""[[!netbsd_xen_kernels role=dom0|domU]]: NetBSD's Xen kernels for a role,
as a table (architecture, kernel, file in a release), from
data/netbsd_kernels.yaml."""
from __future__ import annotations

from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.directives import _facts
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False
_ARCH = {"i386": "i386", "i386pae": "i386 (PAE)", "amd64": "amd64"}


def render(d: Directive, ctx: PageContext) -> str:
    unknown = [k for k in d.keys() if k != "role"]
    role = d.get("role")
    if unknown or role not in ("dom0", "domU"):
        raise DirectiveError("netbsd_xen_kernels takes role=dom0 or role=domU")
    kernels = [k for k in _facts.view(ctx).facts.kernels if k.role == role]
    rows = ["Architecture|Kernel|File in a NetBSD release"]
    for k in kernels:
        limit = f" (Xen {k.xen_to} only)" if k.xen_to else ""
        rows.append(f"{_ARCH.get(k.arch, k.arch)}|{k.name}{limit}|{k.path}")
    return '[[!table data="""\n' + "\n".join(rows) + '\n"""]]'
