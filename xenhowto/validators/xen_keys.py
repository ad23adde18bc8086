"""Xen versions and the config keys each toolstack knows there.

Why: neither xl nor xm complains about a key it does not know; it ignores it,
so a misspelt or outdated key silently does nothing.  Checking key names
against the Xen version is therefore up to us.  The key lists come from the
xl.cfg manual of each stable branch and from xm's option table
(``data/xen-config-keys.json``, a copy of the project's shared reference with
its provenance note); versions between two documented branches use the
older branch's list, and keys first documented in the next branch are
reported as "maybe not known yet" rather than as errors.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache

_DATA = os.path.join(os.path.dirname(__file__), "data", "xen-config-keys.json")

#: Xen releases the HOWTO can be about (reference/FACTS.md, "Xen releases").
RELEASES = tuple((3, m) for m in range(5)) + tuple((4, m) for m in range(23))

#: Keys whose first release is known more precisely than the key lists say.
#: type= arrived with Xen 4.10 (FACTS.md, "xl and xm configuration"); the
#: key lists have no 4.9 or 4.10 entry, so the list alone would say 4.11.
INTRODUCED = {"type": (4, 10)}

XM_LAST = (4, 4)  # xm and xend were removed in Xen 4.5
XL_FIRST = (4, 1)  # xl appeared in Xen 4.1 (and works well from 4.2)
TYPE_FIRST = (4, 10)


class VersionError(ValueError):
    """An unknown or malformed Xen version."""


def parse_version(text: str) -> tuple[int, int]:
    """"4.6" or "4.6.1" -> (4, 6); VersionError for anything the HOWTO does not know."""
    m = re.fullmatch(r"\s*(\d+)\.(\d+)(?:\.\d+)?\s*", str(text))
    if not m:
        raise VersionError(f"`{text}` is not a Xen version (write it as X.Y, e.g. 4.18)")
    version = (int(m[1]), int(m[2]))
    if version not in RELEASES:
        raise VersionError(f"Xen {version[0]}.{version[1]} is not a Xen release the HOWTO knows "
                           f"(known: 3.0 to 3.4 and 4.0 to {RELEASES[-1][0]}.{RELEASES[-1][1]})")
    return version


def fmt(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


@lru_cache(maxsize=None)
def _data() -> dict:
    with open(_DATA, encoding="utf-8") as f:
        return json.load(f)


def _branches(toolstack: str) -> list[tuple[tuple[int, int], frozenset, str]]:
    out = []
    for ver, entry in _data()[toolstack].items():
        major, minor = ver.split(".")
        out.append(((int(major), int(minor)), frozenset(entry["keys"]), entry["source"]))
    return sorted(out)


class KeyInfo:
    """What a toolstack of one Xen version knows: ``status(key)``."""

    def __init__(self, toolstack: str, version: tuple[int, int]):
        self.toolstack = toolstack
        self.version = version
        branches = _branches(toolstack)
        older = [b for b in branches if b[0] <= version]
        newer = [b for b in branches if b[0] > version]
        base = older[-1] if older else branches[0]
        self.branch, self.keys, self.source = base
        self.next_keys = newer[0][1] if newer and older else frozenset()
        self.next_branch = newer[0][0] if newer and older else None
        self.approximate = base[0] != version

    def status(self, key: str) -> str:
        """"known", "maybe" (documented only from the next listed branch) or "unknown"."""
        first = INTRODUCED.get(key)
        if first is not None:
            return "known" if self.version >= first else "unknown"
        if key in self.keys:
            return "known"
        if key in self.next_keys:
            return "maybe"
        return "unknown"

    def later_versions(self, key: str) -> list[str]:
        """Documented branches after this version that know ``key``."""
        return [fmt(v) for v, keys, _ in _branches(self.toolstack) if v > self.version and key in keys]

    def earlier_versions(self, key: str) -> list[str]:
        return [fmt(v) for v, keys, _ in _branches(self.toolstack) if v < self.version and key in keys]


def xl_keys(version: tuple[int, int]) -> KeyInfo:
    return KeyInfo("xl", version)


def xm_keys(version: tuple[int, int]) -> KeyInfo:
    return KeyInfo("xm", version)


def default_toolstack(version: tuple[int, int]) -> tuple[str, str | None]:
    """The toolstack a reader of that Xen version uses, and a note when it is a choice."""
    if version < XL_FIRST:
        return "xm", None
    if version > XM_LAST:
        return "xl", None
    note = (f"Xen {fmt(version)} has both xm and xl; judging as xl (give --toolstack xm for xm)"
            + ("; xl does not work well in 4.1" if version == (4, 1) else ""))
    return "xl", note


def toolstack_error(toolstack: str, version: tuple[int, int]) -> str | None:
    """Why this toolstack cannot exist for that version (None when it can)."""
    if toolstack == "xm" and version > XM_LAST:
        return f"xm does not exist in Xen {fmt(version)}: xm and xend were removed in Xen 4.5; use xl"
    if toolstack == "xl" and version < XL_FIRST:
        return f"xl does not exist in Xen {fmt(version)}: it appeared in Xen 4.1; use xm"
    if toolstack not in ("xl", "xm"):
        return f"unknown toolstack `{toolstack}` (xl or xm)"
    return None
