"""xl domU configs: Xen's own syntax check, then what libxlutil leaves to xl.

Why: libxlutil (or its pure-Python twin) only says whether the file is
well-formed.  Whether ``xl create`` would start the domain the reader meant
depends on more: the keys that Xen version knows (xl ignores the others
silently), numbers where xl reads numbers, disk and vif specs, a kernel or
bootloader for a PV guest, ``type=`` only from Xen 4.10.  And the HOWTO's own
upgrade rules (3.x configs moving to 4.x): no ``autorestart``, disks numbered
(``0x0``) rather than named after NetBSD devices.

Unknown keys are errors here although xl would start the domain: a key xl
ignores does nothing, which is never what the example or the reader meant.
"""
from __future__ import annotations

import re

from xenhowto.findings import Finding
from xenhowto.validators import libxlutil, xen_keys, xl_devices, xlcfg_grammar

#: Keys xl reads with xlu_cfg_get_long or get_defbool (tools/xl/xl_parse.c).
NUMBER_KEYS = frozenset({
    "memory", "maxmem", "vcpus", "maxvcpus", "cpu_weight", "cap", "shadow_memory", "videoram",
    "max_event_channels", "max_grant_frames", "max_maptrack_frames", "max_grant_version",
    "rtc_timeoffset", "vncdisplay", "mmio_hole", "rdm_mem_boundary", "stubdomain_memory",
    "vmtrace_buf_kb", "nr_spis", "altp2m_count", "extratime", "period", "slice", "latency",
})
BOOL_KEYS = frozenset({
    "acpi", "acpi_s3", "acpi_s4", "acpi_laptop_slate", "apic", "pae", "hap", "oos", "nx", "hpet",
    "localtime", "nestedhvm", "stdvga", "vnc", "vncunused", "sdl", "opengl", "nographic", "usb",
    "xen_platform_pci", "e820_host", "pci_msitranslate", "pci_permissive", "pci_power_mgmt",
    "pci_seize", "nomigrate", "driver_domain", "spice", "spicedisable_ticketing", "spiceagent_mouse",
    "spicevdagent", "spice_clipboard_sharing", "vpt_align", "xend_suspend_evtchn_compat",
    "dm_restrict", "pvshim", "msr_relaxed", "bootloader_restrict", "altp2mhvm", "pvh",
    "trap_unmapped_accesses", "xen_platform_pci_bar_uc",
})
LIST_KEYS = frozenset({"disk", "vif", "pci", "vfb", "vtpm", "channel", "usbctrl", "usbdev", "p9",
                       "vdispl", "vsnd", "vkb", "dtdev", "iomem", "ioports", "irqs", "vnuma",
                       "device_model_args", "device_model_args_pv", "device_model_args_hvm",
                       "pvcalls", "virtio"})
STRING_KEYS = frozenset({"name", "kernel", "ramdisk", "bootloader", "extra", "root", "cmdline", "uuid",
                         "on_poweroff", "on_reboot", "on_crash", "on_watchdog", "on_soft_reset",
                         "type", "builder", "pool", "seclabel", "device_model_version", "firmware"})
ACTIONS = ("destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart",
           "soft-reset")
TYPES = ("pv", "pvh", "hvm")
NETBSD_DOM0_KERNEL = re.compile(r"XEN3(?:PAE)?_DOM0")
LATEST = xen_keys.RELEASES[-1]


def _strtol_ok(text: str) -> bool:
    """Whether C strtol(text, &ep, 0) reads all of ``text`` (libxlu_cfg.c)."""
    m = re.fullmatch(r"[ \t\n\v\f\r]*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not m:
        return False
    digits = m.group(1)
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 8) if digits.startswith("0") else int(digits)
    return value <= 2**63  # -2**63 .. 2**63-1; ERANGE beyond


def _version(options) -> tuple[int, int]:
    xen = options.get("xen")
    if xen is None:
        return LATEST
    return xen if isinstance(xen, tuple) else xen_keys.parse_version(xen)


def syntax_findings(text: str, path: str, first_line: int, parser: str = "auto") -> list[Finding]:
    """Syntax by libxlutil when installed (parser="auto"/"libxlutil"), else pure Python."""
    if "\0" in text:
        return [Finding(path, first_line + text[:text.index("\0")].count("\n"),
                        "the config contains a NUL byte; xl cannot read it (libxlutil even aborts on a "
                        "NUL inside a quoted string)")]
    use_lib = parser == "libxlutil" or (parser == "auto" and libxlutil.available())
    if use_lib:
        if not libxlutil.available():
            return [Finding(path, first_line, f"libxlutil is not available: {libxlutil.reason()}")]
        return libxlutil.validate_xlcfg_syntax(text, path, first_line)
    return xlcfg_grammar.validate_xlcfg_syntax(text, path, first_line)


def validate_xl_domu(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """An xl domain config for Xen ``xen=`` ("4.18"; default the newest release).

    Options: ``xen``; ``parser`` ("auto", "libxlutil" or "python");
    ``recover`` (default True): after syntax errors, blank the lines that do
    not parse and still run the other checks, so that all problems of an old
    config show at once.
    """
    version = _version(options)
    findings = syntax_findings(text, path, first_line, options.get("parser", "auto"))
    broken_keys: list[tuple[str, int]] = []
    if findings:
        if "\0" in text or not options.get("recover", True):
            return findings
        original = text.split("\n")
        text, blanked = _without_bad_lines(text)
        broken_keys = _keys_on(original, blanked)

    def at(line: int, message: str, severity: str = "error") -> None:
        findings.append(Finding(path, line + first_line - 1, message, severity))

    config = xlcfg_grammar.parse(text)
    check_keys(config, version, at, broken_keys)
    check_values(config, at)
    check_guest_type(config, version, at, bool(options.get("fragment")))
    for setting in _all(config, "disk"):
        check_disks(setting, at, "xl")
    for setting in _all(config, "vif"):
        check_vifs(setting, at, "xl")
    return sorted(set(findings))


def _without_bad_lines(text: str) -> tuple[str, list[int]]:
    """The config with the lines that do not parse blanked out, so that the other
    checks can still speak (a reader fixing an old config wants all problems at once)."""
    lines = text.split("\n")
    blanked: list[int] = []
    for _ in range(20):
        result = xlcfg_grammar.parse("\n".join(lines))
        if result.ok:
            break
        for e in result.errors or []:
            if 1 <= e.line <= len(lines) and lines[e.line - 1]:
                lines[e.line - 1] = ""
                blanked.append(e.line)
        if not result.errors:
            break
    return "\n".join(lines), blanked


def _all(config, name):
    """The setting that counts (the last one, += already merged in)."""
    s = config.get(name)
    return [s] if s is not None else []


def _keys_on(text_lines: list[str], lines: list[int]) -> list[tuple[str, int]]:
    """(key, line) of the blanked lines that start like a setting."""
    out = []
    for n in lines:
        m = re.match(r"^\s*([a-z][._0-9a-z]*)\s*\+?=", text_lines[n - 1]) if n <= len(text_lines) else None
        if m:
            out.append((m.group(1), n))
    return out


class _Key:
    def __init__(self, name, line):
        self.name, self.key_line, self.line, self.op = name, line, line, "+="


def check_keys(config, version, at, extra: list[tuple[str, int]] = ()) -> None:
    """Keys that version of xl knows; ``extra`` are keys of lines that did not parse."""
    info = xen_keys.xl_keys(version)
    seen: dict[str, int] = {}
    v = xen_keys.fmt(version)
    for s in list(config.settings) + [_Key(n, l) for n, l in extra]:
        if s.name in seen and s.op == "=":
            at(s.key_line, f"`{s.name}` is set again (first on line {seen[s.name]}); xl uses the last "
                           f"value only", "warning")
        seen.setdefault(s.name, s.key_line)
        status = info.status(s.name)
        if status == "known":
            continue
        if s.name == "autorestart":
            at(s.key_line, "`autorestart` is a Xen 2 xm setting that xl does not know; remove it (the "
                           "HOWTO's upgrade rule for 4.x) and use on_reboot/on_crash = \"restart\"")
        elif s.name == "type" and version < xen_keys.TYPE_FIRST:
            at(s.key_line, f"`type` arrived in xl.cfg with Xen 4.10, so Xen {v} ignores it; use "
                           f"builder = \"hvm\" for an HVM guest (PV is the default)")
        elif status == "maybe":
            at(s.key_line, f"`{s.name}` is documented for xl from Xen "
                           f"{xen_keys.fmt(info.next_branch)} on; Xen {v} may not know it", "warning")
        else:
            later, earlier = info.later_versions(s.name), info.earlier_versions(s.name)
            why = (f"; it is documented from Xen {later[0]} on" if later
                   else f"; it was documented up to Xen {earlier[-1]}" if earlier else "")
            at(s.key_line, f"`{s.name}` is not an xl config key in Xen {v}{why}; xl ignores unknown keys "
                           f"without a word, so this line has no effect")
    if version >= xen_keys.TYPE_FIRST and config.get("builder") is not None:
        at(config.get("builder").key_line, "`builder` is deprecated since Xen 4.10; use type = \"pv\", "
                                           "\"pvh\" or \"hvm\"", "warning")


def check_values(config, at) -> None:
    for s in config.settings:
        value = s.value
        if s.name in NUMBER_KEYS | BOOL_KEYS:
            kind = "a number" if s.name in NUMBER_KEYS else "0 or 1"
            if isinstance(value, list):
                at(s.line, f"`{s.name}` must be {kind}, not a list")
            elif not _strtol_ok(value):
                extra = " (xl counts memory in MiB: write 512, not 512M)" if s.name in ("memory", "maxmem") \
                    and re.fullmatch(r"\d+[kKmMgG][bB]?", value) else ""
                at(s.line, f"`{s.name}` must be {kind}; xl cannot read \"{value}\" as one{extra}")
        elif s.name in LIST_KEYS and not isinstance(value, list):
            at(s.line, f"`{s.name}` must be a list, as in {s.name} = [ '{value}' ]; xl ignores a single "
                       f"value here")
        elif s.name in STRING_KEYS and isinstance(value, list):
            at(s.line, f"`{s.name}` must be a single quoted string, not a list")
        elif s.name in ("on_poweroff", "on_reboot", "on_crash", "on_watchdog") and value not in ACTIONS:
            at(s.line, f"`{s.name}` must be one of {', '.join(ACTIONS)}; not \"{value}\"")
    mem, maxmem = config.get("memory"), config.get("maxmem")
    if mem and maxmem and isinstance(mem.value, str) and isinstance(maxmem.value, str) \
            and _strtol_ok(mem.value) and _strtol_ok(maxmem.value) \
            and int(maxmem.value, 0) < int(mem.value, 0):
        at(maxmem.line, "`maxmem` is smaller than `memory`", "warning")


def guest_type(config, version) -> str:
    t = config.get("type")
    if t is not None and version >= xen_keys.TYPE_FIRST and isinstance(t.value, str):
        return t.value
    b = config.get("builder")
    if b is not None and b.value == "hvm":
        return "hvm"
    return "pv"


def check_guest_type(config, version, at, fragment: bool = False) -> None:
    t = config.get("type")
    if t is not None and isinstance(t.value, str) and t.value not in TYPES and version >= xen_keys.TYPE_FIRST:
        at(t.line, f"type must be \"pv\", \"pvh\" or \"hvm\", not \"{t.value}\"")
        return
    kind = guest_type(config, version)
    kernel = config.get("kernel")
    # a fragment (lines to change in a config) need not be a whole config
    if not fragment and kind in ("pv", "pvh") and kernel is None and config.get("bootloader") is None \
            and not (kind == "pvh" and config.get("firmware") is not None):
        line = (t or config.get("builder") or (config.settings[0] if config.settings else None))
        at(line.key_line if line else 1,
           f"a {kind.upper()} guest needs `kernel = \"...\"` (e.g. /netbsd-XEN3_DOMU.gz) or a bootloader "
           f"such as pygrub; this config has neither")
    if kernel is not None and isinstance(kernel.value, str) and NETBSD_DOM0_KERNEL.search(kernel.value):
        at(kernel.line, f"`{kernel.value}` is a NetBSD dom0 kernel; a domU boots XEN3_DOMU (amd64) or "
                        f"XEN3PAE_DOMU (i386)")


def check_disks(setting, at, toolstack: str) -> None:
    if not isinstance(setting.value, list):
        return
    use_lib = toolstack == "xl" and libxlutil.available()
    cfg = libxlutil.open_config("") if use_lib else None
    try:
        for item in setting.value:
            if not isinstance(item, str):
                at(setting.line, "each disk must be a quoted string, not a list")
                continue
            if toolstack == "xm":
                check_xm_disk(item, setting.line, at)
                continue
            vdev, error = _parse_disk(item, cfg)
            if error:
                hint = ""
                if re.match(r"^/[^,:]*,(0x[0-9a-fA-F]+|\d+),", item):
                    hint = "; the old target,vdev,access form needs its file: or phy: prefix"
                at(setting.line, f"xl cannot parse disk '{item}': {error}{hint}")
                continue
            problem = xl_devices.vdev_problem(vdev or "", "xl")
            if problem:
                at(setting.line, f"disk '{item}': {problem}")
    finally:
        if cfg is not None:
            cfg.close()


def _parse_disk(spec: str, cfg) -> tuple[str | None, str | None]:
    """(vdev, error) by xlu_disk_parse when available, else the pure-Python lexer."""
    if cfg is not None and "\n" not in spec and "\0" not in spec:
        disk, message = cfg.parse_disk(spec)
        if disk is None:
            return None, re.sub(r"^config: config parsing error in disk specification: ", "",
                                message.splitlines()[0] if message else "rejected")
        return disk.vdev, None
    parsed = xl_devices.parse_disk_spec(spec)
    if parsed.errors:
        return None, parsed.errors[0]
    return parsed.vdev, None


def check_xm_disk(item: str, line: int, at) -> None:
    """xm's 'prefix:target,vdev[:type],mode' (tools/python/xen/xm/create.py)."""
    parts = item.split(",")
    if len(parts) != 3:
        at(line, f"disk '{item}' must have three parts for xm: 'phy:/dev/wd0e,0x1,w' "
                 f"(target, virtual device, mode)")
        return
    target, vdev, mode = (p.strip() for p in parts)
    if ":" not in target:
        at(line, f"disk '{item}': the target needs a type prefix such as file: or phy:", "warning")
    if mode not in ("r", "w", "w!"):
        at(line, f"disk '{item}': the mode must be r, w or w!, not `{mode}`")
    problem = xl_devices.vdev_problem(vdev.split(":")[0], "xm")
    if problem:
        at(line, f"disk '{item}': {problem}", "warning")


def check_vifs(setting, at, toolstack: str) -> None:
    if not isinstance(setting.value, list):
        return
    macs: dict[str, str] = {}
    for item in setting.value:
        if not isinstance(item, str):
            at(setting.line, "each vif must be a quoted string, not a list")
            continue
        for severity, message in xl_devices.vif_problems(item, toolstack):
            at(setting.line, f"vif '{item}': {message}", severity)
        m = re.search(r"mac=([0-9a-fA-F:]+)", item)
        if m:
            mac = m.group(1).lower()
            if mac in macs:
                at(setting.line, f"MAC address {mac} is used twice in this config", "error")
            macs[mac] = item
