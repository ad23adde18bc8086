"""Validators: one module per kind of example, each judged by the strictest parser available.

Every validator is a plain function

    validate_<kind>(text: str, path: str, first_line: int = 1, **options) -> list[Finding]

whose findings carry ``path`` and line numbers counted from ``first_line``
(the page line of the snippet's first line), so the typed-example directives,
``howto check`` and ``howto check-config`` can all call them.  Options they
understand: ``xen`` ("4.18"), ``toolstack`` ("xl"/"xm"), ``arch`` ("amd64",
"i386"), and per kind a few more (see each function).

* ``xl_domu.validate_xl_domu``: xl domain configs (libxlutil through ctypes,
  else the pure-Python parser ``xlcfg_grammar``; then keys, values, devices)
* ``xm_domu.validate_xm_domu``: xm domain configs (Python syntax, xm's names)
* ``bootcfg.validate_bootcfg``: /boot.cfg (boot.cfg(5) and the Xen rules)
* ``rcconf.validate_rcconf``: /etc/rc.conf (sh -n, variables, daemons)
* ``shell.validate_shell`` / ``shell.validate_shell_batch``: shell snippets
  (one shellcheck run per batch, NetBSD synopses)
"""
from __future__ import annotations

import importlib

#: kind -> (module, function); imported on first use.
_REGISTRY = {
    "xl": ("xl_domu", "validate_xl_domu"),
    "xm": ("xm_domu", "validate_xm_domu"),
    "boot.cfg": ("bootcfg", "validate_bootcfg"),
    "rc.conf": ("rcconf", "validate_rcconf"),
    "shell": ("shell", "validate_shell"),
    "xl-syntax": ("xlcfg_grammar", "validate_xlcfg_syntax"),
    "netbsd-commands": ("netbsd_synopses", "validate_netbsd_commands"),
}
KINDS = tuple(_REGISTRY)


def validator(kind: str):
    """The validate_<kind> function for ``kind`` (KeyError if there is none)."""
    module, function = _REGISTRY[kind]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)
