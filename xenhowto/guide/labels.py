"""Conditions in words, for the labels of the full HOWTO ("For Xen 4.5 or
later and toolstack xl"), and checks that a condition names real dimensions
and choices of the setup model."""
from __future__ import annotations

from xenhowto.guide import conditions, model

_ORDER_WORDS = {">=": "{v} or later", "<=": "{v} or earlier", ">": "later than {v}", "<": "before {v}"}


def _atom(cond, dims, derived=None) -> str:
    op, name = cond[0], cond[1]
    if derived and name in derived:
        d = derived[name]
        wanted = cond[2] if op == "in" else [cond[2]] if len(cond) > 2 else []
        phrases = " or ".join(d.phrases.get(v, v) for v in wanted)
        return phrases if op in ("==", "in") else f"other than {phrases}"
    dim = dims.get(name)
    label = dim.label if dim else name
    if op == "set":
        return label
    if op == "in":
        return f"{label} {' or '.join(cond[2])}"
    value = cond[2]
    if op == "==":
        return f"{label} {value}"
    if op == "!=":
        return f"{label} other than {value}"
    return f"{label} {_ORDER_WORDS[op].format(v=value)}"


def _phrase(cond, dims, top=True, derived=None) -> str:
    op = cond[0]
    if op in ("and", "or"):
        text = f"{_phrase(cond[1], dims, False, derived)} {op} {_phrase(cond[2], dims, False, derived)}"
        return text if top or op == "and" else f"({text})"
    if op == "not":
        return f"not {_phrase(cond[1], dims, False, derived)}"
    return _atom(cond, dims, derived)


def describe(cond) -> str:
    """'For Xen 4.5 or later and toolstack xl'."""
    m = model.load()
    return "For " + _phrase(cond, m.dimensions, derived=m.derived)


def check(cond) -> list[str]:
    """What in a condition does not fit the setup model (empty when fine)."""
    m = model.load()
    dims = m.dimensions
    problems: list[str] = []

    def visit(c):
        if c[0] in ("and", "or", "not"):
            return
        if c[1] in m.derived:
            values = c[2] if c[0] == "in" else [c[2]] if len(c) > 2 else []
            if c[0] not in ("==", "!=", "in"):
                problems.append(f"{c[1]} is derived (yes, no or unknown); compare it with == or in [...]")
            problems.extend([f"{c[1]} has no value {v!r}; values: {', '.join(model.Derived.VALUES)}"
                             for v in values if v not in model.Derived.VALUES])
            return
        dim = dims.get(c[1])
        if dim is None:
            known = sorted(dims) + sorted(m.derived)
            problems.append(f"{c[1]!r} is not a setup dimension; known: {', '.join(known)}")
            return
        values = c[2] if c[0] == "in" else [c[2]] if len(c) > 2 else []
        if c[0] in conditions.ORDER_OPS and dim.kind != "version":
            problems.append(f"{c[1]} is not a version; compare it with == or in [...]")
        if dim.kind == "choice":
            problems.extend([f"{c[1]} has no choice {v!r}; choices: {', '.join(dim.choices)}"
                         for v in values if v not in dim.choices])
        elif dim.kind == "version":
            problems.extend([f"{c[1]} {v!r} is not a version number (or current)"
                         for v in values if conditions.version_key(v)[0] == 2])
        elif values:
            problems.append(f"{c[1]} is a {dim.kind}; test it alone (set or not), not against values")

    conditions.walk(cond, visit)
    return problems
