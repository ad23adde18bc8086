"""What a snippet template sees: the reader's setup plus values derived from it
and data/ (kernel file names, the Xen package's paths, console arguments, rc.conf
daemons).  Each derived value declares the setup dimensions it reads, so the
guide builder knows for which combinations to pre-render a template."""
from __future__ import annotations

from xenhowto.guide.constraints import DOMU

SLOT_OPEN = "\ue000"  # xenhowto.guide.matrix.marker: a builder slot

# Values the reader types: substituted verbatim, never branched on, so the
# browser can fill them into one pre-rendered text.
SLOTS = ("name", "memory", "disk_size", "mac", "dom0_mem", "serial_speed", "pci", "nic", "partition")

# derived name -> setup dimensions it depends on
DEPENDS = {
    "xen_kernel_dir": ("xen",),
    "package": ("xen",),
    "tools": ("xen",),
    "dom0_kernel": ("dom0_arch", "xen", "domu"),
    "dom0_kernel_path": ("dom0_arch", "xen", "domu"),
    "domu_kernel": ("domu", "domu_type"),
    "domu_kernel_path": ("domu", "domu_type"),
    "type_key": ("xen",),
    "disk_vdev": ("domu", "domu_type"),
    "dom0_mem_mb": ("dom0_mem",),
    "release_url": ("netbsd",),
    "dom0_port": ("dom0_arch",),
    "domu_port": ("domu",),
    "domu_install_kernel": ("domu",),
    "domu_install_kernel_path": ("domu",),
    "partition_disk": ("partition",),
    "netbsd_console": ("console", "serial_port"),
    "xen_console": ("console", "serial_port", "serial_speed"),
    "daemons": ("toolstack", "xen"),
    "xen_port": ("serial_port",),
}


def _kernel(facts, role: str, arch: str, guest_type: str | None = None):
    for k in facts.kernels:
        if k.role == role and k.arch == arch and not k.install and (guest_type is None or guest_type in k.guest_types):
            return k
    what = f"{guest_type} " if guest_type else ""
    raise LookupError(f"data/netbsd_kernels.yaml has no {what}{role} kernel for {arch}")


# The private network of a NAT setup: the dom0's bridge1 is its gateway, the
# domU its first host (RFC 1918 addresses; the page's NAT section says so).
NAT = {"nat_net": "10.0.0.0/24", "nat_gateway": "10.0.0.1", "nat_domu": "10.0.0.2"}
PORTS = {"amd64": "amd64", "i386pae": "i386", "i386": "i386"}


def partition_disk(value) -> str:
    """The disk of a partition a reader typed (wd1e: wd1); of a builder slot, its marker."""
    text = str(value)
    if text.startswith(SLOT_OPEN):
        return text[:-1] + "|disk" + text[-1]
    return text[:-1]


def size_mb(value) -> str:
    """A size a reader typed (512M, 2G) in megabytes, as xl list shows it; a
    builder slot marker becomes the marker of the same slot in MB."""
    text = str(value)
    if text.startswith(SLOT_OPEN):
        return text[:-1] + "|mb" + text[-1]
    number, unit = text[:-1], text[-1:]
    if not number.isdigit() or unit not in "MG":
        return text
    return str(int(number) * (1024 if unit == "G" else 1))


def _dom0_arch_kind(values) -> str:
    if values.get("dom0_arch") == "amd64":
        return "amd64"
    # i386: PAE, except the non-PAE Xen 3.1 world (an i386 non-PAE domU says so)
    return "i386" if values.get("domu") == "netbsd-i386" else "i386pae"


def release_url(facts, branch: str, as_of) -> str:
    """The URL of the newest release of a NetBSD branch at ``as_of`` (data/netbsd_kernels.yaml)."""
    import datetime as dt

    from xenhowto.facts.view import View

    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    view = View(facts, day)
    br = view.branch(branch)
    if br is None:
        return ""
    return facts.release_url.format(release=view.netbsd_release(br))


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
        out["dom0_port"] = k.path.split("/")[1]
    out.update(NAT)
    if values.get("netbsd") and values.get("as_of") and facts.release_url:
        out["release_url"] = release_url(facts, str(values["netbsd"]), values["as_of"])
    if values.get("partition") is not None:
        out["partition_disk"] = partition_disk(values["partition"])
    domu = values.get("domu")
    guest_type = values.get("domu_type") or "pv"
    if domu in DOMU and guest_type != "hvm":
        try:
            k = _kernel(facts, "domU", DOMU[domu][0], guest_type)
        except LookupError:
            k = None  # a setup the constraints refuse; the example is not rendered for it
        if k is not None:
            out["domu_kernel"] = f"netbsd-{k.name}.gz"
            out["domu_kernel_path"] = "/usr/obj/" + k.path
        out["domu_port"] = PORTS[DOMU[domu][0]]
        installer = next((k for k in facts.kernels if k.role == "domU" and k.install
                          and k.arch == DOMU[domu][0]), None)
        if installer is not None:
            out["domu_install_kernel"] = installer.file
            out["domu_install_kernel_path"] = "/usr/obj/" + installer.path
    if xen and facts.type_key is not None:
        from xenhowto.facts.model import version_key

        out["type_key"] = version_key(xen) >= version_key(facts.type_key.value)
    if domu:
        # xl-disk-configuration: HVM's emulated BIOS boots a disk named like hda; NetBSD PV/PVH
        # domUs take 0x0 (xbd0); Linux wants its device number (0x300 = hda)
        out["disk_vdev"] = "hda" if guest_type == "hvm" else "0x300" if domu == "linux" else "0x0"
    if "dom0_mem" in values:
        out["dom0_mem_mb"] = size_mb(values["dom0_mem"])
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
