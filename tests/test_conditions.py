"""The condition language guides and the browser builder share."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.guide.conditions import ConditionError, evaluate, names, parse, to_text, version_key

NAMES = st.sampled_from(["xen", "toolstack", "dom0_arch", "netbsd", "raid1", "disk"])
VALUES = st.sampled_from(["xl", "xm", "amd64", "i386", "4.2", "4.10", "7", "current", "file", "netbsd-amd64"])
OPS = st.sampled_from(["==", "!=", ">=", "<=", ">", "<"])

atoms = st.one_of(
    st.tuples(OPS, NAMES, VALUES).map(list),
    st.tuples(st.just("in"), NAMES, st.lists(VALUES, min_size=1, max_size=3)).map(list),
    st.tuples(st.just("set"), NAMES).map(list),
)
trees = st.recursive(
    atoms,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), sub, sub).map(list),
        st.tuples(st.just("not"), sub).map(list),
    ),
    max_leaves=8,
)
setups = st.fixed_dictionaries({
    "xen": st.sampled_from(["3.1", "4.2", "4.6", "4.10", "4.22"]),
    "toolstack": st.sampled_from(["xl", "xm"]),
    "dom0_arch": st.sampled_from(["amd64", "i386"]),
    "netbsd": st.sampled_from(["6", "7", "10", "current"]),
    "raid1": st.booleans(),
    "disk": st.sampled_from(["file", "lvm"]),
})


def oracle(tree, setup) -> bool:
    """An independent evaluator written from the grammar's description."""
    op = tree[0]
    if op in ("and", "or"):
        left, right = oracle(tree[1], setup), oracle(tree[2], setup)
        return (left and right) if op == "and" else (left or right)
    if op == "not":
        return not oracle(tree[1], setup)
    if op == "set":
        return bool(setup[tree[1]])
    actual = str(setup[tree[1]])
    if op == "in":
        return actual in tree[2]
    if op in ("==", "!="):
        return (actual == tree[2]) == (op == "==")

    def key(v):
        if v == "current":
            return (1, ())
        if all(p.isdigit() for p in v.split(".")):
            return (0, tuple(map(int, v.split("."))))
        return (2, (v,))
    a, b = key(actual), key(tree[2])
    return {">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


@settings(max_examples=300, deadline=None)
@given(trees)
def test_written_form_parses_back_to_the_same_data(tree):
    assert parse(to_text(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(trees, setups)
def test_evaluation_matches_the_grammar(tree, setup):
    assert evaluate(tree, setup) == oracle(tree, setup)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text_parses_or_fails_cleanly(text):
    try:
        tree = parse(text)
    except ConditionError as e:
        assert str(e)
    else:
        assert names(tree)


def test_precedence_and_binds_tighter_than_or():
    assert parse("a or b and c") == ["or", ["set", "a"], ["and", ["set", "b"], ["set", "c"]]]


def test_versions_compare_numerically_and_current_is_newest():
    assert version_key("4.10") > version_key("4.9")
    assert evaluate(parse("netbsd >= 10"), {"netbsd": "current"})
    assert not evaluate(parse("xen >= 4.5"), {"xen": "4.2"})


@pytest.mark.parametrize("bad", ["", "xen >=", "toolstack == xl and", "(xen == 4.2", "x in [a, ]", "== xl"])
def test_malformed_conditions_say_what_is_wrong(bad):
    with pytest.raises(ConditionError):
        parse(bad)
