"""Disk and network device specs of xl (and xm) domain configs.

Why: the config grammar accepts any string in ``disk = [...]`` and
``vif = [...]``; whether xl can use it is decided later, by libxlutil's disk
spec lexer (``xlu_disk_parse``), by libxl when it turns the ``vdev`` into a
device number, and by xl's vif option parser.  The HOWTO's classic mistakes
live here: NetBSD device names (``wd0``, ``xbd0``) as the domU's disk, the old
``file:/path,0x0,w`` form without its ``file:`` prefix, MAC addresses with the
wrong number of digits.

``parse_disk_spec`` follows tools/libs/util/libxlu_disk_l.l and libxlu_disk.c
(xen.git, as shipped in Xen 4.17: no trusted/untrusted or grant_usage yet): flex rules with longest match, deprecated ``file:``,
``phy:``, ``tap:aio:`` prefixes, positional ``target, format, vdev, access``
(after a deprecated prefix the format is skipped, which is why
``file:/x,0x0,w`` works and ``/x,0x0,w`` does not).  A test compares it with
the real ``xlu_disk_parse`` where libxlutil is installed.

``vdev_problem`` follows libxl's ``libxl__device_disk_dev_number``
(tools/libs/light/libxl_device.c): a number (C ``strtoul`` base 0, at most
INT_MAX), ``xvd``/``hd``/``sd`` plus letters and an optional partition
number, or ``dNpM``.  xl-disk-configuration(5) documents the same forms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMAT_NAMES = ("raw", "qcow", "qcow2", "vhd", "empty", "qed")
INT_MAX = 2**31 - 1

#: NetBSD disk-like device names: what a NetBSD user is tempted to write as vdev.
NETBSD_DISK_RE = re.compile(r"^(?:/dev/)?r?(wd|sd|ld|xbd|cd|vnd|raid|dk|ccd|cgd|md|fd|dm)(\d+)([a-p]?)$")


@dataclass
class DiskSpec:
    target: str | None = None
    vdev: str | None = None
    format: str = "unknown"
    readwrite: bool = True
    is_cdrom: bool = False
    removable: bool = False
    script: str | None = None
    backend_domname: str | None = None
    backendtype: str | None = None
    had_depr_prefix: bool = False
    access_set: bool = False
    errors: list[str] = field(default_factory=list)


# flex rules of libxlu_disk_l.l: (name, regex, trailing-context regex or None)
_KV = r"[^,]*,?"
_RULES = [
    ("ws", r"[ \t\n]+", r"(?:[^ \t\n][^\n]*)?"),
    ("format", r"format=" + _KV, None),
    ("cdrom", r"cdrom,?", None),
    ("devtype_cdrom", r"devtype=cdrom,?", None),
    ("devtype_disk", r"devtype=disk,?", None),
    ("devtype_bad", r"devtype=" + _KV, None),
    ("access", r"access=" + _KV, None),
    ("backend", r"backend=" + _KV, None),
    ("backendtype", r"backendtype=" + _KV, None),
    ("specification", r"specification=" + _KV, None),
    ("vdev", r"vdev=" + _KV, None),
    ("script", r"script=" + _KV, None),
    ("flag", r"direct-io-safe,?", None),
    ("flag", r"discard,?", None),
    ("flag", r"no-discard,?", None),
    ("flag", r"colo,?", None),
    ("flag", r"no-colo,?", None),
    ("kvstring", r"colo-host=" + _KV, None),
    ("kvport", r"colo-port=" + _KV, None),
    ("kvstring", r"colo-export=" + _KV, None),
    ("kvstring", r"active-disk=" + _KV, None),
    ("kvstring", r"hidden-disk=" + _KV, None),
    ("target", r"target=[^\n]*", None),
    ("unknown_param", r"[a-z][-a-z0-9]*=[^,],?", None),
    ("prefix_format", r"(?:raw|qcow2?|vhd):", r"[^\n]*"),
    ("prefix_script", r"(?:iscsi|e?nbd|drbd):", r"[^\n]*"),
    ("prefix", r"(?:tapdisk|tap2?|aio|ioemu|file|phy):", r"[^\n]*"),
    ("prefix_unknown", r"[a-z][a-z0-9]*:", r"(?:[^a-z0-9\n][^\n]*)?"),
    ("positional", r"[^=,]*,|[^=,]+,?", None),
    ("bad", r"[^\n]", None),
]
_COMPILED = [(name, re.compile(rx), re.compile(tc) if tc else None) for name, rx, tc in _RULES]


def parse_disk_spec(spec: str) -> DiskSpec:
    """Parse one disk spec like xlu_disk_parse; errors are in ``.errors``."""
    d = DiskSpec()
    pos = 0
    n = len(spec)
    stop = False
    while pos < n and not stop:
        best = None
        for idx, (name, rx, tc) in enumerate(_COMPILED):
            m = rx.match(spec, pos)
            if not m:
                continue
            consumed = m.end() - pos
            length = consumed
            if tc is not None:
                length += tc.match(spec, m.end()).end() - m.end()
            if length and (best is None or length > best[0]):
                best = (length, consumed, name, m.group(0))
        if best is None:  # only a lone newline is left
            break
        _, consumed, name, text = best
        pos += consumed
        stop = _action(d, name, text, spec, pos)
    if not d.errors:
        _finish(d)
    return d


def _strip(text: str) -> str:
    return text[:-1] if text.endswith(",") else text


def _value(text: str) -> str:
    return _strip(text).split("=", 1)[1]


def _save(d: DiskSpec, attr: str, what: str, value: str) -> None:
    current = getattr(d, attr)
    if current:  # savestring: overwriting an empty string is allowed
        d.errors.append(f"{what} respecified: near `{value}'")
        return
    setattr(d, attr, value)


def _setformat(d: DiskSpec, value: str) -> None:
    fmt = "raw" if value == "" else value
    if fmt not in FORMAT_NAMES:
        d.errors.append(f"unknown value for format: near `{value}'")
    elif d.format not in ("unknown", fmt):
        d.errors.append(f"format respecified: near `{value}'")
    else:
        d.format = fmt


def _setaccess(d: DiskSpec, value: str) -> None:
    if value in ("r", "ro"):
        d.readwrite = False
    elif value in ("rw", "w", ""):
        d.readwrite = True
    else:
        d.errors.append(f"unknown value for access: near `{value}'")


def _vdev_and_devtype(d: DiskSpec, text: str) -> bool:
    if ":" not in text:
        return False
    vdev, devtype = text.rsplit(":", 1)
    _save(d, "vdev", "vdev", vdev)
    if devtype == "cdrom":
        d.is_cdrom = True
    elif devtype == "disk":
        d.is_cdrom = False
    else:
        d.errors.append(f"unknown deprecated type: near `{devtype}'")
    return True


def _action(d: DiskSpec, name: str, text: str, spec: str, pos: int) -> bool:
    """Run a rule's action; True when the lexer returns (stops)."""
    if name == "ws" or name == "flag":
        return False
    if name == "format":
        _setformat(d, _value(text))
    elif name in ("cdrom", "devtype_cdrom"):
        d.is_cdrom = True
    elif name == "devtype_disk":
        d.is_cdrom = False
    elif name == "devtype_bad":
        d.errors.append(f"unknown value for type: near `{text}'")
    elif name == "access":
        _setaccess(d, _value(text))
    elif name == "backend":
        _save(d, "backend_domname", "backend", _value(text))
    elif name == "backendtype":
        value = _value(text)
        if value not in ("phy", "tap", "qdisk", "standalone"):
            d.errors.append(f"unknown value for backendtype: near `{value}'")
        elif d.backendtype not in (None, value):
            d.errors.append(f"backend respecified: near `{value}'")
        else:
            d.backendtype = value
    elif name == "specification":
        if _value(text) not in ("xen", "virtio"):
            d.errors.append(f"unknown value for specification: near `{_value(text)}'")
    elif name == "vdev":
        _save(d, "vdev", "vdev", _value(text))
    elif name == "script":
        _save(d, "script", "script", _value(text))
    elif name == "kvstring":
        pass
    elif name == "kvport":
        value = _value(text)
        m = re.match(r"\s*[+-]?\d+", value)
        if not m or int(m.group(0)) == 0:
            d.errors.append(f"unknown value for colo_port: near `{value}'")
    elif name == "target":
        _save(d, "target", "target", _value(text))
    elif name == "unknown_param":
        d.errors.append(f"unknown parameter: near `{text}'")
    elif name == "prefix_format":
        d.had_depr_prefix = True
        _setformat(d, text[:-1])
    elif name == "prefix_script":
        d.had_depr_prefix = True
        _save(d, "script", "script", "block-" + text[:-1])
    elif name == "prefix":
        d.had_depr_prefix = True
    elif name == "prefix_unknown":
        d.errors.append(f"unknown deprecated disk prefix: near `{text + spec[pos:]}'")
        return True
    elif name == "positional":
        value = _strip(text)
        if d.errors:
            pass  # "previous errors may just lead to subsequent ones"
        elif d.target is None:
            _save(d, "target", "target", value)
        elif not d.had_depr_prefix and d.format == "unknown":
            if d.target == "" and _vdev_and_devtype(d, value):
                d.format = "empty"
            else:
                _setformat(d, value)
        elif d.vdev is None:
            if not _vdev_and_devtype(d, value):
                _save(d, "vdev", "vdev", value)
        elif not d.access_set:
            d.access_set = True
            _setaccess(d, value)
        else:
            d.errors.append(f"too many positional parameters: near `{value}'")
            return True
    elif name == "bad":  # "." then <LEXERR>.* ; a lone bad byte at the end is no error
        rest = spec[pos:].split("\n", 1)[0]
        if rest:
            d.errors.append(f"bad disk syntax: near `{text + rest}'")
        return True
    return False


def _finish(d: DiskSpec) -> None:
    if d.format == "unknown":
        d.format = "raw"
    if d.is_cdrom:
        d.removable = True
        d.readwrite = False
        if not d.target:
            d.format = "empty"
    if d.vdev is None:
        d.errors.append("no vdev specified")
    elif d.target is None and not d.removable:
        d.errors.append("no target specified (and device not removable)")


# ------------------------------------------------------------------ vdev

def _strtoul0(text: str) -> int | None:
    """C strtoul(text, &ep, 0) when it consumes everything, else None."""
    m = re.fullmatch(r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not m:
        return None
    digits = m.group(2)
    value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 8) if digits.startswith("0") else int(digits)
    if m.group(1) == "-":
        value = (-value) % 2**64
    return value


def _virtdisk(vdev: str, prefix: str, max_index: int, max_partition: int) -> bool:
    if not vdev.startswith(prefix):
        return False
    rest = vdev[len(prefix):]
    index = -1
    i = 0
    while i < len(rest) and "a" <= rest[i] <= "z":
        index = (index + 1) * 26 + (ord(rest[i]) - ord("a"))
        if index > max_index:
            return False
        i += 1
    part = rest[i:]
    if not part:
        return True
    if part[0] == "0" or not re.fullmatch(r"[ \t]*\+?[0-9]+", part):
        return False
    return int(part) <= max_partition


def vdev_ok(vdev: str) -> bool:
    """Whether libxl can turn ``vdev`` into a virtual device number."""
    m = re.fullmatch(r"d([+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*))p([+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*))", vdev)
    if m:
        disk, part = (int(g, 0) if not re.fullmatch(r"[+-]?0[0-7]+", g) else int(g, 8) for g in m.groups())
        if disk < 2**20 and part < 256:
            return True
    if _virtdisk(vdev, "xvd", 2**20 - 1, 255):
        return True
    value = _strtoul0(vdev)
    if value is not None and value <= INT_MAX:
        return True
    return _virtdisk(vdev, "hd", 3, 63) or _virtdisk(vdev, "sd", 15, 15)


def vdev_problem(vdev: str, toolstack: str = "xl") -> str | None:
    """A sentence when ``vdev`` is not a Xen virtual disk (None when it is)."""
    m = NETBSD_DISK_RE.match(vdev)
    if m and not vdev_ok(vdev):
        if toolstack == "xm":
            return (f"vdev `{vdev}` is a NetBSD device name: xm looks it up in the dom0's /dev, which "
                    f"only works by accident and breaks under xl (Xen 4.x); number the disks instead "
                    f"(0x0 for the domU's first disk xbd0, 0x1 for xbd1, ...)")
        return (f"vdev `{vdev}` is a NetBSD device name, which xl does not accept; number the disks "
                f"instead: 0x0 for the domU's first disk (xbd0 in a NetBSD domU), 0x1 for the second, ...")
    if vdev.startswith("/dev/"):
        return (f"vdev `{vdev}` is a path; vdev names the disk as the guest sees it: a number such as "
                f"0x0 or a Xen name such as xvda")
    if toolstack == "xl" and not vdev_ok(vdev):
        return (f"vdev `{vdev}` is not a virtual disk libxl understands: use a number (0x0, 0x1, "
                f"51712, ...) or xvdN/hdN/sdN names such as xvda, hda1, sdb")
    return None


# ------------------------------------------------------------------- vif

#: Keys of xl's vif specs (xl-network-configuration(5); xl's parse_nic_config).
VIF_KEYS = frozenset({"mac", "bridge", "gatewaydev", "netdev", "type", "model", "vifname", "script",
                      "ip", "backend", "rate", "accel", "devid", "mtu", "trusted", "untrusted",
                      "forwarddev", "colo_sock_mirror_id", "colo_sock_mirror_ip",
                      "colo_sock_mirror_port", "colo_sock_compare_pri_in_id",
                      "colo_sock_compare_pri_in_ip", "colo_sock_compare_pri_in_port",
                      "colo_sock_compare_sec_in_id", "colo_sock_compare_sec_in_ip",
                      "colo_sock_compare_sec_in_port", "colo_sock_compare_notify_id",
                      "colo_sock_compare_notify_ip", "colo_sock_compare_notify_port",
                      "colo_sock_redirector0_id", "colo_sock_redirector0_ip",
                      "colo_sock_redirector0_port", "colo_sock_redirector1_id",
                      "colo_sock_redirector1_ip", "colo_sock_redirector1_port",
                      "colo_sock_redirector2_id", "colo_sock_redirector2_ip",
                      "colo_sock_redirector2_port", "colo_filter_mirror_queue",
                      "colo_filter_mirror_outdev", "colo_filter_redirector0_queue",
                      "colo_filter_redirector0_indev", "colo_filter_redirector0_outdev",
                      "colo_filter_redirector1_queue", "colo_filter_redirector1_indev",
                      "colo_filter_redirector1_outdev", "colo_compare_pri_in",
                      "colo_compare_sec_in", "colo_compare_out", "colo_compare_notify_dev"})
#: Keys of xm's vif specs (tools/python/xen/xm/create.py, preprocess_vifs, Xen 3.x/4.1).
XM_VIF_KEYS = frozenset({"backend", "bridge", "ip", "mac", "script", "type", "vifname", "rate", "model",
                         "accel", "policy", "label", "uuid", "sec_label"})
MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$")
RATE_RE = re.compile(r"^\d+(?:[GMK]?[bB])/s(?:@\d+[mu]?s)?$")


def vif_problems(spec: str, toolstack: str = "xl") -> list[tuple[str, str]]:
    """(severity, sentence) for one vif spec such as 'mac=00:16:3e:00:00:01,bridge=bridge0'."""
    out: list[tuple[str, str]] = []
    keys = VIF_KEYS if toolstack == "xl" else XM_VIF_KEYS
    seen: set[str] = set()
    for token in spec.split(","):
        token = token.lstrip(" \t")
        if not token:
            continue
        key, eq, value = token.partition("=")
        key = key.strip()
        if not eq:
            out.append(("error", f"vif option `{token}` has no `=`; vif specs are key=value pairs "
                                 f"separated by commas, e.g. 'mac=00:16:3e:00:00:01,bridge=bridge0'"))
            continue
        if key not in keys:
            out.append(("error", f"`{key}` is not a vif option {toolstack} knows (known: "
                                 f"{', '.join(sorted(k for k in keys if not k.startswith('colo')))})"))
            continue
        if key in seen and key != "ip":
            out.append(("warning", f"vif option `{key}` is given twice; the last one wins"))
        seen.add(key)
        value = value.strip()
        if key == "mac":
            if not MAC_RE.match(value):
                out.append(("error", f"MAC address `{value}` is not six two-digit hex numbers separated "
                                     f"by colons, such as 00:16:3e:12:34:56"))
            elif int(value[:2], 16) & 1:
                out.append(("error", f"MAC address `{value}` is a multicast address (the first octet is "
                                     f"odd); use a unicast one such as 00:16:3e:12:34:56"))
        elif key == "type" and value not in ("vif", "ioemu"):
            out.append(("error", f"vif type `{value}` is neither vif nor ioemu"))
        elif key == "rate" and not RATE_RE.match(value):
            out.append(("error", f"vif rate `{value}` is not a rate such as 10Mb/s or 1MB/s@20ms"))
        elif key == "bridge" and not value:
            out.append(("error", "vif option bridge= is empty"))
        elif key == "netdev" and toolstack == "xl":
            out.append(("warning", "vif option netdev= is deprecated; xl wants gatewaydev="))
    return out
