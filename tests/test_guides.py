"""Tailored guides from the real page: named setups verify, drawn setups verify,
every constraint rejects what it should with its reason, hostile values are
refused, and breaking a guide makes verification name the step."""
from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, howto_bin
from xenhowto.facts import load_facts
from xenhowto.facts.view import View
from xenhowto.guide import availability, compose, conditions, constraints, model
from xenhowto.guide.build import guide_for
from xenhowto.guide.every import valid_setups
from xenhowto.guide.setup import SetupError, resolve
from xenhowto.project import load
from xenhowto.verify import verify

TODAY = dt.date(2026, 11, 25)
PROJECT = load(str(ROOT / "mkdocs.yml"))
MODEL = model.load()


def guide_json(given: dict, day: dt.date) -> dict:
    return json.loads(compose.to_json(guide_for(PROJECT, given, day)))


@pytest.mark.parametrize("named", MODEL.named, ids=[n.id for n in MODEL.named])
def test_every_named_setup_verifies(named):
    day = dt.date.fromisoformat(named.as_of) if named.as_of else TODAY
    result = verify(guide_json(dict(named.setup), day))
    assert result.ok, result.report()


COMPLETE = [s for s in valid_setups(PROJECT, TODAY) if not MODEL.incomplete_notes(resolve(s, TODAY).values)]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(COMPLETE))
def test_drawn_valid_setups_verify(setup):
    result = verify(guide_json(setup, TODAY))
    assert result.ok, (setup, result.report())


def violating(cons: model.Constraint, view) -> dict | None:
    """A setup of the constraint's own dimensions that meets `when` and breaks `require`."""
    names = sorted(conditions.names(cons.require) | (conditions.names(cons.when) if cons.when else set()))
    options = []
    for n in names:
        dim = MODEL.dimensions[n]
        if n == "xen":  # only what a reader can choose at the date (availability)
            options.append([p.xen for p in availability.packages(view)])
        elif n == "netbsd":
            options.append(availability.branches(view))
        elif n == "pci":
            options.append(["", "00:0a.0"])
        elif dim.kind == "flag":
            options.append([False, True])
        else:
            options.append(list(dim.choices))
    for combo in itertools.product(*options):
        values = dict(zip(names, combo))
        if (cons.when is None or conditions.evaluate(cons.when, values)) and not conditions.evaluate(cons.require, values):
            return values
    return None


VIEW = View(load_facts(), TODAY)
RULES = constraints.all_constraints(MODEL, VIEW)


@pytest.mark.parametrize("cons", RULES, ids=[c.id for c in RULES])
def test_every_constraint_rejects_with_its_reason(cons):
    values = violating(cons, VIEW)
    if values is None:
        pytest.skip(f"{cons.id}: no choice can break it at {TODAY} (its dimension has no other choice)")
    with pytest.raises(SetupError) as err:
        resolve(values, TODAY)
    message = str(err.value)
    assert "impossible setup" in message
    # the constraint that fires may be another that the same values break; it must be named with its fact
    assert "(constraint " in message and "it rests on:" in message


def test_the_amd64_rule_names_its_fact():
    with pytest.raises(SetupError, match="Xen 4.5 and later require an amd64 dom0.*it rests on"):
        resolve({"xen": "4.6", "dom0_arch": "i386"}, dt.date(2016, 12, 20))


def run(*args):
    return subprocess.run([howto_bin(), "guide", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("option,value", [("--name", "a;rm -rf /"), ("--name", "../etc/passwd"),
                                          ("--mac", "aa:bb:cc:dd:ee"), ("--memory", "1e9"),
                                          ("--dom0-mem", "256M; reboot"), ("--pci", "00:0a.0)(x")])
def test_hostile_values_exit_2_naming_the_option(option, value):
    r = run(option, value)
    assert r.returncode == 2 and option in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_impossible_setup_exits_2_naming_constraint_and_fact():
    r = run("--xen", "4.6", "--dom0-arch", "i386", "--as-of", "2016-12-20")
    assert r.returncode == 2
    assert "amd64-dom0-from-xen-4.5" in r.stderr and "rests on" in r.stderr


def test_json_contract():
    doc = json.loads(run("--format", "json", "--as-of", "2016-12-20").stdout)
    assert doc["setup"]["package"] == "xenkernel46" and doc["setup"]["toolstack"] == "xl"
    kinds = {s["kind"] for step in doc["steps"] for s in step["snippets"]}
    assert kinds <= {"shell", "file", "output"} and {"shell", "file"} <= kinds
    for step in doc["steps"]:
        assert step["title"] and step["text"]
        for s in step["snippets"]:
            assert s["content"]
            if s["kind"] == "file":
                assert s["path"].startswith("/")
            if s["kind"] == "shell":
                assert s["host"] in ("dom0", "domU")
    paths = {s.get("path") for step in doc["steps"] for s in step["snippets"]}
    assert {"/boot.cfg", "/etc/rc.conf", "/usr/pkg/etc/xen/foo"} <= paths


def test_guide_keeps_only_its_branch():
    xm = run("--xen", "3.3", "--as-of", "2016-12-20").stdout
    xl = run("--as-of", "2016-12-20").stdout
    assert "xend=YES" in xm and "xencommons=YES" not in xm
    assert "xencommons=YES" in xl and "xend=YES" not in xl


def test_list_shows_dimensions_and_constraints():
    doc = json.loads(run("--list", "--format", "json").stdout)
    names = {d["name"] for d in doc["dimensions"]}
    assert {"xen", "toolstack", "dom0_arch", "netbsd", "console", "disk", "network", "domu", "name"} <= names
    assert any(c["id"] == "xm-only-to-4.4" for c in doc["constraints"])


def _break(doc, how):
    doc = copy.deepcopy(doc)
    steps = doc["steps"]
    if how == "step removed":
        doc["steps"] = [s for s in steps if s["id"] != "install-kernels"]
        return doc, "Boot Xen"
    if how == "wrong kernel name":
        for s in steps:
            for sn in s["snippets"]:
                if sn.get("path") == "/boot.cfg":
                    sn["content"] = sn["content"].replace("XEN3_DOM0", "XEN3_DOMU")
        return doc, "Boot Xen"
    if how == "missing xencommons":
        for s in steps:
            for sn in s["snippets"]:
                if sn.get("path") == "/etc/rc.conf":
                    sn["content"] = sn["content"].replace("xencommons=YES\n", "")
        return doc, "Enable the Xen daemons"
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["step removed", "wrong kernel name", "missing xencommons"])
def test_breaking_a_real_guide_fails_naming_the_step(how):
    doc, step_title = _break(guide_json({}, TODAY), how)
    result = verify(doc)
    assert not result.ok
    assert any(step_title in str(f) for f in result.failures), result.report()


def test_a_changed_page_is_never_served_from_a_cache(project):
    from xenhowto.guide.build import guide_for as compose_guide

    page = '[[!step id=one title="One" order=1]]\n{}\n[[!endstep]]\n'
    project.write("ports/xen/howto.mdwn", page.format("Alpha text."))
    first = compose.to_markdown(compose_guide(load(project.config), {}, TODAY))
    project.write("ports/xen/howto.mdwn", page.format("Beta text."))
    second = compose.to_markdown(compose_guide(load(project.config), {}, TODAY))
    assert "Alpha text." in first and "Beta text." in second and "Alpha text." not in second
