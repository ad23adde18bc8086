"""The two pieces of ikiwiki syntax that sit on top of markdown: directives
(``[[!name args]]``) and wikilinks (``[[page]]``, ``[[text|page#anchor]]``).

What we accept and how we split arguments follows ikiwiki's own patterns
(IkiWiki.pm ``preprocess`` with ``prefix_directives`` on, and
``IkiWiki/Plugin/link.pm``).  Like ikiwiki, the scan ignores markdown
structure: a directive inside a code block is still a directive unless
written ``\\[[!``.

The scan runs in time linear in the page, whatever the page holds.  ikiwiki's
directive pattern backtracks exponentially on an unclosed directive (25 lines
of ``[[!shell content=\"\"\"`` take minutes), so each parameter is read
atomically: a quoted value ends at its first closing delimiter and, once read,
is not re-read another way.  This is ikiwiki's pattern with each parameter in
an atomic group, ``(?>key=value)`` (tests/test_ikiwiki_syntax.py checks the
two agree); it differs from ikiwiki only on a directive that ikiwiki itself
could close only by re-reading an earlier value (``[[!x \"\"\"a"]]\"\"\"``:
ikiwiki re-reads \"\"\" as "" and closes at the first ``]]``; we report it unclosed).
Wikilinks need no backtracking at all: no part of one contains ``]``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Union


_NAME_RE = re.compile(r"[-\w]+")
_KEY_RE = re.compile(r"[-.\w]+=")
_SPACE_RE = re.compile(r"\s*")
_BARE_RE = re.compile(r'[^"\s\]]+')  # a bare value inside [[!...]]
_SPLIT_BARE_RE = re.compile(r"\S+")  # a bare value when splitting the parameters
_HEREDOC_RE = re.compile(r"<<([a-zA-Z]+)\n")
_DIRECTIVE_OPEN_RE = re.compile(r"(\\?)\[\[!([-\w]*)")


class _Occurrences:
    """Where a pattern occurs in a text, found once (lazily) so that "the
    first occurrence at or after pos" costs a binary search, whatever the
    order of the questions: the scan stays linear on any input."""

    def __init__(self, text: str, pattern: str, accept=None):
        self.text, self.pattern, self.accept = text, pattern, accept
        self._at: list[int] | None = None

    def first(self, pos: int) -> int:
        """The first occurrence at or after ``pos`` (len(text) when none)."""
        if self._at is None:
            found = (m.start() for m in re.finditer(self.pattern, self.text))
            self._at = [i for i in found if self.accept(i)] if self.accept else list(found)
        i = bisect.bisect_left(self._at, pos)
        return self._at[i] if i < len(self._at) else len(self.text)


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


class _Values:
    """ikiwiki's value forms, in its order: triple-quoted, "...", triple
    single-quoted, a heredoc (<<TAG ... TAG), then a bare word.  A quoted value ends at its
    first closing delimiter that ``delimited`` accepts after it (inside
    [[!...]] any; when splitting the parameters, whitespace or a line end)."""

    def __init__(self, text: str, bare: re.Pattern, delimited=None):
        self.text, self.bare = text, bare
        end = len(text)
        ok = (lambda at: True) if delimited is None else delimited
        self.triple = _Occurrences(text, r'(?=""")', lambda i: ok(i + 3))
        self.single = _Occurrences(text, r"(?=''')", lambda i: ok(i + 3))
        self.quote = _Occurrences(text, r'"')
        self.ok, self.end = ok, end
        self.heredocs: dict[str, _Occurrences] = {}

    def value(self, pos: int) -> tuple[str, str, int] | None:
        """(form, value, end) of the value at ``pos``, or None."""
        text, n = self.text, self.end
        if text.startswith('"""', pos):
            close = self.triple.first(pos + 3)
            if close < n:
                return "triple", text[pos + 3 : close], close + 3
        if text.startswith('"', pos):
            close = self.quote.first(pos + 1)  # "[^"]*?" cannot pass a quote
            if close < n and self.ok(close + 1):
                return "quoted", text[pos + 1 : close], close + 1
        if text.startswith("'''", pos):
            close = self.single.first(pos + 3)
            if close < n:
                return "single", text[pos + 3 : close], close + 3
        m = _HEREDOC_RE.match(text, pos)
        if m:
            tag = m.group(1)
            if tag not in self.heredocs:
                self.heredocs[tag] = _Occurrences(text, re.escape("\n" + tag),
                                                  lambda i, k=len(tag): self.ok(i + 1 + k))
            close = self.heredocs[tag].first(m.end())
            if close < n:
                return "heredoc", text[m.end() : close], close + 1 + len(tag)
        m = self.bare.match(text, pos)
        if m:
            return "bare", m.group(0), m.end()
        return None


def _split_params(text: str) -> list[tuple[str | None, str, str, int, int]]:
    """(key, form, value as written, start, end) of each parameter of a
    directive's parameter text, split the way ikiwiki's preprocess() does
    (key=, then one of its value forms, then whitespace or a line end);
    start and end delimit the value inside its quotes."""
    n = len(text)
    delimited = lambda at: at >= n or text[at].isspace()  # noqa: E731  ikiwiki: (?:\s+|$) with /m
    values = _Values(text, _SPLIT_BARE_RE, delimited)
    params = []
    pos = _SPACE_RE.match(text).end()
    while pos < n:
        key, found, at = None, None, pos
        m = _KEY_RE.match(text, pos)
        if m:
            found, at = values.value(m.end()), m.end()
            key = m.group(0)[:-1] if found else None
        if found is None:
            found, at = values.value(pos), pos
        if found is None:  # cannot happen after whitespace was skipped; stay safe
            pos += 1
            continue
        form, value, end = found
        if form == "heredoc":
            inner = text.index("\n", at) + 1  # after <<TAG and its line break
        else:
            inner = at + {"triple": 3, "single": 3, "quoted": 1, "bare": 0}[form]
        params.append((key, form, value, inner, inner + len(value)))
        pos = _SPACE_RE.match(text, end).end()
    return params


def parse_params(text: str) -> list[tuple[str | None, str]]:
    """Split a directive's parameter text the way ikiwiki's preprocess() does."""
    return [(key, value.replace("\r\n", "\n").strip("\n") if form == "triple" else value)
            for key, form, value, _, _ in _split_params(text)]


def value_spans(d: Directive) -> dict[str, tuple[int, int]]:
    """key -> (start, end) of its value in ``d.raw`` as ``d.get(key)`` returns
    it (inside the quotes; a triple-quoted value without its first and last
    newlines), for the keys whose value is written there unchanged."""
    head = 3 + len(d.name)  # "[[!" and the name
    params = d.raw[head : len(d.raw) - 2]
    base = head + len(params) - len(params.lstrip())
    spans: dict[str, tuple[int, int]] = {}
    for key, form, value, start, end in _split_params(params.strip()):
        if form == "triple":
            if "\r" in value:
                continue
            start += len(value) - len(value.lstrip("\n"))
            end -= len(value) - len(value.rstrip("\n"))
        if key is not None and key not in spans:
            spans[key] = (base + start, base + max(start, end))
    return spans


class _Scanner:
    """One pass over a page.  Directives are matched by a deterministic reading
    of ikiwiki's pattern (each value ends at its first closing delimiter, so
    nothing backtracks), and a parameter position already known to run off
    the end without ``]]`` is not read again: the scan is linear in the text.
    Line numbers are counted as the scan advances."""

    def __init__(self, text: str):
        self.text = text
        self.values = _Values(text, _BARE_RE)
        self.dead: set[int] = set()  # parameter positions that reach no ]]
        self.line, self.line_at = 1, 0
        self.close = _Occurrences(text, r"\]")
        self.bar = _Occurrences(text, r"\|")
        self.hash = _Occurrences(text, "#")
        self.newline = _Occurrences(text, r"[\n\r]")
        self.space = _Occurrences(text, r"\s")

    def line_of(self, offset: int) -> int:
        self.line += self.text.count("\n", self.line_at, offset)
        self.line_at = offset
        return self.line

    def directive(self, start: int) -> tuple[str, int, int, int] | None:
        """(name, params start, params end, end) of [[!name params]] at ``start``."""
        text, n = self.text, len(self.text)
        name = _NAME_RE.match(text, start + 3)
        if not name:
            return None
        pos = name.end()
        params_start = pos
        if pos < n and text[pos].isspace():
            pos = _SPACE_RE.match(text, pos).end()
            visited = []
            while not text.startswith("]]", pos):
                if pos in self.dead:
                    break
                visited.append(pos)
                found = None
                m = _KEY_RE.match(text, pos)
                if m:
                    found = self.values.value(m.end())
                if found is None:
                    found = self.values.value(pos)
                if found is None:
                    break
                pos = _SPACE_RE.match(text, found[2]).end()
            if not text.startswith("]]", pos):
                self.dead.update(visited)
                return None
        elif not text.startswith("]]", pos):
            return None
        return name.group(0), params_start, pos, pos + 2

    def wikilink(self, start: int, body: int) -> tuple[str | None, str, str | None, int] | None:
        """(text, target, anchor, end) of [[text|target#anchor]] whose body
        starts at ``body``, by ikiwiki's link pattern: no part holds ]."""
        text, n = self.text, len(self.text)
        if body >= n or text[body] == "!":
            return None
        close = self.close.first(body)
        if close + 1 >= n or text[close + 1] != "]":
            return None
        bar = self.bar.first(body)
        if body < bar < close:
            found = self._target(bar + 1, close)
            if found:
                return (text[body:bar], *found, close + 2)
        found = self._target(body, close)
        return (None, *found, close + 2) if found else None

    def _target(self, at: int, close: int) -> tuple[str, str | None] | None:
        """target#anchor between ``at`` and ``close``: a target without #, ] or
        a line break, then an optional anchor without blanks."""
        end = min(self.hash.first(at), close)
        if end == at or self.newline.first(at) < end:
            return None
        if end == close:
            return self.text[at:end], None
        if end + 1 == close or self.space.first(end + 1) < close:
            return None
        return self.text[at:end], self.text[end + 1 : close]


# text -> its tokens, the most recently used last: a build scans the same page
# text many times, between the hundreds of short texts directives generate.
# Kept while their texts are 4 million characters in all (the HOWTO: 50,000).
_SCANNED: dict[str, tuple] = {}
_SCANNED_CHARS = 4_000_000
_kept_chars = 0


def scan(text: str) -> Iterator[Token]:
    """Yield the directives, wikilinks, escapes and unclosed directives of ``text``
    in source order.  Anything else is plain markdown and is not yielded.
    (The tokens are never changed by their readers, so a text's are kept.)"""
    tokens = _SCANNED.pop(text, None)
    if tokens is not None:
        _SCANNED[text] = tokens  # used now: the last to go
    else:
        # Line breaks at the end close nothing and open nothing: the text has the
        # tokens of the text without them (the page as read, and as Python-Markdown
        # hands it over with "\n\n" added, are scanned once)
        base = text.rstrip("\n")
        tokens = _SCANNED.get(base) if base != text else None
        if tokens is None:
            tokens = tuple(_scan(base))
        _keep(base, tokens)
        _keep(text, tokens)
    return iter(tokens)


def _keep(text: str, tokens: tuple) -> None:
    global _kept_chars
    if _SCANNED.pop(text, None) is not None:
        _kept_chars -= len(text)
    while _SCANNED and _kept_chars + len(text) > _SCANNED_CHARS:
        oldest = next(iter(_SCANNED))  # the least recently used
        del _SCANNED[oldest]
        _kept_chars -= len(oldest)
    _SCANNED[text] = tokens
    _kept_chars += len(text)


def _scan(text: str) -> Iterator[Token]:
    s = _Scanner(text)
    pos = 0
    n = len(text)
    while pos < n:
        at = text.find("[[", pos)
        if at < 0:
            return
        start = at - 1 if at > 0 and text[at - 1] == "\\" else at
        if start < pos:  # the backslash belonged to an earlier token
            start = at
        escaped = start < at
        if text.startswith("[[!", at):
            found = s.directive(at)
            if found:
                name, p0, p1, end = found
                if escaped:
                    yield Escaped(text[at:end], start, end)
                else:
                    yield Directive(name=name, params=parse_params(text[p0:p1].strip()), raw=text[at:end],
                                    line=s.line_of(at), start=at, end=end)
                pos = end
                continue
            opener = _DIRECTIVE_OPEN_RE.match(text, start)
            if opener and not opener.group(1):
                yield Unclosed(opener.group(2), s.line_of(at), at, opener.end())
            pos = at + 3
            continue
        found = s.wikilink(at, at + 2)
        if found:
            label, target, anchor, end = found
            if escaped:
                yield Escaped(text[at:end], start, end)
            else:
                yield WikiLink(target=target, text=label, anchor=anchor, raw=text[at:end],
                               line=s.line_of(at), start=at, end=end)
            pos = end
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
