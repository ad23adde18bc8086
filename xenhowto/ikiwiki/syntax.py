"""The two pieces of ikiwiki syntax that sit on top of markdown: directives
(``[[!name args]]``) and wikilinks (``[[page]]``, ``[[text|page#anchor]]``).

The regular expressions are ikiwiki's own (IkiWiki.pm ``preprocess`` with
``prefix_directives`` on, and ``IkiWiki/Plugin/link.pm``), translated to Python,
so that what we accept and how we split arguments is what the wiki does.  Like
ikiwiki, the scan ignores markdown structure: a directive inside a code block is
still a directive unless written ``\\[[!``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Union


# One parameter: optional key=, then a triple-quoted, quoted, triple-single-quoted,
# heredoc or bare value.  The bare value is possessive (++): ikiwiki's pattern
# lets one long word split into many parameters, which backtracks exponentially
# on an unclosed directive; a word never needs splitting to reach ]].
_PARAM = r"""
    (?:[-.\w]+=)?
    (?:
        \"\"\".*?\"\"\"
      | "[^"]*?"
      | '''.*?'''
      | <<(?P<heredoc>[a-zA-Z]+)\n(?:.*?)\n(?P=heredoc)
      | [^"\s\]]++
    )
    \s*
"""

DIRECTIVE_RE = re.compile(
    r"""
    (?P<escape>\\?)
    \[\[!
    (?P<name>[-\w]+)
    (?P<params>\s+(?:""" + _PARAM + r""")*)?
    \]\]
    """,
    re.S | re.X,
)

_PARAM_SPLIT_RE = re.compile(
    r"""
    (?:(?P<key>[-.\w]+)=)?
    (?:
        \"\"\"(?P<triple>.*?)\"\"\"
      | "(?P<quoted>[^"]*?)"
      | '''(?P<single>.*?)'''
      | <<(?P<hd>[a-zA-Z]+)\n(?P<heredoc>.*?)\n(?P=hd)
      | (?P<bare>\S+)
    )
    (?:\s+|$)
    """,
    re.S | re.M | re.X,
)

WIKILINK_RE = re.compile(
    r"""
    (?P<escape>\\?)
    \[\[(?=[^!])
    (?:(?P<text>[^\]\|]+)\|)?
    (?P<target>[^\n\r\]\#]+)
    (?:\#(?P<anchor>[^\s\]]+))?
    \]\]
    """,
    re.X,
)

_DIRECTIVE_OPEN_RE = re.compile(r"(\\?)\[\[!([-\w]*)")


@dataclass
class Directive:
    name: str
    params: list[tuple[str | None, str]]  # in order; a bare word has key None
    raw: str  # the exact source text, for verbatim export
    line: int
    start: int
    end: int

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.params:
            if k == key:
                return v
        return default

    def keys(self) -> list[str]:
        return [k if k is not None else v for k, v in self.params]

    def bare(self) -> list[str]:
        return [v for k, v in self.params if k is None]


@dataclass
class WikiLink:
    target: str
    text: str | None
    anchor: str | None
    raw: str
    line: int
    start: int
    end: int


@dataclass
class Escaped:
    """``\\[[...]]``: shown literally, without the backslash (as ikiwiki does)."""

    literal: str
    start: int
    end: int


@dataclass
class Unclosed:
    """``[[!name`` with no ``]]`` that ikiwiki would accept: ikiwiki shows it as text."""

    name: str
    line: int
    start: int
    end: int


Token = Union[Directive, WikiLink, Escaped, Unclosed]


def parse_params(text: str) -> list[tuple[str | None, str]]:
    """Split a directive's parameter text the way ikiwiki does."""
    params: list[tuple[str | None, str]] = []
    for m in _PARAM_SPLIT_RE.finditer(text):
        if m.group("triple") is not None:
            value = m.group("triple").replace("\r\n", "\n").strip("\n")
        elif m.group("quoted") is not None:
            value = m.group("quoted")
        elif m.group("single") is not None:
            value = m.group("single")
        elif m.group("heredoc") is not None:
            value = m.group("heredoc")
        else:
            value = m.group("bare")
        params.append((m.group("key"), value))
    return params


def value_spans(d: Directive) -> dict[str, tuple[int, int]]:
    """key -> (start, end) of its value in ``d.raw`` as ``d.get(key)`` returns
    it (inside the quotes; a triple-quoted value without its first and last
    newlines), for the keys whose value is written there unchanged."""
    m = DIRECTIVE_RE.match(d.raw)
    if m is None or m.group("params") is None:
        return {}
    params = m.group("params")
    base = m.start("params") + len(params) - len(params.lstrip())
    spans: dict[str, tuple[int, int]] = {}
    for pm in _PARAM_SPLIT_RE.finditer(params.strip()):
        key = pm.group("key")
        group = next(g for g in ("triple", "quoted", "single", "heredoc", "bare") if pm.group(g) is not None)
        start, end = pm.span(group)
        value = pm.group(group)
        if group == "triple":
            if "\r" in value:
                continue
            start += len(value) - len(value.lstrip("\n"))
            end -= len(value) - len(value.rstrip("\n"))
        if key is not None and key not in spans:
            spans[key] = (base + start, base + max(start, end))
    return spans


def _token(m: re.Match, line_at, make) -> Token:
    """An escaped match shows literally (without its backslash); else the token."""
    if m.group("escape"):
        return Escaped(m.group(0)[1:], m.start(), m.end())
    return make(m, line_at(m.start()))


def scan(text: str) -> Iterator[Token]:
    """Yield the directives, wikilinks, escapes and unclosed directives of ``text``
    in source order.  Anything else is plain markdown and is not yielded."""
    pos = 0
    n = len(text)
    counted = [0, 1]  # an offset and its line: tokens come in order, so lines are counted once

    def line_at(offset: int) -> int:
        counted[1] += text.count("\n", counted[0], offset)
        counted[0] = offset
        return counted[1]

    while pos < n:
        at = text.find("[[", pos)
        if at < 0:
            return
        start = at - 1 if at > 0 and text[at - 1] == "\\" else at
        if start < pos:  # the backslash belonged to an earlier token
            start = at
        if text.startswith("[[!", at):
            m = DIRECTIVE_RE.match(text, start)
            if m and m.start() == start:
                yield _token(m, line_at, lambda m, line: Directive(
                    name=m.group("name"), params=parse_params((m.group("params") or "").strip()),
                    raw=m.group(0), line=line, start=m.start(), end=m.end()))
                pos = m.end()
                continue
            opener = _DIRECTIVE_OPEN_RE.match(text, start)
            if opener and not opener.group(1):
                yield Unclosed(opener.group(2), line_at(at), at, opener.end())
            pos = at + 3
            continue
        m = WIKILINK_RE.match(text, start)
        if m and m.start() == start:
            yield _token(m, line_at, lambda m, line: WikiLink(
                target=m.group("target"), text=m.group("text"), anchor=m.group("anchor"),
                raw=m.group(0), line=line, start=m.start(), end=m.end()))
            pos = m.end()
            continue
        pos = at + 2


def substitute(text: str, replace) -> str:
    """Rebuild ``text`` with each token replaced by ``replace(token)``."""
    out: list[str] = []
    pos = 0
    for token in scan(text):
        out.append(text[pos : token.start])
        out.append(replace(token))
        pos = token.end
    out.append(text[pos:])
    return "".join(out)


def code_block_lines(text: str) -> set[int]:
    """Lines (1-based) that markdown would treat as code: fenced blocks and
    4-space/tab indented blocks after a blank line.  Used to warn about
    directives and wikilinks that ikiwiki would expand inside code."""
    lines = text.split("\n")
    code: set[int] = set()
    fence: str | None = None
    prev_blank = True
    in_indented = False
    for i, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        if fence:
            code.add(i)
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")) and len(line) - len(stripped) < 4:
            fence = stripped[:3]
            code.add(i)
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (prev_blank or in_indented) and line.strip():
            in_indented = True
            code.add(i)
        elif line.strip():
            in_indented = False
        prev_blank = not line.strip()
    return code
