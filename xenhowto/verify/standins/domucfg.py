"""Reading a domU config file the way xl or xm needs it at ``create`` time.

The project's validators judge a config's syntax and keys for a Xen version;
here only what a create needs: the values (xm configs are Python, xl's are a
subset where a bare word such as ``True`` is a syntax error), the files it
names (kernel, ramdisk, disk targets), the vifs (MAC, bridge) and the name.
Also used by the verifier's checks to list the files and MACs of every config.
"""
from __future__ import annotations

import ast
import re

_MAC = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
_PREFIXES = ("tap2:tapdisk:", "tap:tapdisk:", "tap:aio:", "tap:qcow2:", "tap:qcow:", "tap:vhd:",
             "tap2:aio:", "file:", "phy:", "aio:", "raw:", "qcow2:", "qcow:", "vhd:", "tap:")
_VDEV = re.compile(r"^(?:0x[0-9a-fA-F]+|\d+|(?:xvd|hd|sd)[a-z]+\d*|d\d+(?:p\d+)?)(?::(?:cdrom|disk))?$")
_DISK_KEYS = ("target", "format", "vdev", "access", "devtype", "backendtype", "backend", "script",
              "discard", "no-discard", "direct-io-safe", "colo", "specification", "trusted", "untrusted")
DEFAULT_BRIDGE = "xenbr0"  # xl-network-configuration: the bridge a vif joins when none is named


class ConfigError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


def parse(text: str, toolstack: str = "xl") -> dict:
    """{key: value} of a config; raises ConfigError with the line of the first problem."""
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        raise ConfigError(e.lineno or 1, f"syntax error: {e.msg}") from None
    values: dict = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            raise ConfigError(node.lineno, "syntax error: only 'key = value' lines are allowed")
        key = node.targets[0].id
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            raise ConfigError(node.lineno, f"{key}: the value is not a string, number or list") from None
        if toolstack == "xl":
            bad = _xl_bad(value)
            if bad:
                raise ConfigError(node.lineno, f"{key}: {bad} (xl takes only quoted strings, numbers and lists)")
        values[key] = value
    return values


def _xl_bad(value) -> str | None:
    if isinstance(value, bool) or value is None:
        return f"bare word {value!r} is a syntax error"
    if isinstance(value, (int, float, str)):
        return None
    if isinstance(value, list):
        for item in value:
            if isinstance(item, list) or _xl_bad(item):
                return f"list item {item!r} is not a string or number"
        return None
    return f"{type(value).__name__} values are not allowed"


def disk_spec(spec: str) -> dict:
    """One disk = [...] entry: {target, kind (file|phy), vdev, access}; raises ValueError."""
    parts = [p.strip() for p in spec.split(",")]
    keyed = {k: v for k, _, v in (p.partition("=") for p in parts if "=" in p)}
    positional = [p for p in parts if "=" not in p]
    out = {"target": None, "vdev": None, "access": "rw", "prefix": ""}
    if keyed:
        unknown = [k for k in keyed if k not in _DISK_KEYS]
        if unknown:
            raise ValueError(f"unknown disk parameter {unknown[0]!r}")
        for name, value in zip(("target", "format", "vdev", "access"), positional):
            out[name] = value
        out.update({k: v for k, v in keyed.items() if k in ("target", "vdev", "access", "format")})
    elif len(positional) == 3:
        out["target"], out["vdev"], out["access"] = positional
    elif len(positional) == 4:
        out["target"], out["format"], out["vdev"], out["access"] = positional
    else:
        raise ValueError("expected 'target,vdev,access' (or key=value parameters)")
    target = out["target"] or ""
    for prefix in _PREFIXES:
        if target.startswith(prefix):
            out["prefix"], target = prefix, target[len(prefix):]
            break
    out["target"] = target
    if not target:
        raise ValueError("no target")
    if out["prefix"] == "phy:" or (not out["prefix"] and target.startswith("/dev/")):
        out["kind"] = "phy"
        if not target.startswith("/"):
            out["target"] = "/dev/" + target
    else:
        out["kind"] = "file"
    if not out["vdev"]:
        raise ValueError("no virtual device (vdev)")
    if out["access"] not in ("r", "w", "ro", "rw", "w!", "rw!"):
        raise ValueError(f"access {out['access']!r} is not r or w")
    out["writable"] = "w" in out["access"]
    return out


def vdev_ok(vdev: str) -> bool:
    """A number (0x0, 0x1, 51712) or a Xen disk name (xvda, hda, sda); never wd0."""
    return bool(_VDEV.match(vdev))


def vif_spec(spec: str) -> dict:
    """One vif = [...] entry: {mac, bridge, script, ...}; raises ValueError."""
    out: dict = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise ValueError(f"vif parameter {part!r} is not key=value")
        out[key.strip()] = value.strip()
    if "mac" in out and not _MAC.match(out["mac"]):
        raise ValueError(f"MAC {out['mac']!r} is not six colon-separated hex bytes")
    return out


def vif_bridge(vif: dict) -> str | None:
    """The bridge a vif joins (None for routed/NAT vifs)."""
    script = vif.get("script", "vif-bridge")
    if "vif-bridge" not in script:
        return None
    return vif.get("bridge", DEFAULT_BRIDGE)


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def summary(values: dict) -> dict:
    """The files, disks and vifs a config names (bad entries listed as problems)."""
    out = {"name": values.get("name"), "kernel": values.get("kernel"), "ramdisk": values.get("ramdisk"),
           "disks": [], "vifs": [], "problems": []}
    for spec in as_list(values.get("disk")):
        try:
            out["disks"].append(disk_spec(str(spec)))
        except ValueError as e:
            out["problems"].append(f"disk {spec!r}: {e}")
    for spec in as_list(values.get("vif")):
        try:
            out["vifs"].append(vif_spec(str(spec)))
        except ValueError as e:
            out["problems"].append(f"vif {spec!r}: {e}")
    return out
