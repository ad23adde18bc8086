"""The one door to the project's validators (xenhowto/validators/, issue 4).

The validators are another engineer's modules; the verifier calls them only
through the functions below, so a change in their interface is a change to
this file alone, and when one is missing the verifier goes on and says so in
its notes (it never reimplements one).  What is used:

- ``netbsd_synopses.check_command(argv) -> [(severity, message)]`` on every
  command line a stand-in received (after the shell expanded it);
- ``xenhowto.validators.validator(kind)(text, path, **context)`` for
  /boot.cfg ("boot.cfg"), /etc/rc.conf ("rc.conf") and domU configs in
  /usr/pkg/etc/xen ("xl" or "xm"), on the whole file as the step left it;
- ``shell.validate_shell_batch([Snippet])``: one shellcheck run for all of a
  guide's dom0 shell snippets.

``context`` is {"xen", "toolstack", "arch"}, the options the validators take.
Results are cached by content, since many setups share most snippets.
Only findings of severity "error" count; warnings are left to ``howto check``.
"""
from __future__ import annotations

import importlib
import threading

_MISSING = object()
_modules: dict[str, object] = {}
_results: dict[tuple, list[str]] = {}
_lock = threading.Lock()
NOT_DOMU_CONFIGS = ("xl.conf", "xend-config.sxp", "xm-config.xml", "oxenstored.conf", "formats", "cpupool")


def _module(name: str):
    if name not in _modules:
        try:
            _modules[name] = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name and (name == e.name or name.startswith(e.name + ".")):
                _modules[name] = _MISSING  # the module itself is missing, not one of its imports
            else:
                raise
    mod = _modules[name]
    return None if mod is _MISSING else mod


def _messages(result, with_line: bool = False) -> list[str]:
    """Error messages of a validator's result: Findings, (severity, message) pairs or strings."""
    out = []
    for item in result or []:
        if isinstance(item, tuple) and len(item) == 2:
            severity, message, line = item[0], item[1], None
        elif isinstance(item, str):
            severity, message, line = "error", item, None
        else:
            severity = getattr(item, "severity", "error")
            message, line = getattr(item, "message", str(item)), getattr(item, "line", None)
        if severity == "error":
            out.append(f"line {line}: {message}" if with_line and line else message)
    return out


def _key(context: dict) -> tuple:
    return tuple(sorted(context.items()))


def check_synopsis(command: str, args: list[str]) -> list[str] | None:
    """Why a NetBSD/Xen command line does not fit its synopsis ([] when it does; None: no checker)."""
    mod = _module("xenhowto.validators.netbsd_synopses")
    fn = getattr(mod, "check_command", None) if mod else None
    if fn is None:
        return None
    key = ("argv", command, tuple(args))
    if key not in _results:
        _results[key] = _messages(fn([command] + list(args)))
    return _results[key]


def file_kind(path: str, toolstack: str) -> str | None:
    """Which validator judges the file at ``path`` (None: none does)."""
    if path == "/boot.cfg":
        return "boot.cfg"
    if path == "/etc/rc.conf":
        return "rc.conf"
    if path.startswith("/usr/pkg/etc/xen/") and path.count("/") == 5:
        base = path.rsplit("/", 1)[1]
        if base not in NOT_DOMU_CONFIGS and not base.endswith((".sxp", ".xml", ".conf", "-pre", "-post")):
            return "xm" if toolstack == "xm" else "xl"
    return None


def validate_file(path: str, content: str, context: dict) -> list[str] | None:
    """The project's validator's errors for this file ([] when none applies; None: validators absent)."""
    kind = file_kind(path, context.get("toolstack", "xl"))
    if kind is None:
        return []
    pkg = _module("xenhowto.validators")
    if pkg is None or not hasattr(pkg, "validator"):
        return None
    key = ("file", kind, path, content, _key(context))
    if key not in _results:
        try:
            fn = pkg.validator(kind)
        except KeyError:
            return None
        _results[key] = _messages(fn(content, path, **context), with_line=True)
    return _results[key]


def validate_shells(texts: list[str], context: dict) -> list[list[str]] | None:
    """Errors of each dom0 shell snippet (one shellcheck run for those not seen before); None: absent."""
    shell = _module("xenhowto.validators.shell")
    if shell is None or not hasattr(shell, "validate_shell_batch"):
        return None
    ctx = _key(context)
    todo = sorted({t for t in texts if ("shell", t, ctx) not in _results})
    if todo:
        snippets = [shell.Snippet(t, f"snippet-{i}", 1, dict(context)) for i, t in enumerate(todo)]
        found: dict[str, list] = {s.path: [] for s in snippets}
        for finding in shell.validate_shell_batch(snippets):
            found.setdefault(finding.path, []).append(finding)
        with _lock:
            for s in snippets:
                _results[("shell", s.text, ctx)] = _messages(found[s.path], with_line=True)
    return [_results[("shell", t, ctx)] for t in texts]
