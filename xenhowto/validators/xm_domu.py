"""xm domU configs (Xen 3.x up to 4.4): Python syntax and xm's known names.

Why: xm's config files are Python programs that xm executes; whatever names
they leave behind that xm's option table declares become settings
(tools/python/xen/xm/create.py, ``gopts.var(...)``).  We never execute a
config: ``ast.parse`` checks the syntax, and the literal values of top-level
assignments are checked like xl's (disks, vifs, numbers, a kernel).

Decision on unknown names: **warnings**, not errors.  xm ignores names it
does not declare, and a Python config may legitimately use helper variables
(``vmid = 3; name = "dom%d" % vmid``), so an unknown name is only
suspicious.  ``autorestart`` gets its own warning: it is a Xen 2 setting,
ignored by xm and fatal under xl (the HOWTO's upgrade rule: remove it for
4.x).  Names come from xm's option table of 4.1-4.4 (``xen-config-keys.json``);
for Xen 3.x the 4.1 table is used, which may know a few names 3.x did not.
"""
from __future__ import annotations

import ast
import warnings

from xenhowto.findings import Finding
from xenhowto.validators import xen_keys
from xenhowto.validators.xl_domu import check_disks, check_vifs, NETBSD_DOM0_KERNEL

#: xm options that take numbers (create.py: set_int / set_bool).
XM_NUMBER_KEYS = frozenset({"memory", "maxmem", "vcpus", "cpu_weight", "cpu_cap", "shadow_memory",
                            "videoram", "pae", "acpi", "apic", "hap", "hpet", "localtime", "stdvga",
                            "vnc", "vncunused", "sdl", "opengl", "nographic", "usb", "nomigrate",
                            "superpages", "vcpu_avail", "vhpt", "timer_mode", "tsc_mode"})
XM_ACTIONS = ("destroy", "restart", "preserve", "rename-restart", "coredump-destroy", "coredump-restart")


class _Setting:
    """Adapter so the xl disk/vif checks can judge xm's lists."""

    def __init__(self, name, value, line):
        self.name, self.value, self.line, self.key_line = name, value, line, line


def validate_xm_domu(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """An xm domain config for Xen ``xen=`` (3.0 to 4.4; default 4.4)."""
    xen = options.get("xen")
    version = xen if isinstance(xen, tuple) else xen_keys.parse_version(xen) if xen else xen_keys.XM_LAST
    findings: list[Finding] = []

    def at(line: int, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line + first_line - 1, message, severity))

    problem = xen_keys.toolstack_error("xm", version)
    if problem:
        at(1, problem)
    try:
        with warnings.catch_warnings():  # Python's own warnings about the text are not ours to print
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        at(e.lineno or 1, f"xm cannot run this config: Python says {e.msg}")
        return findings
    except ValueError as e:  # NUL bytes
        at(1, f"xm cannot run this config: {e}")
        return findings
    except (RecursionError, MemoryError):
        at(1, "xm cannot run this config: it nests too deeply for Python to read")
        return findings

    info = xen_keys.xm_keys(version)
    values: dict[str, _Setting] = {}
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            targets = [node.target]
        for target in targets:
            name = target.id
            if name == "autorestart":
                at(node.lineno, "`autorestart` is a Xen 2 setting: xm ignores it and xl rejects it; "
                                "remove it and use on_reboot/on_crash = 'restart'", "warning")
            elif info.status(name) != "known":
                at(node.lineno, f"xm does not know `{name}`, so it only has an effect if other lines use "
                                f"it (xm ignores names it does not declare)", "warning")
            value = getattr(node, "value", None)
            if value is not None and not isinstance(node, ast.AugAssign):
                try:
                    values[name] = _Setting(name, ast.literal_eval(value), node.lineno)
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    values.pop(name, None)  # computed: judged by xm at run time, not here

    _check_values(values, at)
    if "disk" in values:
        check_disks(_listify(values["disk"]), at, "xm")
    if "vif" in values:
        check_vifs(_listify(values["vif"]), at, "xm")
    return sorted(findings)


def _listify(s: _Setting) -> _Setting:
    if isinstance(s.value, tuple):
        s.value = list(s.value)
    return s


def _check_values(values: dict, at) -> None:
    for name, s in values.items():
        v = s.value
        if name in XM_NUMBER_KEYS:
            ok = (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.strip().isdigit())
            if isinstance(v, bool):
                ok = name not in ("memory", "maxmem", "vcpus")
            if not ok:
                at(s.line, f"`{name}` must be a number (xm calls int() on it), not {v!r}")
        elif name in ("disk", "vif") and not isinstance(v, (list, tuple)):
            at(s.line, f"`{name}` must be a list, as in {name} = [ {v!r} ]")
        elif name in ("on_poweroff", "on_reboot", "on_crash") and v not in XM_ACTIONS:
            at(s.line, f"`{name}` must be one of {', '.join(XM_ACTIONS)}, not {v!r}")
    builder = values.get("builder")
    hvm = builder is not None and builder.value == "hvm"
    if not hvm and "kernel" not in values and "bootloader" not in values:
        at(1, "a PV guest needs kernel = '...' (e.g. /netbsd-XEN3_DOMU.gz) or a bootloader; "
              "this config sets neither to a literal value", "warning")
    kernel = values.get("kernel")
    if kernel is not None and isinstance(kernel.value, str) and NETBSD_DOM0_KERNEL.search(kernel.value):
        at(kernel.line, f"`{kernel.value}` is a NetBSD dom0 kernel; a domU boots XEN3_DOMU or XEN3PAE_DOMU")
