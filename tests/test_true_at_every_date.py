"""The page and the guides say only what was true at their as-of date.

Dated claims are quoted from their sources: revision 1.74 (2015-01-04) and
1.115 (2016-12-20) of the HOWTO (the seed diff), and shared/reference/FACTS.md
for the modern era; they are not copied from the code's output.  Each date's
page and recommended guide must contain what was true and nothing the facts of
that date contradict (``checking.claims``), for the four dates of the issue and
for dates hypothesis draws.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, howto_bin
from xenhowto.checking.run import guide_claims, page_claims
from xenhowto.export import render_pages
from xenhowto.guide import compose
from xenhowto.guide.build import guide_for, page_context
from xenhowto.ikiwiki.context import WIKI
from xenhowto.project import load

PROJECT = load(str(ROOT / "mkdocs.yml"))
HOWTO = "ports/xen/howto.mdwn"
TODAY = "2026-12-01"


def flat(text: str) -> str:
    return " ".join(text.split())


def page(day: str) -> str:
    return flat(render_pages(PROJECT, dt.date.fromisoformat(day))[HOWTO])


def recommended_guide(day: str) -> str:
    return flat(compose.to_markdown(guide_for(PROJECT, {}, dt.date.fromisoformat(day))))


# (date, what the page says, what it must not say, what the recommended guide says)
CLAIMS = {
    "2015-01-04": dict(
        page=["this HOWTO recommends running xenkernel42",  # rev 1.74
              "There is no SMP support for NetBSD as dom0",  # rev 1.74
              "Xen supports two styles of guests"],
        not_page=["PVH", "xenkernel420", "netbsd-10", "MULTIPROCESSOR", "NetBSD 11"],
        guide=["pkg_add xenkernel42 xentools42"],
    ),
    "2016-12-20": dict(
        page=["this HOWTO recommends running xenkernel45 or xenkernel46",  # rev 1.115
              "xl, the NetBSD 7 stable branch, and to use an amd64 kernel as the dom0",
              "There is no SMP support for NetBSD as dom0",
              "If the dom0 is NetBSD, it has to be running Xen 3.1",
              "kernfs is mandatory for xend to communicate with the kernel",
              "For Xen 3.1, support for HVM guests is in sysutils/xentools3-hvm",
              "Xen supports two styles of guests"],
        not_page=["PVH", "xenkernel420", "netbsd-10", "MULTIPROCESSOR", "between 2026"],
        guide=["pkg_add xenkernel46 xentools46", "xencommons=YES"],
    ),
    "2020-06-01": dict(
        page=["recommends running xenkernel411 or xenkernel413",  # SUPPORT.md: 4.11 and 4.13 supported
              "NetBSD 9 stable branch",
              "Xen supports three styles of guests",  # PVH since Xen 4.10 (2017-12-13)
              "No NetBSD release runs as a PVH domU yet",  # PVH shipped with NetBSD 10
              "whether the netbsd-8 and netbsd-9 dom0 kernels use several CPUs is not recorded"],
        not_page=["xenkernel42 provides", "netbsd-11", "Xen 4.20", "xenkernel420", "xend"],
        guide=["pkg_add xenkernel413 xentools413", "netbsd-XEN3_DOMU.gz"],
    ),
    TODAY: dict(
        page=["recommends running xenkernel418 or xenkernel420",  # FACTS.md: security support of 4.18, 4.20
              "the NetBSD 11 stable branch",  # 11.0 released 2026-07-30
              "a NetBSD dom0 can use several CPUs",  # XEN3_DOM0 netbsd-10: MULTIPROCESSOR
              "NetBSD runs as a PVH domU from NetBSD 10 on, with the GENERIC kernel",
              'type = "pvh"',
              "bios = 'ovmf'",  # xentools420 MESSAGE
              "32-bit PV guests are not officially supported any more",  # xenkernel418/420 MESSAGE
              "Whether xenkernel411, xenkernel413, and xenkernel415 are still in pkgsrc is not recorded"],
        not_page=["There is no SMP support for NetBSD as dom0", "since NetBSD dom0 can't use more",
                  "kernfs is mandatory for xend", "sysutils/xenkernel42", "xentools3-hvm",
                  "between 2026-05-01 and 2026-11-25", "4.22", "i386PAE or amd64 version",
                  "docs/4.5-testing", "recent (2015)"],
        guide=["pkg_add xenkernel420 xentools420", 'type = "pvh"', "netbsd-GENERIC.gz"],
    ),
}


@pytest.mark.parametrize("day", sorted(CLAIMS))
def test_the_page_says_what_was_true(day):
    text = page(day)
    for claim in CLAIMS[day]["page"]:
        assert claim.lower() in text.lower(), (day, claim)
    for claim in CLAIMS[day]["not_page"]:  # as words: "xend" is not in "xendomains"
        assert not re.search(rf"(?<!\w){re.escape(claim)}(?!\w)", text), (day, claim)


@pytest.mark.parametrize("day", sorted(CLAIMS))
def test_the_recommended_guide_says_what_was_true(day):
    text = recommended_guide(day)
    for claim in CLAIMS[day]["guide"]:
        assert claim in text, (day, claim)


def _page_errors(day: dt.date) -> list:
    src = ROOT / "docs" / HOWTO
    ctx = page_context(PROJECT, day, target=WIKI)
    return [f for f in page_claims(src.read_text(encoding="utf-8"), ctx, day, 12) if f.severity == "error"]


def _guide_errors(day: dt.date) -> list:
    guide = guide_for(PROJECT, {}, day)
    return [f for f in guide_claims(guide, "guide:recommended") if f.severity == "error"]


@pytest.mark.parametrize("day", sorted(CLAIMS))
def test_nothing_contradicted_at_the_four_dates(day):
    when = dt.date.fromisoformat(day)
    assert _page_errors(when) == []
    assert _guide_errors(when) == []


# The page's hand-written prose is the HOWTO's from revision 1.74 (2015-01-04) on;
# earlier dates would need the earlier revisions' text.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(2015, 1, 4), max_value=dt.date(2026, 12, 1)))
def test_nothing_contradicted_at_any_date(day):
    assert _page_errors(day) == [], day
    assert _guide_errors(day) == [], day


# --- setups consistent in time -----------------------------------------------------

def guide(*args):
    return subprocess.run([howto_bin(), "guide", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("args, says", [
    # a branch past its announced end of life, with the date whose guide had it
    (["--netbsd", "7"], ["NetBSD 7 reached its end of life on 2020-06-30", "--as-of 2020-06-29"]),
    # a branch out of support under NetBSD's policy, no date announced
    (["--netbsd", "9"], ["out of support since NetBSD 11.0 was released on 2026-07-30", "no end-of-life date",
                          "--as-of 2026-07-29"]),
    # a package that left pkgsrc
    (["--xen", "4.2", "--netbsd", "11"], ["xenkernel42 (Xen 4.2) left pkgsrc between 2017-10-07 and 2022-01-23",
                                           "--as-of 2017-10-07"]),
    # a package whose removal nobody recorded: unknown, not "still present"
    (["--xen", "4.15"], ["whether xenkernel415 (Xen 4.15) is still in pkgsrc after 2025-08-22 is not recorded",
                         "--as-of 2025-08-22"]),
    # PCI passthrough: no package has it today; the last one and the date of its guide
    (["--pci", "00:0a.0"], ["No Xen package in pkgsrc as of 2026-12-01 has PCI passthrough",
                            "xenkernel3 (Xen 3.1)", "--as-of 2017-03-30"]),
    # a package that did not exist yet, a branch not released yet
    (["--as-of", "2016-12-20", "--xen", "4.20"], ["xenkernel420 (Xen 4.20) was added to pkgsrc on 2025-08-22"]),
    (["--as-of", "2016-12-20", "--netbsd", "11"], ["NetBSD 11.0 was released 2026-07-30, after 2016-12-20"]),
    # a guest type the facts do not allow with that release
    (["--as-of", "2025-06-01", "--netbsd", "9", "--domu-type", "pvh"], ["NetBSD 10 and later run as PVH domUs"]),
])
def test_refusals_name_what_ended_when(args, says):
    if "--as-of" not in args:
        args = ["--as-of", TODAY, *args]
    run = guide(*args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    for words in says:
        assert words in run.stderr, (words, run.stderr)


def test_no_silent_downgrade_pci_at_2016_is_announced():
    run = guide("--as-of", "2016-12-20", "--pci", "00:0a.0", "--format", "json")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["setup"]["xen"] == "3.1"
    notes = " ".join(doc["notes"])
    assert "Xen: 3.1, not the recommended 4.6 or 4.5" in notes
    assert "PCI passthrough with a NetBSD dom0 works only with xenkernel3 (Xen 3.1)" in notes
    assert "toolstack: xm, not the recommended xl" in notes  # the consequence is announced too


def test_no_silent_downgrade_in_the_builder_data():
    from xenhowto.guide.matrix import build, departure_note, resolve_with_notes

    mx = build(PROJECT, dt.date(2016, 12, 20))
    values, departures = resolve_with_notes(mx, {"pci": "00:0a.0"})
    assert values["xen"] == "3.1"
    notes = [departure_note(mx, d, "md") for d in departures]
    cli = json.loads(guide("--as-of", "2016-12-20", "--pci", "00:0a.0", "--format", "json").stdout)["notes"]
    assert [n.removeprefix("**Note:** ") for n in notes] == cli[:len(notes)]


@pytest.mark.parametrize("day", ["2016-12-20", "2020-06-01", TODAY])
def test_builder_and_cli_offer_the_same_choices(day):
    from xenhowto.guide.matrix import build

    listing = json.loads(guide("--as-of", day, "--list", "--format", "json").stdout)
    cli = {d["name"]: d for d in listing["dimensions"]}
    mx = build(PROJECT, dt.date.fromisoformat(day))
    for d in mx["dimensions"]:
        assert [str(c) for c in d["choices"]] == [str(c) for c in cli[d["name"]]["choices"]], (day, d["name"])
        assert d["unavailable"] == cli[d["name"]].get("unavailable", {}), (day, d["name"])
    assert [c["id"] for c in mx["constraints"]] == [c["id"] for c in listing["constraints"]]


def test_list_shows_what_is_not_offered_and_why():
    text = guide("--as-of", TODAY, "--list").stdout
    assert "--xen" in text and "4.18, 4.20" in text
    assert "not offered: 4.15: whether xenkernel415" in text
    assert "not offered: 7: NetBSD 7 reached its end of life" in text


# --- the check catches the next stale sentence ---------------------------------------

PLANTED = {
    "a gone package in an instruction": (
        "from pkgsrc (both from sysutils/):",
        "from pkgsrc, for example sysutils/xenkernel42 and sysutils/xentools42:",
        "names xenkernel42, which is not in pkgsrc as of"),
    "kernfs justified by xend on an xl-only date": (
        "TODO: Say this is default, or file a PR and give a reference.",
        "In a dom0 kernel, kernfs is mandatory for xend to communicate with the kernel.",
        "names xend, which no Xen package in pkgsrc as of"),
    "xm on an xl-only date": (
        "Note that NetBSD by default creates only vnd[0123].",
        "Note that xm creates only vnd[0123].",
        "names xm, which no Xen package in pkgsrc as of"),
    "a stale dated claim": (
        "Note that NetBSD by default creates only vnd[0123].",
        "As of 2019, NetBSD by default creates only vnd[0123].",
        '"As of 2019" is'),
    "an undated currently": (
        "Note that NetBSD by default creates only vnd[0123].",
        "Note that NetBSD currently creates only vnd[0123].",
        '"currently" says nothing about when'),
    "a boot.cfg loading no NetBSD kernel": (
        "menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc pciback.hide",
        "menu=Xen:load /netbsd-XEN4_DOM0.gz console=pc pciback.hide",
        "loads netbsd-XEN4_DOM0, which is not a dom0 kernel"),
    "a boot.cfg multibooting no Xen file": (
        ";multiboot /xen.gz dom0_mem=256M\n\"\"\"]]\n\npciback devices",
        ";multiboot /xen-4.20.img dom0_mem=256M\n\"\"\"]]\n\npciback devices",
        "multiboots /xen-4.20.img, which no Xen package installs"),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_check_catches_a_planted_stale_sentence(tmp_path, case):
    old, new, says = PLANTED[case]
    real = (ROOT / "docs" / HOWTO).read_text(encoding="utf-8")
    assert real.count(old) == 1, f"the page changed: {old!r}"
    copy = tmp_path / "howto.mdwn"
    copy.write_text(real.replace(old, new), encoding="utf-8")
    line = real[:real.index(old)].count("\n") + 1
    run = subprocess.run([howto_bin(), "check", "--as-of", TODAY, "--format", "json", str(copy)], cwd=ROOT,
                         capture_output=True, text=True)
    findings = [f for f in json.loads(run.stdout)["findings"] if says in f["message"]]
    assert findings, (case, run.stdout[-2000:])
    assert any(abs(f["line"] - line) <= 2 for f in findings), (line, findings)
    if not says.startswith('"'):  # names the facts contradict are errors; stale claims are warnings
        assert run.returncode == 1


def test_the_real_page_and_every_guide_are_clean_today():
    run = subprocess.run([howto_bin(), "check", "--as-of", TODAY, "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True)
    doc = json.loads(run.stdout)
    assert run.returncode == 0 and doc["errors"] == 0, [f for f in doc["findings"] if f["severity"] == "error"]


# --- stable exports ------------------------------------------------------------------------

def test_two_exports_a_day_apart_are_identical():
    a = render_pages(PROJECT, dt.date(2026, 12, 1))
    b = render_pages(PROJECT, dt.date(2026, 12, 2))
    assert a == b


def test_an_export_changes_when_a_fact_takes_effect():
    # NetBSD 11.0 was released 2026-07-30: the page before and on that day differ
    assert render_pages(PROJECT, dt.date(2026, 7, 29)) != render_pages(PROJECT, dt.date(2026, 7, 30))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 11, 30)))
def test_exports_differ_only_across_fact_dates(day):
    from xenhowto.facts import load_facts
    from xenhowto.facts.history import event_dates

    nxt = day + dt.timedelta(days=1)
    if nxt in event_dates(load_facts()):
        return  # a fact takes effect on the next day: a change is allowed
    assert render_pages(PROJECT, day) == render_pages(PROJECT, nxt), day
