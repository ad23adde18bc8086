"""Which conditions some setup available at an as-of date meets.

The full HOWTO shows a [[!when]] region labelled with its condition; built as
of a date it drops a region that no setup available then can meet (text about
Xen packages that left pkgsrc, a NetBSD branch past its end of support) and
unlabels one that every available setup meets.  ``possible`` and ``always``
answer that with a small search over the dimensions the condition and the
constraints at that date connect, pruning as soon as a constraint is broken.
"""
from __future__ import annotations

import json

from xenhowto.guide import availability, conditions, constraints, derived, model

SAMPLE_TYPED = "x"  # a typed value (name, MAC, PCI address) that is set


def _domain(name: str, dim: model.Dimension, view) -> list:
    if name == "xen":
        return [p.xen for p in availability.packages(view)]
    if name == "netbsd":
        return availability.branches(view)
    if dim.kind == "flag":
        return [False, True]
    if dim.kind in model.FREE_KINDS:
        return ["", SAMPLE_TYPED] if dim.kind == "pci" else [SAMPLE_TYPED]
    return list(dim.choices)


class _Search:
    def __init__(self, view, m: model.SetupModel):
        self.view = view
        self.m = m
        self.rules = [(c, conditions.names(c.require) | (conditions.names(c.when) if c.when else set()))
                      for c in constraints.all_constraints(m, view)]
        self.derived = derived.tables(view, m)

    def _base(self, names: set[str]) -> set[str]:
        return {self.m.derived[n].source if n in self.m.derived else n for n in names}

    def find(self, cond) -> bool:
        """Whether some valid setup meets ``cond``."""
        need = self._base(conditions.names(cond))
        # every dimension a constraint links to the condition's ones
        changed = True
        while changed:
            changed = False
            for _, names in self.rules:
                if names & need and not names <= need:
                    need |= names
                    changed = True
        order = [n for n in self.m.dimensions if n in need]
        domains = [_domain(n, self.m.dimensions[n], self.view) for n in order]
        # the constraints whose dimensions are all set once order[i] is: those
        # set earlier held already for the same values
        checked = [[c for c, names in self.rules if order[i] in names and names <= set(order[:i + 1])]
                   for i in range(len(order))]

        def ok(i: int, values: dict) -> bool:
            for c in checked[i]:
                if (c.when is None or conditions.evaluate(c.when, values)) and not conditions.evaluate(c.require, values):
                    return False
            return True

        def walk(i: int, values: dict) -> bool:
            if i == len(order):
                return conditions.evaluate(cond, derived.add(values, self.derived))
            for v in domains[i]:
                trial = dict(values, **{order[i]: v})
                if ok(i, trial) and walk(i + 1, trial):
                    return True
            return False

        return walk(0, {})


    def signature(self) -> str:
        """Everything ``find`` reads that changes with the date: two days with
        the same signature give every condition the same answer."""
        return json.dumps([id(self.m), [_domain(n, self.m.dimensions[n], self.view) for n in ("xen", "netbsd")
                                        if n in self.m.dimensions],
                           [[c.when, c.require] for c, _ in self.rules], self.derived], sort_keys=True, default=str)


_BY_DAY: dict = {}  # (id(facts), date) -> (facts, search, answers)
_BY_SIGNATURE: dict = {}  # signature -> (search, answers)


def _search(view) -> tuple[_Search, dict]:
    """One search, and its answers, per facts and date; days on which the
    same setups are available share their answers (the page's history asks
    about every region on each of its days)."""
    key = (id(view.facts), view.as_of)
    if key not in _BY_DAY:
        if len(_BY_DAY) > 1024:
            _BY_DAY.clear()
            _BY_SIGNATURE.clear()
        search = _Search(view, model.load())
        shared = _BY_SIGNATURE.setdefault(search.signature(), (search, {}))
        _BY_DAY[key] = (view.facts, *shared)  # holding the facts keeps their id from being reused
    return _BY_DAY[key][1:]


def possible(cond, view) -> bool:
    """Some setup available at the view's date meets ``cond``."""
    search, answers = _search(view)
    key = json.dumps(cond)
    if key not in answers:
        answers[key] = search.find(cond)
    return answers[key]


def always(cond, view) -> bool:
    """Every setup available at the view's date meets ``cond``."""
    return not possible(["not", cond], view)
