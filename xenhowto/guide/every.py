"""Every valid setup at an as-of date, and `howto guide --verify-all`.

Only the dimensions that change a guide's steps (those named in the page's
conditions or read by its snippet templates) are enumerated; the others keep
their default, since they change only the guide's header.  Constraints prune
the search as soon as their dimensions are set.  Setups whose steps come out
the same share one verification.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field

from xenhowto import examples
from xenhowto.guide import availability, compose, conditions, constraints, model
from xenhowto.guide.build import page_context, steps
from xenhowto.guide.setup import SetupError, resolve
from xenhowto.project import Project
from xenhowto.snippets.variables import DEPENDS, SLOTS

SAMPLE_PCI = "00:0a.0"


def relevant_dimensions(project: Project, as_of: dt.date) -> list[str]:
    """The dimensions that change a guide's steps or decide whether a setup is
    valid: those the page's conditions and templates read, and those the
    constraints at the as-of date read (so every enumerated setup resolves)."""
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View

    names: set[str] = set()
    for c in constraints.all_constraints(model.load(), View(load_facts(), as_of)):
        names |= conditions.names(c.require) | (conditions.names(c.when) if c.when else set())
    for step in steps(project, as_of):
        if step.when:
            names |= conditions.names(step.when)
        for piece in step.pieces:
            if piece.when:
                names |= conditions.names(piece.when)
            if piece.directive is not None and piece.directive.get("template"):
                for var in examples.template_variables(piece.directive.get("template")):
                    names |= set(DEPENDS.get(var, (var,)))
    dims = model.load().dimensions
    return [n for n in dims if n in names and n not in SLOTS or n == "pci"]


def _choices(name: str, dim: model.Dimension, view) -> list:
    if name == "xen":
        return [p.xen for p in availability.packages(view)]
    if name == "netbsd":
        return availability.branches(view)
    if dim.kind == "flag":
        return [False, True]
    if name == "pci":
        return ["", SAMPLE_PCI]
    return list(dim.choices)


def valid_setups(project: Project, as_of: dt.date) -> list[dict]:
    """The reader's values for every valid combination of the relevant dimensions."""
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View

    m = model.load()
    view = View(load_facts(), as_of)
    rules = constraints.all_constraints(m, view)
    names = relevant_dimensions(project, as_of)
    if "serial_port" in names:  # only read when console == serial
        names.remove("serial_port")
    out: list[dict] = []

    def ok(values: dict) -> bool:
        for c in rules:
            needed = conditions.names(c.require) | (conditions.names(c.when) if c.when else set())
            if needed <= values.keys() and (c.when is None or conditions.evaluate(c.when, values)) \
                    and not conditions.evaluate(c.require, values):
                return False
        return True

    def walk(i: int, values: dict) -> None:
        if i == len(names):
            ports = m.dimensions["serial_port"].choices if values.get("console") == "serial" else [None]
            for port in ports:
                out.append(dict(values, serial_port=port) if port else dict(values))
            return
        name = names[i]
        for choice in _choices(name, m.dimensions[name], view):
            trial = dict(values, **{name: choice})
            if ok(trial):
                walk(i + 1, trial)

    walk(0, {})
    return out


@dataclass
class Summary:
    setups: int = 0
    distinct: int = 0
    verified: int = 0
    incomplete: int = 0
    reused: int = 0  # verdicts kept from an earlier run (nothing they depend on changed)
    failed: list = field(default_factory=list)  # (setup, failure text)
    verify_seconds: float = 0.0  # the sandbox runs alone, without enumerating and composing
    by_step: dict = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"{self.setups} valid setup(s), {self.distinct} distinct guide(s): "
                 f"{self.verified} verified, {len(self.failed)} failed, "
                 f"{self.incomplete} left out (the HOWTO's instructions for them are incomplete); "
                 f"{self.reused} verdict(s) kept from earlier runs, the rest verified in "
                 f"{self.verify_seconds:.1f} s"]
        for title, count in sorted(self.by_step.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {count} guide(s) fail at: {title}")
        for setup, failure in self.failed[:20]:
            lines.append(f"  {json.dumps(setup, sort_keys=True)}: {failure}")
        return "\n".join(lines)


def distinct_guides(project: Project, as_of: dt.date, summary: Summary | None = None) -> list[tuple[dict, dict]]:
    """(the reader's values, the guide as JSON) for each distinct complete guide at
    ``as_of``; ``summary`` gets the counts of setups and incomplete ones."""
    from xenhowto.facts import load_facts

    m = model.load()
    facts = load_facts()
    composer = compose.Composer(steps(project, as_of), page_context(project, as_of))
    summary = summary if summary is not None else Summary()
    groups: dict[str, tuple[dict, dict]] = {}
    for given in valid_setups(project, as_of):
        try:
            setup = resolve(given, as_of, facts)
        except SetupError:
            continue
        summary.setups += 1
        if m.incomplete_notes(setup.values):
            summary.incomplete += 1
            continue
        doc = json.loads(compose.to_json(composer.compose(setup)))
        groups.setdefault(json.dumps(doc["steps"], sort_keys=True), (given, doc))
    summary.distinct = len(groups)
    return list(groups.values())


def verify_all(project: Project, as_of: dt.date, sample: int | None = None, seed: int = 0,
               progress: bool | None = None, jobs: int | None = None, cache: bool = True) -> Summary:
    """Compose every valid setup's guide and verify each distinct complete one:
    verdicts kept from an earlier run of the same guide, verifier and checkers
    are reused (xenhowto.verify.verdicts); the rest run in the sandbox, ``jobs``
    at a time, sharing the steps they begin with (verify.runner.verify_many)."""
    from xenhowto.verify import verdicts
    from xenhowto.verify.runner import verify_many

    summary = Summary()
    chosen = distinct_guides(project, as_of, summary)
    if sample is not None and sample < len(chosen):
        chosen = random.Random(seed).sample(chosen, sample)
    show = sys.stderr.isatty() if progress is None else progress
    started = time.perf_counter()
    results = [verdicts.load(doc) if cache else None for _, doc in chosen]
    todo = [i for i, r in enumerate(results) if r is None]
    summary.reused = len(chosen) - len(todo)

    def tick(done: int, total: int, _result) -> None:
        if show:
            print(f"\rverifying guide {done}/{total} ({summary.reused} verdicts kept from earlier runs)",
                  end="", file=sys.stderr, flush=True)

    def keep(k: int, result) -> None:  # as each ends: a run stopped halfway keeps what it did
        if cache:
            verdicts.store(chosen[todo[k]][1], result)

    fresh = verify_many([chosen[i][1] for i in todo], jobs=jobs or os.cpu_count() or 1, progress=tick,
                        on_result=keep)
    for i, result in zip(todo, fresh):
        results[i] = result
    if show and todo:
        print(file=sys.stderr)
    for (given, _), result in zip(chosen, results):
        if result.ok:
            summary.verified += 1
            continue
        first = result.failures[0]
        summary.failed.append((given, str(first)))
        summary.by_step[first.title] = summary.by_step.get(first.title, 0) + 1
    summary.verify_seconds = time.perf_counter() - started
    return summary
