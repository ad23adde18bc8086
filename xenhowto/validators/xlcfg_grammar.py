"""A pure-Python parser of xl's domain configuration grammar (libxlutil's).

Why: libxlutil (Xen's own parser, see ``libxlutil.py``) is the judge of xl
config syntax, but it is not installed everywhere the HOWTO is checked (a wiki
editor's laptop, a NetBSD box without xentools).  This module accepts and
rejects exactly what libxlutil 4.17 accepts and rejects, and reports errors on
the same lines with the same messages; ``tests/test_validators_xlcfg.py`` runs
both over one corpus and over random input to keep it so.

What "the same grammar" means, learned from xen.git (tools/libs/util/
libxlu_cfg_l.l and libxlu_cfg_y.y, libxlu_cfg.c) and by experiment with the
real library:

* Lexer (flex, longest match, byte oriented): ``IDENT`` is ``[a-z][._0-9a-z]*``
  (no capitals: ``True`` is a lexical error), ``NUMBER`` is ``[0-9][0-9a-fx]*``
  (so ``1e5`` and ``0x1f`` are numbers, ``0xFF`` is ``0x`` then a bad ``F``),
  strings are '...' or "..." on one line with C escapes, ``#`` starts a comment
  that must end with a newline, ``;`` or a newline ends a statement, ``+=``
  appends.  Any other byte (``\\r`` of DOS line ends, ``-``, ``.``, capitals)
  starts a lexical error that swallows the rest of the word; parsing goes on.
* Parser (bison, LALR(1) with bison's default reductions and ``error NEWLINE``
  recovery): ``file: stmts | stmts assignment`` so the last assignment needs no
  newline; values are atoms or (nested) lists, lists may end with a comma and
  may span lines.
* Quirks kept on purpose, because agreeing with libxlutil is the point: an
  error "near <newline>" is *reported* one line early (libxlutil subtracts one
  for tokens ending in a newline); a lone bad byte at the very end of the input
  is not an error; a ``\\x`` escape is always rejected and ``\\NNN`` needs three
  characters (libxlu_cfg.c's NUMERIC_CHAR); errors on a line at or before the
  last lexical error are not reported, and bison reports nothing until three
  tokens have been shifted after an error; an error right after a complete
  assignment (``a = 1 b = 2``) aborts the parse, so later errors go unseen.
  ``XlError.line`` is the line the problem is really on; ``reported_line`` is
  what libxlutil prints.

The LALR(1) tables are built here from the grammar below (canonical LR(1)
sets merged by core, bison's "most frequent reduction" default), not copied
from bison's output; a test checks the messages against the library's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from xenhowto.findings import Finding

# ---------------------------------------------------------------- grammar

#: Terminals in bison's order (the order of ``expecting`` lists in messages).
TERMINALS = ("$end", "error", "IDENT", "STRING", "NUMBER", "NEWLINE", "+=", "=", ";", "[", "]", ",")
#: How bison names the terminals in messages (yytname after yytnamerr).
_DISPLAY = {"+=": "+=", "=": "'='", ";": "';'", "[": "'['", "]": "']'", ",": "','"}

#: The grammar of libxlu_cfg_y.y (Xen 4.17), rule 0 being bison's $accept.
GRAMMAR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("$accept", ("file", "$end")),
    ("file", ("stmts",)),
    ("file", ("stmts", "assignment")),
    ("stmts", ()),
    ("stmts", ("stmts", "stmt")),
    ("stmt", ("assignment", "endstmt")),
    ("stmt", ("endstmt",)),
    ("stmt", ("error", "NEWLINE")),
    ("assignment", ("IDENT", "=", "value")),
    ("assignment", ("IDENT", "+=", "value")),
    ("endstmt", ("NEWLINE",)),
    ("endstmt", (";",)),
    ("value", ("atom",)),
    ("value", ("[", "nlok", "valuelist", "]")),
    ("atom", ("STRING",)),
    ("atom", ("NUMBER",)),
    ("valuelist", ()),
    ("valuelist", ("values",)),
    ("valuelist", ("values", ",", "nlok")),
    ("values", ("value", "nlok")),
    ("values", ("values", ",", "nlok", "value", "nlok")),
    ("nlok", ()),
    ("nlok", ("nlok", "NEWLINE")),
)

YYMAXDEPTH = 10000  # bison's default stack limit: deeper nesting is "memory exhausted"


@dataclass(frozen=True)
class _State:
    actions: dict  # terminal -> ("s", state) | ("r", rule), explicit entries only
    default: int | None  # default reduction rule, None: default is an error
    gotos: dict  # nonterminal -> state
    default_only: bool  # bison reduces without reading a lookahead
    accept: bool


@lru_cache(maxsize=None)
def _tables() -> tuple[_State, ...]:
    """LALR(1) automaton of GRAMMAR with bison's default-reduction policy."""
    nonterms = {lhs for lhs, _ in GRAMMAR}
    nullable: set[str] = set()
    first: dict[str, set[str]] = {t: {t} for t in TERMINALS}
    first.update({n: set() for n in nonterms})
    changed = True
    while changed:
        changed = False
        for lhs, rhs in GRAMMAR:
            if all(s in nullable for s in rhs) and lhs not in nullable:
                nullable.add(lhs)
                changed = True
            for sym in rhs:
                if not first[sym] <= first[lhs]:
                    first[lhs] |= first[sym]
                    changed = True
                if sym not in nullable:
                    break

    def first_of(seq: tuple[str, ...], la: str) -> set[str]:
        out: set[str] = set()
        for sym in seq:
            out |= first[sym]
            if sym not in nullable:
                return out
        out.add(la)
        return out

    def closure(items: frozenset) -> frozenset:
        result = set(items)
        work = list(items)
        while work:
            rule, dot, la = work.pop()
            rhs = GRAMMAR[rule][1]
            if dot < len(rhs) and rhs[dot] in nonterms:
                for la2 in first_of(rhs[dot + 1:], la):
                    for r2, (lhs2, _) in enumerate(GRAMMAR):
                        if lhs2 == rhs[dot] and (r2, 0, la2) not in result:
                            result.add((r2, 0, la2))
                            work.append((r2, 0, la2))
        return frozenset(result)

    def core(items: frozenset) -> frozenset:
        return frozenset((r, d) for r, d, _ in items)

    # Canonical LR(1) sets, merged by core as they are found (LALR(1)).
    start = closure(frozenset({(0, 0, "#")}))
    cores: list[frozenset] = [core(start)]
    sets: list[set] = [set(start)]
    transitions: list[dict] = [{}]
    work = [0]
    while work:
        i = work.pop(0)
        symbols = []
        for rule, dot, _ in sets[i]:
            rhs = GRAMMAR[rule][1]
            if dot < len(rhs) and rhs[dot] not in symbols:
                symbols.append(rhs[dot])
        for sym in symbols:
            moved = frozenset((r, d + 1, la) for r, d, la in sets[i]
                              if d < len(GRAMMAR[r][1]) and GRAMMAR[r][1][d] == sym)
            target = closure(moved)
            c = core(target)
            if c in cores:
                j = cores.index(c)
                if not target <= sets[j]:
                    sets[j] |= target
                    work.append(j)  # lookaheads grew: propagate again
            else:
                j = len(cores)
                cores.append(c)
                sets.append(set(target))
                transitions.append({})
                work.append(j)
            transitions[i][sym] = j

    states = []
    for i, items in enumerate(sets):
        shifts = {s: j for s, j in transitions[i].items() if s in TERMINALS}
        gotos = {s: j for s, j in transitions[i].items() if s not in TERMINALS}
        reductions: dict[str, int] = {}
        accept = False
        for rule, dot, la in items:
            rhs = GRAMMAR[rule][1]
            if rule == 0 and dot == len(rhs):
                accept = True
            elif dot == len(rhs):
                if la in shifts or reductions.get(la, rule) != rule:
                    raise AssertionError(f"xl grammar conflict in state {i} on {la}")
                reductions[la] = rule
        # bison (tables.c action_row): no default reduction in a state that
        # shifts `error`; otherwise the reduction with the most lookaheads.
        default = None
        if reductions and "error" not in shifts:
            counts: dict[int, int] = {}
            for rule in reductions.values():
                counts[rule] = counts.get(rule, 0) + 1
            default = min(counts, key=lambda r: (-counts[r], r))
        actions = {t: ("s", j) for t, j in shifts.items()}
        actions.update({t: ("r", r) for t, r in reductions.items() if r != default})
        states.append(_State(actions, default, gotos, not actions and not accept, accept))
    return tuple(states)


# ------------------------------------------------------------------- lexer

_IDENT_START = frozenset(b"abcdefghijklmnopqrstuvwxyz")
_IDENT_REST = frozenset(b"._0123456789abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset(b"0123456789")
_NUMBER_REST = frozenset(b"0123456789abcdefx")
_PYTHONISH = frozenset(b"+-.():")  # flex's [+-.():] minus the ',' matched earlier
_SINGLE = {ord(","): ",", ord("["): "[", ord("]"): "]", ord("="): "=", ord(";"): ";"}


@dataclass
class _Token:
    kind: str
    text: bytes  # yytext as libxlutil sees it (for "near ..." in messages)
    loc: int  # yylloc.first_line as the lexer sets it
    line: int  # the line the token is really on
    normal_newline: bool = False


@dataclass
class XlError:
    """One error as libxlutil would print it."""
    line: int  # where the problem is
    reported_line: int  # the line number libxlutil prints (one less "near <newline>")
    near: str  # libxlutil's "near" text: "`True'", "<newline>", ...
    message: str  # libxlutil's message: "lexical error", "syntax error, unexpected ..."

    def __str__(self) -> str:
        return f"{self.line}: config parsing error near {self.near}: {self.message}"


@dataclass
class Setting:
    """One ``key = value`` (values: str for atoms, list for lists)."""
    name: str
    value: object
    op: str  # "=" or "+="
    line: int  # line of the value's first token (libxlutil's set->lineno)
    key_line: int
    quoted: bool = False  # the atom was a quoted string, not a NUMBER


@dataclass
class XlConfig:
    errors: list[XlError] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    likely_python: bool = False
    failed: bool = False  # libxlutil's return value is EINVAL (always with an error printed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def get(self, name: str) -> Setting | None:
        """The setting libxlutil's xlu_cfg_get_* would find (the last one)."""
        for s in reversed(self.settings):
            if s.name == name:
                return s
        return None


class _Ctx:
    """libxlutil's CfgParseContext: error state shared by lexer and parser."""

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.lineno = 1  # flex yylineno
        self.err = False
        self.lexerrlineno = -1
        self.likely_python = False
        self.text = b""  # yytext of the last match that returned a token (or EOF)
        self.errors: list[XlError] = []

    # xlu__cfg_yyerror
    def yyerror(self, loc: int, text: bytes, msg: str, true_line: int | None = None) -> None:
        if loc <= self.lexerrlineno:
            return
        length = len(text)
        lineno = loc
        newline = ""
        if length and text[-1:] == b"\n":
            length -= 1
            lineno -= 1
            if not length:
                newline = "<newline>"
        while length and text[length - 1:length] in (b"\t", b" "):
            length -= 1
        shown = text[:length].split(b"\0", 1)[0].decode("utf-8", "replace")
        near = (f"`{shown}'" if length else "") + newline
        self.errors.append(XlError(true_line if true_line is not None else lineno, lineno, near, msg))
        self.err = True

    # xlu__cfgl_lexicalerror
    def lexicalerror(self, text: bytes, msg: str, true_line: int | None = None) -> None:
        loc = self.lineno
        self.yyerror(loc, text, msg, true_line)
        self.lexerrlineno = loc

    # xlu__cfgl_dequote: C escapes, with libxlu_cfg.c's quirks
    def dequote(self, text: bytes) -> str | None:
        if self.err:
            return None
        body = text[1:-1]
        out = bytearray()
        i = 0
        while i < len(body):
            c = body[i]
            i += 1
            if c != 0x5C:  # backslash
                out.append(c)
                continue
            nc = body[i]
            i += 1
            simple = {0x22: 0x22, 0x27: 0x27, 0x5C: 0x5C, 0x61: 7, 0x62: 8, 0x66: 12,
                      0x6E: 10, 0x72: 13, 0x74: 9, 0x76: 11}
            if nc in simple:
                out.append(simple[nc])
            elif nc == 0x78:  # \x: the skipped digit leaves at most one; always rejected
                self.lexicalerror(text, "invalid digit after backslash hexnumerical character escape in quoted string")
                self.err = True
                break
            elif 0x30 <= nc <= 0x37:  # \NNN: strtoul(next 3, base 10) must use 2+ chars
                used = _strtoul_length(bytes(body[i:i + 3]) + b"'")
                if used <= 1:
                    self.lexicalerror(text, "invalid digit after backslash octalnumerical character escape in quoted string")
                    self.err = True
                    break
                i += used  # the value itself is never stored (libxlu_cfg.c)
            else:
                self.lexicalerror(text, "invalid character after backlash in quoted string")
                self.err = True
                break
        return out.decode("utf-8", "replace")


def _strtoul_length(buf: bytes) -> int:
    """How many bytes C strtoul(buf, &ep, 10) consumes (0 when no number)."""
    i = 0
    while i < len(buf) and buf[i] in b" \t\n\v\f\r":
        i += 1
    if i < len(buf) and buf[i] in b"+-":
        i += 1
    start = i
    while i < len(buf) and buf[i] in _DIGITS:
        i += 1
    return i if i > start else 0


def _lex(ctx: _Ctx):
    """Yield tokens like flex's xlu__cfg_yylex, reporting lexical errors."""
    data = ctx.data
    n = len(data)
    while True:
        pos = ctx.pos
        if pos >= n:
            ctx.text = b"\0"  # at EOF flex leaves a one-byte NUL yytext
            return
        c = data[pos]
        line = ctx.lineno
        if c in _IDENT_START:
            end = pos + 1
            while end < n and data[end] in _IDENT_REST:
                end += 1
            yield _emit(ctx, "IDENT", pos, end, line)
        elif c in _DIGITS:
            end = pos + 1
            while end < n and data[end] in _NUMBER_REST:
                end += 1
            yield _emit(ctx, "NUMBER", pos, end, line)
        elif c in (0x20, 0x09):
            ctx.pos = pos + 1
        elif c == 0x2B and pos + 1 < n and data[pos + 1] == 0x3D:
            yield _emit(ctx, "+=", pos, pos + 2, line)
        elif c in _SINGLE:
            yield _emit(ctx, _SINGLE[c], pos, pos + 1, line)
        elif c == 0x0A:
            ctx.pos = pos + 1
            ctx.text = b"\n"
            ctx.lineno += 1
            yield _Token("NEWLINE", b"\n", line, line, normal_newline=True)
        elif c == 0x23 and data.find(b"\n", pos) >= 0:
            end = data.find(b"\n", pos) + 1
            ctx.pos = end
            ctx.text = data[pos:end]
            ctx.lineno += 1
            yield _Token("NEWLINE", ctx.text, line, line, normal_newline=True)
        elif c in (0x27, 0x22) and (end := _string_end(data, pos)) is not None:
            tok = _emit(ctx, "STRING", pos, end, line)
            tok.value = ctx.dequote(tok.text)
            yield tok
        else:
            # flex rules [+-.():] and "." : BEGIN(lexerr); yymore()
            if c in _PYTHONISH:
                ctx.likely_python = True
            end = pos + 1
            if end >= n:  # <lexerr> at EOF: yyterminate(), no error
                ctx.pos = end
                ctx.text = data[pos:end]
                return
            nxt = data[end]
            if nxt == 0x0A:  # <lexerr>\n: error, then a NEWLINE token
                ctx.pos = end + 1
                ctx.text = data[pos:end + 1]
                ctx.lineno += 1
                ctx.lexicalerror(ctx.text, "lexical error", true_line=line)
                yield _Token("NEWLINE", ctx.text, ctx.lineno, line)
                continue
            if nxt in (0x20, 0x09):
                end += 1
            else:
                while end < n and data[end] not in (0x20, 0x09, 0x0A):
                    end += 1
            ctx.pos = end
            ctx.text = data[pos:end]
            ctx.lexicalerror(ctx.text, "lexical error", true_line=line)


def _emit(ctx: _Ctx, kind: str, pos: int, end: int, line: int) -> _Token:
    ctx.pos = end
    ctx.text = ctx.data[pos:end]
    return _Token(kind, ctx.text, line, line)


def _string_end(data: bytes, pos: int) -> int | None:
    """End of the flex match \\'([^\\'\\\\\\n]|\\\\.)*\\' (or the "..." twin) at pos."""
    quote = data[pos]
    i = pos + 1
    n = len(data)
    while i < n:
        c = data[i]
        if c == quote:
            return i + 1
        if c == 0x0A:
            return None
        if c == 0x5C:
            if i + 1 >= n or data[i + 1] == 0x0A:
                return None
            i += 2
        else:
            i += 1
    return None


# ------------------------------------------------------------------ parser

def _expecting(state: _State, token: str) -> str:
    """bison's verbose message (yysyntax_error), at most four expected tokens."""
    name = _DISPLAY.get(token, token)
    if state.default_only:
        return f"syntax error, unexpected {name}"
    expected = [t for t in TERMINALS if t in state.actions and t != "error"]
    if len(expected) > 4:
        expected = []
    msg = f"syntax error, unexpected {name}"
    if expected:
        msg += ", expecting " + " or ".join(_DISPLAY.get(t, t) for t in expected)
    return msg


class _Value:
    __slots__ = ("kind", "value", "line", "quoted")

    def __init__(self, kind, value, line, quoted=False):
        self.kind, self.value, self.line, self.quoted = kind, value, line, quoted


def parse(text: str | bytes) -> XlConfig:
    """Parse an xl domain config the way libxlutil does; never raises."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    ctx = _Ctx(data)
    states = _tables()
    tokens = _lex(ctx)
    settings: list[Setting] = []

    stack = [0]
    values: list = [None]
    lookahead: _Token | None = None
    last = _Token("$none", b"", 1, 1)  # yylloc keeps the last token's location at EOF
    errstatus = 0

    def next_token() -> _Token:
        nonlocal last
        tok = next(tokens, None)
        if tok is None:
            return _Token("$end", ctx.text, last.loc, last.line)
        last = tok
        return tok

    def reduce(rule: int) -> None:
        lhs, rhs = GRAMMAR[rule]
        n = len(rhs)
        args = values[len(values) - n:] if n else []
        if n:
            del stack[-n:]
            del values[-n:]
        result = None
        if lhs == "atom":
            tok = args[0]
            value = getattr(tok, "value", None) if tok.kind == "STRING" else tok.text.decode("ascii")
            result = _Value("str", value, tok.line, tok.kind == "STRING")
        elif lhs == "value":
            result = args[0] if rule == 12 else args[2]
            if rule == 13:
                result = _Value("list", result.value, args[0].line)
        elif lhs == "valuelist":
            result = _Value("list", [] if rule == 16 else args[0].value, 0)
        elif lhs == "values":
            if rule == 19:
                result = _Value("list", [args[0]], 0)
            else:
                args[0].value.append(args[3])
                result = args[0]
        elif lhs == "assignment":
            _store(ctx, settings, args[0], args[1].kind, args[2])
        values.append(result)
        stack.append(states[stack[-1]].gotos[lhs])

    while True:
        # yynewstate / yysetstate
        if len(stack) >= YYMAXDEPTH:
            ctx.yyerror(last.loc, ctx.text, "memory exhausted", true_line=last.line)
            break
        state = states[stack[-1]]
        if state.accept:
            break
        # yybackup
        if state.default_only:
            reduce(state.default)
            continue
        if lookahead is None:
            lookahead = next_token()
        action = state.actions.get(lookahead.kind)
        if action is not None and action[0] == "s":
            if errstatus:
                errstatus -= 1
            stack.append(action[1])
            values.append(lookahead)
            lookahead = None
            continue
        rule = action[1] if action is not None else state.default
        if rule is not None:
            reduce(rule)
            continue
        # yyerrlab
        if not errstatus:
            ctx.yyerror(lookahead.loc, ctx.text, _expecting(state, lookahead.kind),
                        true_line=lookahead.line)
        if errstatus == 3:
            if lookahead.kind == "$end":
                break  # YYABORT
            lookahead = None
        errstatus = 3
        while "error" not in states[stack[-1]].actions:
            if len(stack) == 1:
                break
            stack.pop()
            values.pop()
        else:
            stack.append(states[stack[-1]].actions["error"][1])
            values.append(None)
            continue
        break  # YYABORT: nothing left to pop

    return XlConfig(errors=ctx.errors, settings=settings if not ctx.err else [],
                    likely_python=ctx.likely_python, failed=ctx.err)


def _store(ctx: _Ctx, settings: list[Setting], ident: _Token, op: str, value: _Value) -> None:
    """xlu__cfg_set_store: `+=` must add a list to a list or a string to a string."""
    if ctx.err:
        return
    name = ident.text.decode("ascii")
    plain = _plain(value)
    if op == "+=":
        prev = next((s for s in reversed(settings) if s.name == name), None)
        if prev is not None:
            if isinstance(prev.value, list) != (value.kind == "list"):
                ctx.lexicalerror(ctx.text, "can't add [list] to \"string\" or vice versa")
                ctx.err = True
                return
            plain = prev.value + plain
    settings.append(Setting(name, plain, op, value.line, ident.line, value.quoted))


def _plain(value: _Value):
    """Plain Python value (str or nested lists), iteratively: lists nest deeply."""
    if value.kind == "str":
        return value.value
    root: list = []
    work = [(value, root)]
    while work:
        node, out = work.pop()
        for item in node.value:
            if item.kind == "str":
                out.append(item.value)
            else:
                sub: list = []
                out.append(sub)
                work.append((item, sub))
    return root


# ---------------------------------------------------------------- validator

def hint(error: XlError) -> str:
    """A sentence for the reader, after libxlutil's own message."""
    near = error.near
    if error.message == "lexical error":
        word = near.strip("`'")
        if word in ("True", "False"):
            return f" xl has no booleans: write 1 or 0 instead of {word}."
        if re.fullmatch(r"[0-9A-F]*[A-F][0-9A-Fa-f]*", word):
            return " Hex numbers need lower-case digits (0xff, not 0xFF)."
        if word[:1].isupper():
            return " Keys and bare words must be lower case, and values must be quoted strings, numbers or [lists]."
        if word.startswith(("\r", "\\r")) or "\r" in word:
            return " The file has DOS (CR LF) line ends; xl wants plain newlines."
        if word[:1] in "'\"":
            return " A string must end with the same quote on the same line."
        if word[:1] and word[:1] in "-+.():*/%":
            return " This looks like Python, which xl does not run (negative numbers and arithmetic included)."
        return ""
    if "unexpected IDENT, expecting STRING" in error.message:
        return f" A bare word is not a value: quote it, as in \"{near.strip('`')[:-1] or near}\"."
    if "expecting += or '='" in error.message:
        return " Each setting is `key = value`."
    if "expecting $end" in error.message:
        return " Put each setting on its own line or separate settings with `;`."
    return ""


def validate_xlcfg_syntax(text: str, path: str, first_line: int = 1, **options) -> list[Finding]:
    """Syntax of an xl domain config by the pure-Python parser."""
    result = parse(text)
    return [Finding(path, e.line + first_line - 1, describe(e)) for e in result.errors]


def describe(error: XlError) -> str:
    """libxlutil's words for an error, and ours."""
    return f"xl cannot parse this: {error.message} near {error.near}.{hint(error)}"
