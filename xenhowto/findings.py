"""Findings: what is wrong with an input, where, and what to do about it.

Every check in the project reports ``Finding`` objects instead of raising, so a
build or a check can list all problems at once, each as ``file:line: message``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    message: str
    severity: str = "error"  # "error" fails a build or check; "warning" is advice

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


# Per file: more findings would only bury the first ones (a hostile page can
# hold a million unclosed directives).
MAX_PER_FILE = 100


def capped(findings: list[Finding], limit: int = MAX_PER_FILE) -> list[Finding]:
    """The first ``limit`` findings of each file, then one that counts the rest."""
    out: list[Finding] = []
    by_path: dict[str, list[Finding]] = {}
    for f in sorted(findings):
        by_path.setdefault(f.path, []).append(f)
    for path, items in by_path.items():
        out += items[:limit]
        rest = items[limit:]
        if rest:
            errors = sum(f.severity == "error" for f in rest)
            out.append(Finding(path, rest[0].line, f"{len(rest)} more problem(s) ({errors} error(s)) not listed: "
                                                   f"fix the first {limit} and check again",
                               "error" if errors else "warning"))
    return out


class HowtoError(Exception):
    """A user-facing failure: printed as a message, never as a traceback."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []

    def describe(self) -> str:
        """The message, then each finding on its own line."""
        return "\n".join([str(self), *(str(f) for f in self.findings)])


class UsageError(HowtoError):
    """A mistake in how a command was called (a bad option value, an impossible
    date or setup): the command exits 2."""


def line_of(text: str, offset: int) -> int:
    """1-based line number of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def shorten(text: str, width: int = 60) -> str:
    """User text quoted in a message, cut to ``width`` characters: a finding
    about a megabyte-long link must still be one readable line."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
