"""xenhowto.memo.KeptWhile: a result is reused exactly while the objects it was
made from are the same objects."""
from __future__ import annotations

import pytest

from xenhowto.memo import KeptWhile


def test_a_result_is_made_again_when_an_object_it_was_made_from_is_another():
    kept, made = KeptWhile(limit=8), []
    facts, equal_facts = {"a": 1}, {"a": 1}

    def make():
        made.append(1)
        return len(made)

    assert kept.get_or_make("k", (facts,), make) == 1
    assert kept.get_or_make("k", (facts,), make) == 1  # the same object: reused
    assert kept.get_or_make("k", (equal_facts,), make) == 2  # equal is not enough
    assert kept.get_or_make("k", (equal_facts, None), make) == 3  # nor fewer or more objects


def test_beyond_its_limit_the_least_recently_made_goes_and_a_failure_keeps_nothing():
    kept = KeptWhile(limit=2)
    for key in "abc":
        kept.get_or_make(key, (), lambda key=key: key.upper())
    assert list(kept) == ["b", "c"]
    with pytest.raises(ValueError):
        kept.get_or_make("d", (), lambda: int("not a number"))
    assert list(kept) == ["b", "c"]
    kept.replace("b", (), "B2")
    assert kept.get_or_make("b", (), lambda: "made") == "B2"
