"""A guide is text for a reader (issue 10, item 2), checked over every guide.

Every valid setup at today's date and at the 2016 page's date is composed
(not a sample) with values no default has, and each guide's markdown must
have no TODO, no HTML table, no value of another setup (the defaults it was
not given), no package of another Xen version, no i386 text for an amd64-only
setup, and no PV kernel in a PVH guide but its installer's.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from guide_helpers import _project

from xenhowto.facts import load_facts
from xenhowto.guide import compose, model
from xenhowto.guide.build import page_context, steps
from xenhowto.guide.every import valid_setups
from xenhowto.guide.setup import SetupError, resolve

# Values a reader types that no default has.
GIVEN = {"name": "web7", "nic": "re3", "mac": "aa:00:00:12:34:56", "partition": "sd1f", "memory": "384",
         "disk_size": "3072", "dom0_mem": "768M"}
DATES = ["2016-12-20", "2026-12-01"]


def _defaults() -> dict[str, str]:
    """The defaults of the values GIVEN replaces: none may show in a guide (nor the
    default disk's size in gigabytes, as prose writes it)."""
    dims = model.load().dimensions
    out = {name: str(dims[name].default) for name in GIVEN}
    out["disk_size in G"] = f"{int(dims['disk_size'].default) // 1024}G"
    return out


def _problems(md: str, setup: dict, defaults_re: re.Pattern) -> list[str]:
    out = []
    if "TODO" in md:
        out.append("TODO: " + md[max(0, md.index("TODO") - 60):md.index("TODO") + 40].replace("\n", " "))
    if re.search(r"<\s*(table|tr|td|th)\b", md, re.I):
        out.append("an HTML table")
    for m in defaults_re.finditer(md):
        out.append(f"a default value not given ({m.group(0)!r}): ...{md[max(0, m.start() - 60):m.end() + 30]!r}")
    for pkg in set(re.findall(r"\bxen(?:kernel|tools)(\d+)\b", md)):
        if f"xenkernel{pkg}" != setup["package"]:
            out.append(f"a package of another Xen version: xenkernel/xentools{pkg}")
    if setup["dom0_arch"] == "amd64" and setup["domu"] == "netbsd-amd64" and re.search(r"i386|PAE", md):
        m = re.search(r"i386|PAE", md)
        out.append(f"i386 text in an amd64 guide: ...{md[max(0, m.start() - 60):m.end() + 30]!r}")
    if setup.get("domu_type") == "pvh" and re.search(r"(?<!INSTALL_)XEN3(PAE)?_DOMU", md):
        out.append("a PV domU kernel in a PVH guide")
    return out


@pytest.mark.parametrize("day", DATES)
def test_no_guide_has_todo_html_tables_or_another_setups_text(day):
    """Each guide's text is its steps' texts: every step text of every guide is
    checked, once for each setup whose expectations it must meet."""
    as_of = dt.date.fromisoformat(day)
    project = _project()
    facts = load_facts()
    composer = compose.Composer(steps(project, as_of), page_context(project, as_of))
    defaults_re = re.compile("|".join(rf"(?<![\w:.-]){re.escape(v)}(?![\w:-])" for v in _defaults().values()))
    failures, seen = {}, set()
    guides = 0
    for values in valid_setups(project, as_of):
        try:
            setup = resolve(dict(values, **GIVEN), as_of, facts)
        except SetupError:
            continue
        guide = composer.compose(setup)
        guides += 1
        values = setup.as_json()
        expect = (values["package"], values["dom0_arch"], values["domu"], values.get("domu_type"))
        for step in guide.steps:
            key = (id(step), expect)
            if key in seen:
                continue
            seen.add(key)
            for p in _problems(f"## {step.title}\n\n{step.text}", values, defaults_re):
                failures.setdefault(p, values)
    assert guides > 100 and len(seen) > 50
    assert not failures, "\n".join(f"{p}\n    in {g}" for p, g in list(failures.items())[:15])

@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_composer_makes_what_compose_makes(data):
    """Composer reuses a step for setups that agree on what it reads: it must give
    exactly what composing each setup alone gives."""
    day = data.draw(st.sampled_from(DATES))
    as_of = dt.date.fromisoformat(day)
    project = _project()
    page_steps, ctx = steps(project, as_of), page_context(project, as_of)
    setups = _valid(day)
    composer = compose.Composer(page_steps, ctx)
    for values in data.draw(st.lists(st.sampled_from(setups), min_size=2, max_size=6)):
        extra = data.draw(st.fixed_dictionaries({}, optional={k: st.just(v) for k, v in GIVEN.items()}))
        try:
            setup = resolve(dict(values, **extra), as_of)
        except SetupError:
            continue
        assert compose.to_json(composer.compose(setup)) == compose.to_json(compose.compose(setup, page_steps, ctx))


@functools.lru_cache(maxsize=None)
def _valid(day: str) -> list[dict]:
    return valid_setups(_project(), dt.date.fromisoformat(day))


def test_the_check_sees_what_it_looks_for():
    """The check above can fail: a guide made with the defaults shows them, and a TODO,
    an HTML table or another Xen's package in a step is seen."""
    as_of = dt.date.fromisoformat(DATES[1])
    project = _project()
    composer = compose.Composer(steps(project, as_of), page_context(project, as_of))
    setup = resolve({}, as_of)
    defaults_re = re.compile("|".join(rf"(?<![\w:.-]){re.escape(v)}(?![\w:-])" for v in _defaults().values()))
    text = "\n\n".join(s.text for s in composer.compose(setup).steps)
    found = " ".join(_problems(text, setup.as_json(), defaults_re))
    for value in ("'foo'", "'wm0'", "'aa:00:00:d1:00:09'"):
        assert value in found
    planted = text + "\n\nTODO: explain.\n\n<table><tr><td>x</td></tr></table>\n\npkg_add xenkernel33\n"
    found = " ".join(_problems(planted, setup.as_json(), defaults_re))
    assert "TODO" in found and "HTML table" in found and "xentools33" in found
