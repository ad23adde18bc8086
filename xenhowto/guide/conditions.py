"""Conditions on a reader's setup, written in the page as a small expression
and kept as data (nested lists, JSON-ready) so the browser's guide builder can
evaluate them without Python.

    toolstack == xl and xen >= 4.5
    dom0_arch in [amd64, i386] or not raid1

Grammar (lowest precedence first):

    expr := term ("or" term)*
    term := factor ("and" factor)*
    factor := "not" factor | "(" expr ")" | NAME OP VALUE | NAME "in" "[" VALUE ("," VALUE)* "]" | NAME
    OP := == | != | >= | <= | > | <

A bare NAME is true when that (yes/no) dimension is set.  Ordering compares
versions numerically ("4.10" > "4.9"); "current" is newer than any number.

Data form:  ["or", a, b], ["and", a, b], ["not", a], ["==", name, value],
["in", name, [values]], ["set", name].
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable

Cond = list  # the data form above

_TOKEN = re.compile(r"\s*(?:(==|!=|>=|<=|>|<|\(|\)|\[|\]|,)|'([^']*)'|\"([^\"]*)\"|([A-Za-z0-9_.:+/-]+))")
ORDER_OPS = (">=", "<=", ">", "<")


class ConditionError(ValueError):
    """A condition that cannot be parsed or does not fit the setup model."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"unexpected {text[pos:pos + 10]!r} in condition {text!r}")
        pos = m.end()
        if m.group(1):
            out.append(("op", m.group(1)))
        elif m.group(2) is not None or m.group(3) is not None:
            out.append(("str", m.group(2) if m.group(2) is not None else m.group(3)))
        else:
            word = m.group(4)
            out.append(("kw", word) if word in ("and", "or", "not", "in") else ("word", word))
    return out


def parse(text: str) -> Cond:
    toks = _tokens(text)
    pos = 0

    def peek(kind=None, value=None):
        if pos < len(toks):
            k, v = toks[pos]
            if (kind is None or k == kind) and (value is None or v == value):
                return toks[pos]
        return None

    def take(kind=None, value=None, what="more"):
        nonlocal pos
        tok = peek(kind, value)
        if tok is None:
            got = repr(toks[pos][1]) if pos < len(toks) else "the end"
            raise ConditionError(f"expected {what} but found {got} in condition {text!r}")
        pos += 1
        return tok

    def value():
        tok = peek("word") or peek("str")
        if tok is None:
            take(what="a value")
        take()
        return tok[1]

    def factor():
        if peek("kw", "not"):
            take()
            return ["not", factor()]
        if peek("op", "("):
            take()
            inner = expr()
            take("op", ")", "')'")
            return inner
        name = take("word", what="a setup dimension")[1]
        if peek("kw", "in"):
            take()
            take("op", "[", "'['")
            values = [value()]
            while peek("op", ","):
                take()
                values.append(value())
            take("op", "]", "']'")
            return ["in", name, values]
        tok = peek("op")
        if tok and tok[1] in ("==", "!=", *ORDER_OPS):
            take()
            return [tok[1], name, value()]
        return ["set", name]

    def term():
        node = factor()
        while peek("kw", "and"):
            take()
            node = ["and", node, factor()]
        return node

    def expr():
        node = term()
        while peek("kw", "or"):
            take()
            node = ["or", node, term()]
        return node

    if not toks:
        raise ConditionError("empty condition")
    tree = expr()
    if pos != len(toks):
        raise ConditionError(f"unexpected {toks[pos][1]!r} in condition {text!r}")
    return tree


def version_key(value: Any) -> tuple:
    """'4.10' > '4.9'; 'current' above every number; other words sort last."""
    return _version_key(str(value))


@functools.lru_cache(maxsize=4096)  # a search over setups compares the same few versions very often
def _version_key(s: str) -> tuple:
    if s == "current":
        return (1, ())
    if re.fullmatch(r"\d+(\.\d+)*", s):
        return (0, tuple(int(p) for p in s.split(".")))
    return (2, (s,))


def evaluate(cond: Cond, setup: dict[str, Any]) -> bool:
    op = cond[0]
    if op == "and":
        return evaluate(cond[1], setup) and evaluate(cond[2], setup)
    if op == "or":
        return evaluate(cond[1], setup) or evaluate(cond[2], setup)
    if op == "not":
        return not evaluate(cond[1], setup)
    if op == "set":
        return bool(setup.get(cond[1]))
    actual = setup.get(cond[1])
    if op == "in":
        return str(actual) in [str(v) for v in cond[2]]
    if op == "==":
        return str(actual) == str(cond[2])
    if op == "!=":
        return str(actual) != str(cond[2])
    a, b = version_key(actual), version_key(cond[2])
    return {">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def names(cond: Cond) -> set[str]:
    """The setup dimensions a condition reads."""
    if cond[0] in ("and", "or"):
        return names(cond[1]) | names(cond[2])
    if cond[0] == "not":
        return names(cond[1])
    return {cond[1]}


def walk(cond: Cond, visit: Callable[[Cond], None]) -> None:
    visit(cond)
    if cond[0] in ("and", "or"):
        walk(cond[1], visit)
        walk(cond[2], visit)
    elif cond[0] == "not":
        walk(cond[1], visit)


def to_text(cond: Cond) -> str:
    """Back to the written form (normalized), for labels and messages."""
    op = cond[0]
    if op in ("and", "or"):
        # Parsing is left-associative and "and" binds tighter than "or":
        # parenthesize a left operand of lower precedence, a right one of lower or equal.
        prec = {"or": 1, "and": 2}

        def side(c, right):
            s = to_text(c)
            if c[0] in prec and (prec[c[0]] < prec[op] or (right and prec[c[0]] == prec[op])):
                return f"({s})"
            return s
        return f"{side(cond[1], False)} {op} {side(cond[2], True)}"
    if op == "not":
        inner = to_text(cond[1])
        return f"not ({inner})" if cond[1][0] in ("and", "or") else f"not {inner}"
    if op == "set":
        return cond[1]
    if op == "in":
        return f"{cond[1]} in [{', '.join(cond[2])}]"
    return f"{cond[1]} {op} {cond[2]}"
