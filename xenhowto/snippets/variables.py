"""What a snippet template sees: the reader's setup plus values derived from it
and data/ (kernel file names, the Xen package's paths, console arguments, rc.conf
daemons).  Each derived value declares the setup dimensions it reads, so the
guide builder knows for which combinations to pre-render a template."""
from __future__ import annotations

from xenhowto.guide.constraints import DOMU

# Values the reader types: substituted verbatim, never branched on, so the
# browser can fill them into one pre-rendered text.
SLOTS = ("name", "memory", "disk_size", "mac", "dom0_mem", "serial_speed", "pci")

# derived name -> setup dimensions it depends on
DEPENDS = {
    "xen_kernel_dir": ("xen",),
    "package": ("xen",),
    "tools": ("xen",),
    "dom0_kernel": ("dom0_arch", "xen", "domu"),
    "dom0_kernel_path": ("dom0_arch", "xen", "domu"),
    "domu_kernel": ("domu",),
    "domu_kernel_path": ("domu",),
    "netbsd_console": ("console", "serial_port"),
    "xen_console": ("console", "serial_port", "serial_speed"),
    "daemons": ("toolstack", "xen"),
    "xen_port": ("serial_port",),
}


def _kernel(facts, role: str, arch: str):
    for k in facts.kernels:
        if k.role == role and k.arch == arch:
            return k
    raise LookupError(f"data/netbsd_kernels.yaml has no {role} kernel for {arch}")


def _dom0_arch_kind(values) -> str:
    if values.get("dom0_arch") == "amd64":
        return "amd64"
    # i386: PAE, except the non-PAE Xen 3.1 world (an i386 non-PAE domU says so)
    return "i386" if values.get("domu") == "netbsd-i386" else "i386pae"


def derive(values: dict, facts, view=None) -> dict:
    """The template variables for a (complete or partial) setup."""
    out = dict(values)
    xen = values.get("xen")
    if xen:
        pkg = next((p for p in facts.packages if p.xen == xen), None)
        if pkg:
            out["package"], out["tools"] = pkg.name, pkg.tools
            out["xen_kernel_dir"] = pkg.kernel_dir
    if "dom0_arch" in values:
        k = _kernel(facts, "dom0", _dom0_arch_kind(values))
        out["dom0_kernel"] = f"netbsd-{k.name}.gz"
        out["dom0_kernel_path"] = "/usr/obj/" + k.path
    domu = values.get("domu")
    if domu in DOMU:
        k = _kernel(facts, "domU", DOMU[domu][0])
        out["domu_kernel"] = f"netbsd-{k.name}.gz"
        out["domu_kernel_path"] = "/usr/obj/" + k.path
    if "console" in values:
        port = values.get("serial_port", "com0")
        out["xen_port"] = f"com{int(port[3:]) + 1}"  # Xen counts serial ports from 1, NetBSD from 0
        if values["console"] == "serial":
            out["netbsd_console"] = port
            out["xen_console"] = f" console={out['xen_port']} {out['xen_port']}={values.get('serial_speed', '115200')},8n1"
        else:
            out["netbsd_console"] = "pc"
            out["xen_console"] = ""
    if values.get("toolstack") and xen:
        ts = facts.toolstacks.get(values["toolstack"])
        out["daemons"] = [d for r in (ts.daemons if ts else []) if r.covers(xen) for d in r.enable]
    return out
