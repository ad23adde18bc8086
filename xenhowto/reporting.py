"""Findings as text, JSON, GitHub Actions annotations or JUnit XML, for
`howto check` in a terminal, in scripts and in CI."""
from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from collections import defaultdict

from xenhowto.findings import Finding

FORMATS = ("text", "json", "github", "junit")


def summary(findings: list[Finding], checked: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return f"{errors} error(s), {warnings} warning(s) in {checked} checked item(s)"


def text(findings: list[Finding], checked: int) -> str:
    return "".join(f"{f}\n" for f in sorted(findings)) + summary(findings, checked) + "\n"


def as_json(findings: list[Finding], checked: int) -> str:
    return json.dumps({
        "findings": [
            {"path": f.path, "line": f.line, "severity": f.severity, "message": f.message}
            for f in sorted(findings)
        ],
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity != "error" for f in findings),
        "checked": checked,
    }, indent=2) + "\n"


def _escape_data(s: str) -> str:
    # GitHub's workflow-command escaping (toolkit/core command.ts)
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Finding], checked: int) -> str:
    lines = [
        f"::{'error' if f.severity == 'error' else 'warning'} "
        f"file={_escape_property(f.path)},line={f.line}::{_escape_data(f.message)}"
        for f in sorted(findings)
    ]
    return "".join(line + "\n" for line in lines) + summary(findings, checked) + "\n"


def junit(findings: list[Finding], checked: int, paths: list[str] | None = None) -> str:
    """One test case per checked file; a failure per error, warnings as system-out."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    names = sorted(set(paths or []) | set(by_path))
    suite = etree.Element("testsuite", name="howto check", tests=str(len(names)),
                          failures=str(sum(any(f.severity == "error" for f in by_path[n]) for n in names)),
                          errors="0")
    for name in names:
        case = etree.SubElement(suite, "testcase", classname="howto.check", name=name)
        items = sorted(by_path[name])
        errs = [f for f in items if f.severity == "error"]
        if errs:
            failure = etree.SubElement(case, "failure", message=f"{len(errs)} error(s)", type="finding")
            failure.text = "\n".join(str(f) for f in errs)
        warns = [f for f in items if f.severity != "error"]
        if warns:
            etree.SubElement(case, "system-out").text = "\n".join(str(f) for f in warns)
    root = etree.Element("testsuites", tests=suite.get("tests"), failures=suite.get("failures"))
    root.append(suite)
    etree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


def render(fmt: str, findings: list[Finding], checked: int, paths: list[str] | None = None) -> str:
    if fmt == "json":
        return as_json(findings, checked)
    if fmt == "github":
        return github(findings, checked)
    if fmt == "junit":
        return junit(findings, checked, paths)
    return text(findings, checked)
