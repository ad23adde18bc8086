"""Claims a page or a guide makes that the facts of its date contradict.

What rots in the HOWTO is prose that names things: a package, a Xen version,
a kernel, a daemon, a toolstack, a NetBSD branch, a versioned document.  This
module finds those names and judges each by the facts:

- on the full page as of a date, in the hand-written text (generated text is
  computed from the same facts): a package must be in pkgsrc then; a Xen
  version, a branch must exist by then; xm and xend only while a package in
  pkgsrc has them; a kernel must be one NetBSD has; a versioned Xen document
  must be of a Xen in pkgsrc;
- in a guide, in all its text: only the guide's own package, kernels,
  daemons, toolstack; no NetBSD branch newer than its own; documents of its
  own Xen version;
- in both, old dated claims are warnings to re-verify (``facts.staleness``).

Text in [[!table]] rows and in examples is data or quoted output, not prose,
and is left to the example validators (``checking.examples``), except that a
boot.cfg example must load a kernel NetBSD has and multiboot a Xen file a
package installs.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from xenhowto.findings import Finding

PACKAGE_RE = re.compile(r"\b(xen(?:kernel|tools)[0-9]+(?:-hvm)?)\b")
XEN_RE = re.compile(r"\bXen\s+([0-9]+\.[0-9]+)\b")
KERNEL_RE = re.compile(r"\b((?:INSTALL_)?XEN3(?:PAE)?_DOM(?:0|U))\b")
DAEMON_RE = re.compile(r"\b(xend|xenbackendd|xencommons)\b")
XM_RE = re.compile(r"\bxm\b")
BRANCH_RE = re.compile(r"\bnetbsd-([0-9]+)\b|\bNetBSD ([0-9]+)(?:\.[0-9]+)*\b")
DOC_RE = re.compile(r"xenbits\.[\w.]+/docs/([0-9]+\.[0-9]+)-testing/")
NEGATION_RE = re.compile(r"\b(?:not|never|no|don't|Do NOT)\b", re.IGNORECASE)

@dataclass(frozen=True)
class Mention:
    kind: str  # package, xen, kernel, daemon, xm, branch, doc
    value: str
    line: int
    sentence: str


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n\n", 0, at))
    end = text.find(". ", at)
    return text[start + 1 if start >= 0 else 0:end if end >= 0 else len(text)]


def mentions(text: str) -> list[Mention]:
    """Every name the text mentions, with its line (1-based) and sentence."""
    out = []
    for kind, rx in (("package", PACKAGE_RE), ("xen", XEN_RE), ("kernel", KERNEL_RE), ("daemon", DAEMON_RE),
                     ("xm", XM_RE), ("branch", BRANCH_RE), ("doc", DOC_RE)):
        for m in rx.finditer(text):
            value = next(g for g in m.groups() if g) if m.groups() else m.group(0)
            out.append(Mention(kind, value, text.count("\n", 0, m.start()) + 1, _sentence(text, m.start())))
    return sorted(out, key=lambda m: m.line)


# --- judging --------------------------------------------------------------------

def _known_kernels(view) -> set[str]:
    return {k.name for k in view.facts.kernels} | {"GENERIC"}


def _has_xm(view, versions) -> bool:
    xm = view.facts.toolstacks.get("xm")
    return bool(xm) and any(xm.has(v) for v in versions)


def _daemons_for(view, versions, toolstacks) -> set[str]:
    out = set()
    for ts in view.facts.toolstacks.values():
        if ts.name not in toolstacks:
            continue
        for rng in ts.daemons:
            if any(ts.has(v) and rng.covers(v) for v in versions):
                out |= set(rng.enable)
    return out


def _branch_ok(view, name: str) -> bool:
    br = view.branch(name)
    return br is not None and view.branch_exists(br)


def judge_page(found: list[Mention], view) -> list[tuple[int, str]]:
    """(line, message) for the names the full page's hand-written text gets
    wrong at the view's date."""
    pkgs = view.packages()
    in_pkgsrc = {p.name for p in pkgs} | {p.tools for p in pkgs} | \
        {p.hvm_tools.value for p in pkgs if p.hvm_tools is not None}
    versions = [p.xen for p in pkgs]
    toolstacks = {ts for v in versions for ts in view.toolstacks_for(v)}
    daemons = _daemons_for(view, versions, toolstacks)
    day = view.as_of.isoformat()
    out = []
    for m in found:
        if m.kind == "package" and m.value not in in_pkgsrc:
            out.append((m.line, f"names {m.value}, which is not in pkgsrc as of {day}; generate the sentence "
                                "from data/ or put it in a [[!when]] region of the setups it is about"))
        elif m.kind == "xen":
            rel = view.facts.releases.get(m.value)
            if rel is not None and rel.released.latest > view.as_of:
                out.append((m.line, f"names Xen {m.value}, which was not released by {day}"))
        elif m.kind == "kernel" and m.value not in _known_kernels(view):
            out.append((m.line, f"names a kernel {m.value} that no NetBSD release has (data/netbsd_kernels.yaml)"))
        elif m.kind == "daemon" and m.value not in daemons and not NEGATION_RE.search(m.sentence):
            out.append((m.line, f"names {m.value}, which no Xen package in pkgsrc as of {day} runs; put the "
                                "sentence in a [[!when]] region of the setups that have it"))
        elif m.kind == "xm" and not _has_xm(view, versions):
            out.append((m.line, f"names xm, which no Xen package in pkgsrc as of {day} has (xm ended with "
                                "Xen 4.4); put the sentence in a [[!when \"toolstack == xm\"]] region"))
        elif m.kind == "branch" and not _branch_ok(view, m.value):
            out.append((m.line, f"names NetBSD {m.value}, which did not exist by {day}"))
        elif m.kind == "doc" and m.value not in versions:
            out.append((m.line, f"links the Xen {m.value} documents, but Xen {m.value} is not in pkgsrc as of {day}"))
    return out


def guide_kernels(view, values: dict) -> set[str]:
    """The kernels a guide for this setup may name."""
    from xenhowto.guide.constraints import DOMU

    out = {"GENERIC"}
    dom0 = "amd64" if values.get("dom0_arch") == "amd64" else (
        "i386" if values.get("domu") == "netbsd-i386" else "i386pae")
    out |= {k.name for k in view.facts.kernels if k.role == "dom0" and k.arch == dom0}
    archs = DOMU.get(values.get("domu"), ())
    gtype = values.get("domu_type", "pv")
    out |= {k.name for k in view.facts.kernels if k.role == "domU" and k.arch in archs and gtype in k.guest_types}
    # the installer (sysinst in a PV kernel) installs a domU of any guest type
    out |= {k.name for k in view.facts.kernels if k.role == "domU" and k.install and k.arch in archs}
    return out


def judge_guide(found: list[Mention], view, values: dict, package, tools: str) -> list[tuple[int, str]]:
    """(line, message) for names a guide gets wrong for its own setup."""
    xen, toolstack, netbsd = str(values.get("xen")), values.get("toolstack"), str(values.get("netbsd"))
    own = {package.name, tools} | ({package.hvm_tools.value} if package.hvm_tools else set())
    kernels = guide_kernels(view, values)
    daemons = _daemons_for(view, [xen], {toolstack})
    from xenhowto.facts.model import version_key

    out = []
    for m in found:
        if m.kind == "package" and m.value not in own:
            out.append((m.line, f"names {m.value}, but this guide installs {package.name} and {tools}"))
        elif m.kind == "xen":
            rel = view.facts.releases.get(m.value)
            if rel is not None and rel.released.latest > view.as_of:
                out.append((m.line, f"names Xen {m.value}, which was not released by {view.as_of.isoformat()}"))
            elif version_key(m.value) > version_key(xen):
                out.append((m.line, f"names Xen {m.value}, newer than this guide's Xen {xen}"))
        elif m.kind == "kernel" and m.value not in kernels:
            out.append((m.line, f"names {m.value}, which is not a kernel of this setup ({', '.join(sorted(kernels))})"))
        elif m.kind == "daemon" and m.value not in daemons and not NEGATION_RE.search(m.sentence):
            out.append((m.line, f"names {m.value}, which this setup ({toolstack}, Xen {xen}) does not run"))
        elif m.kind == "daemon" and m.value not in daemons and not _has_xm(view, [xen]):
            out.append((m.line, f"names {m.value}, which Xen {xen} does not have at all"))
        elif m.kind == "xm" and toolstack != "xm" and not _has_xm(view, [xen]):
            out.append((m.line, f"names xm, which Xen {xen} does not have"))
        elif m.kind == "branch":
            if not _branch_ok(view, m.value):
                out.append((m.line, f"names NetBSD {m.value}, which did not exist by {view.as_of.isoformat()}"))
            elif netbsd.isdigit() and int(m.value) > int(netbsd):
                out.append((m.line, f"names NetBSD {m.value}, newer than this guide's NetBSD {netbsd}"))
        elif m.kind == "doc" and m.value != xen:
            out.append((m.line, f"links the Xen {m.value} documents in a guide for Xen {xen}"))
    return out


# --- files in examples -------------------------------------------------------------

LOAD_RE = re.compile(r"\bload\s+/?(?:\S*/)?netbsd-([A-Z0-9_]+)(?:\.[\w]+)*\.gz\b")
MULTIBOOT_RE = re.compile(r"\bmultiboot\s+(\S+)")
XEN_FILE_RE = re.compile(r"^/?(?:\S*/)?xen(?:-debug)?(?:\.[\w]+)*\.gz$")


def bootcfg_files(content: str, view) -> list[tuple[int, str]]:
    """(line within the example, message) for kernel and Xen files of a
    boot.cfg example that no NetBSD release or Xen package has."""
    dom0 = {k.name for k in view.facts.kernels if k.role == "dom0"}
    out = []
    for n, line in enumerate(content.splitlines(), 1):
        for m in LOAD_RE.finditer(line):
            if m.group(1) not in dom0:
                out.append((n, f"loads netbsd-{m.group(1)}, which is not a dom0 kernel of a NetBSD release "
                               f"({', '.join(sorted(dom0))})"))
        for m in MULTIBOOT_RE.finditer(line):
            target = m.group(1).rstrip(";")
            if not XEN_FILE_RE.match(target):
                out.append((n, f"multiboots {target}, which no Xen package installs (they install xen.gz and "
                               "xen-debug.gz)"))
    return out


def findings(path: str, problems: list[tuple[int, str]], severity: str = "error", offset: int = 0) -> list[Finding]:
    return [Finding(path, line + offset, message, severity) for line, message in problems]
