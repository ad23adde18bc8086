"""Shell snippets: shellcheck (sh dialect) plus NetBSD's own command synopses.

Why: the HOWTO's commands are typed into NetBSD's /bin/sh by readers who
copy them; shellcheck catches shell mistakes (unbalanced quotes, broken
``if``), ``netbsd_synopses`` what shellcheck cannot know (NetBSD's dd size
suffixes, brconfig rather than FreeBSD's ``ifconfig addm``, xl versus xm
options).

shellcheck runs ONCE for a whole batch: each snippet goes to its own file in
a temporary directory and all files are passed to one ``shellcheck
--format=json1`` call, whose comments are mapped back to snippet and line.
``--severity=warning`` drops style and info notes.  Codes excluded, because
a documentation snippet is a fragment typed at a prompt, not a script:
SC2164 (``cd`` without ``|| exit``), SC2154 (variable set elsewhere), SC2034
(variable used elsewhere), SC1090/SC1091 (sourced files not available).

``prompt=True`` treats the snippet as a session: lines starting with ``# ``
or ``$ `` are commands (the prompt is removed), other lines are output and
are not checked.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from xenhowto.findings import Finding
from xenhowto.validators.netbsd_synopses import validate_netbsd_commands

EXCLUDED = ("SC2164", "SC2154", "SC2034", "SC1090", "SC1091")


@dataclass
class Snippet:
    text: str
    path: str
    first_line: int = 1
    options: dict = field(default_factory=dict)


def shellcheck_available() -> bool:
    return shutil.which("shellcheck") is not None


def script_of(snippet: Snippet) -> str:
    """The text shellcheck sees: prompts removed, output blanked (same line count)."""
    if not snippet.options.get("prompt"):
        return snippet.text
    out = []
    for line in snippet.text.split("\n"):
        if line.startswith(("# ", "$ ")):
            out.append(line[2:])
        elif line in ("#", "$"):
            out.append("")
        else:
            out.append("")
    return "\n".join(out)


def run_shellcheck(snippets: list[Snippet]) -> list[Finding]:
    """One shellcheck process for all snippets."""
    if not snippets:
        return []
    if not shellcheck_available():
        return [Finding(s.path, s.first_line, "shellcheck is not installed; the shell snippet was not "
                                              "checked (Debian package shellcheck)")
                for s in snippets]
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="howto-sh-") as tmp:
        files = {}
        lines = {}
        for i, s in enumerate(snippets):
            name = f"s{i:05d}.sh"
            script = script_of(s)
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(script if script.endswith("\n") else script + "\n")
            files[name] = s
            lines[name] = max(1, len(script.rstrip("\n").split("\n")))
        proc = subprocess.run(["shellcheck", "--shell=sh", "--format=json1", "--severity=warning",
                               "--exclude=" + ",".join(EXCLUDED), *sorted(files)],
                              cwd=tmp, capture_output=True, text=True, timeout=120)
        try:
            report = json.loads(proc.stdout or "{}")
        except json.JSONDecodeError:
            return [Finding(s.path, s.first_line, f"shellcheck failed: {proc.stderr.strip()}")
                    for s in snippets]
    for c in report.get("comments", []):
        s = files.get(os.path.basename(c.get("file", "")))
        if s is None:
            continue
        line = min(int(c.get("line", 1)), lines[os.path.basename(c["file"])])
        severity = "error" if c.get("level") == "error" else "warning"
        findings.append(Finding(s.path, line + s.first_line - 1,
                                f"shellcheck SC{c.get('code')}: {c.get('message')}", severity))
    return findings


def validate_shell_batch(snippets: list[Snippet]) -> list[Finding]:
    """Every snippet by shellcheck (one process) and by the NetBSD synopses."""
    findings = run_shellcheck(snippets)
    for s in snippets:
        findings.extend(validate_netbsd_commands(script_of(s), s.path, s.first_line, **s.options))
    return sorted(findings)


def validate_shell(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """One shell snippet (use ``validate_shell_batch`` for many: one shellcheck run)."""
    return validate_shell_batch([Snippet(text, path, first_line, options)])
