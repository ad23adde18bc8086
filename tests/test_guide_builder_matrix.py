"""The guide builder's data (issue 6): composing a guide from it alone gives
exactly `howto guide`'s markdown, shell script (--format sh) and dom0
commands.  The browser composes from the same data the same way
(tests/test_guide_builder_browser.py), so this is what guarantees that the
site's "Build your guide" shows (and downloads) the CLI's guide.

Every named setup (at its own as-of date) and a seeded sample of other
setups, drawn from the choices the data itself offers, at several of the
days the builder offers (every day of the HOWTO's history); the packed data
gives back each day's edition as matrix.build makes it."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from pathlib import Path

import subprocess

import pytest

from conftest import howto_bin
from xenhowto.guide import compose, model
from xenhowto.guide.build import guide_for
from xenhowto.guide.editions import builder_data, unpack
from xenhowto.guide.matrix import (GivenError, build, compose_commands, compose_markdown, compose_script, forbidden,
                                   resolve_given, resolve_with_notes)
from xenhowto.guide.setup import SetupError, resolve
from xenhowto.project import load

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 1)
SAMPLES = 120  # per edition
# days of the HOWTO's history the builder offers (and is checked at besides the build's and the named setups')
HISTORY = [dt.date(2008, 6, 14), dt.date(2012, 9, 17), dt.date(2015, 1, 4), dt.date(2016, 12, 20),
           dt.date(2019, 7, 16), dt.date(2023, 8, 24)]
TYPED = {  # values a reader might type, valid ones only
    "name": ["web1", "db.example", "a_b-c", "X9"],
    "memory": ["64", "512", "2048"],
    "disk_size": ["100", "20480"],
    "mac": ["00:16:3e:00:00:01", "aa:00:00:d1:00:0a"],
    "dom0_mem": ["256M", "2G"],
    "pci": ["", "00:0a.0", "03:00.1"],
    "nic": ["wm0", "re0", "bge1"],
    "partition": ["wd1e", "ld0f"],
}


@pytest.fixture(scope="module")
def project():
    return load(str(ROOT / "mkdocs.yml"))


@pytest.fixture(scope="module")
def data(project):
    return builder_data(project, AS_OF, HISTORY)


def _edition(data, as_of: str) -> dict:
    return unpack(data, as_of)


def _cli(project, given: dict, as_of: dt.date) -> str:
    return compose.to_markdown(guide_for(project, given, as_of))


def _assert_as_the_cli(project, mx: dict, given: dict, when: dt.date, values: dict, departures: list) -> None:
    guide = guide_for(project, given, when)
    assert compose_markdown(mx, values, departures) == compose.to_markdown(guide), (given, when)
    assert compose_script(mx, values, departures) == compose.to_shell(guide), (given, when)
    assert compose_commands(mx, values, departures) == compose.dom0_commands(guide), (given, when)


def _sample(mx: dict, rng: random.Random) -> dict:
    given = {}
    for d in mx["dimensions"]:
        if rng.random() < 0.4:
            continue
        if d["kind"] == "flag":
            given[d["name"]] = rng.random() < 0.5
        elif d["name"] in TYPED:
            given[d["name"]] = rng.choice(TYPED[d["name"]])
        else:
            given[d["name"]] = rng.choice(d["choices"])
    return given


def test_editions_cover_the_build_date_the_history_and_every_named_setup(data):
    dates = [e["as_of"] for e in data["editions"]]
    assert dates[0] == AS_OF.isoformat() == data["as_of"]
    assert dates == sorted(set(dates), reverse=True)
    names = [n.id for n in model.load().named if (n.as_of or AS_OF.isoformat()) <= AS_OF.isoformat()]
    assert [n["id"] for n in data["named"]] == names
    assert {n["as_of"] for n in data["named"]} <= set(dates)
    assert {d.isoformat() for d in HISTORY} <= set(dates)
    assert data["left_out"] == []


@pytest.mark.parametrize("day", [AS_OF, *HISTORY], ids=str)
def test_the_packed_data_gives_each_days_edition_back(project, data, day):
    mx, made = unpack(data, day.isoformat()), build(project, day)
    # the texts are the shared table: compare them as each edition reads them
    def texts(ed):
        return json.dumps(ed, sort_keys=True, default=str)

    def resolved(ed):
        out = dict(ed)
        table = ed["texts"]
        out["texts"] = None
        out["steps"] = [dict(s, pieces=[{k: ([[table[i] if i is not None else None for i in v] for v in p[k]]
                                              if k == "variants" else table[p[k]] if k in ("md", "html", "sh") else p[k])
                                         for k in p} for p in s["pieces"]]) for s in ed["steps"]]
        out["notes"] = [dict(n, md=table[n["md"]], html=table[n["html"]]) for n in ed["notes"]]
        return out

    assert texts(resolved(mx)) == texts(resolved(made))


def test_history_days_the_builder_cannot_be_read_as_of_are_left_out_and_said(project):
    data = builder_data(project, AS_OF, [dt.date(1999, 1, 1), dt.date(2015, 1, 4)])
    assert [e["as_of"] for e in data["editions"]][-1] == "2015-01-04"
    assert len(data["left_out"]) == 1 and "1999-01-01" in data["left_out"][0]


def test_named_setups_compose_as_the_cli(project, data):
    for named in data["named"]:
        mx = _edition(data, named["as_of"])
        when = dt.date.fromisoformat(named["as_of"])
        values, departures = resolve_with_notes(mx, named["given"])
        assert values == resolve(named["given"], when).values, named["id"]
        _assert_as_the_cli(project, mx, named["given"], when, values, departures)


@pytest.mark.parametrize("as_of", [AS_OF.isoformat(), "2016-12-20", "2012-09-17"])
def test_sampled_setups_compose_as_the_cli(project, data, as_of):
    mx = _edition(data, as_of)
    when = dt.date.fromisoformat(as_of)
    rng = random.Random(f"guide-builder {as_of}")
    done = impossible = 0
    while done < SAMPLES:
        given = _sample(mx, rng)
        try:
            values, departures = resolve_with_notes(mx, given)
        except GivenError:
            impossible += 1
            with pytest.raises(SetupError):  # the CLI refuses it too
                resolve(given, when)
            continue
        done += 1
        assert values == resolve(given, when).values, given
        if done % 10:
            assert compose_markdown(mx, values, departures) == _cli(project, given, when), given
        else:  # the script and the commands too, for one in ten
            _assert_as_the_cli(project, mx, given, when, values, departures)
    assert impossible, "the sample never tried an impossible setup; is the drawing too narrow?"


def test_every_choice_of_every_step_is_reachable(data):
    """Each snippet variant the data holds belongs to some valid setup: the
    tables hold only combinations that can occur (the data stays small)."""
    mx = unpack(data, data["as_of"])
    for step in mx["steps"]:
        for piece in step["pieces"]:
            if "table" in piece:
                assert piece["table"], step["id"]
                assert sorted(set(piece["table"].values())) == list(range(len(piece["variants"]))), step["id"]


def test_forbidden_names_the_constraint(data):
    mx = unpack(data, data["as_of"])
    values = resolve_given(mx, {})
    c = forbidden(mx, values, "toolstack", "xm")  # the recommendation's Xen is newer than 4.4
    assert c is not None and c["id"] == "xm-only-to-4.4" and "xm" in c["reason"]
    assert forbidden(mx, values, "console", "serial") is None
    for c in mx["constraints"]:
        assert c["reason"] and c["fact"], c["id"]


def test_slots_are_filled_not_branched_on(data):
    """What a reader types is in the snippets only as a slot to fill: no
    snippet text holds a default value, and every slot named is one."""
    for mx in (unpack(data, e["as_of"]) for e in data["editions"]):
        defaults = {d["name"]: d["default"] for d in mx["dimensions"] if d["slot"]}
        for step in mx["steps"]:
            for piece in step["pieces"]:
                for variant in piece.get("variants", ()):
                    for i in variant:
                        text = mx["texts"][i] if i is not None else ""
                        parts = [text] if isinstance(text, str) else text
                        # a slot, or a slot shown another way (dom0_mem|mb: in megabytes)
                        assert {p.split("|")[0] for p in parts[1::2]} <= set(defaults), (step["id"], text)
                        literal = "".join(parts[0::2])
                        for stand_in in (defaults["mac"], f"{defaults['name']}-xbd0"):
                            assert stand_in not in literal, (step["id"], text)


def test_data_is_deterministic_and_small(project, data):
    again = builder_data(project, AS_OF, HISTORY)
    assert json.dumps(again) == json.dumps(data)
    packed = gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 9)
    assert len(packed) < 300_000, f"the builder's data is {len(packed)} bytes gzipped"


def test_help_speaks_to_readers(data):
    """Every control has a help text in a reader's words; the command line's
    own words (values only it takes) are apart, in cli_help."""
    mx = unpack(data, data["as_of"])
    for d in mx["dimensions"]:
        assert len(d["help"]) > 15 and d["help"][0].isupper() and d["help"].endswith("."), d["name"]
        for cli_words in ("data/", "--", "xenkernel46", "4.6 or", ": pv (", "facts of"):
            assert cli_words not in d["help"], (d["name"], cli_words)
    run = subprocess.run([howto_bin(), "guide", "--help"], capture_output=True, text=True, cwd=ROOT)
    said = " ".join(run.stdout.split())
    for dim in model.load().dimensions.values():
        assert " ".join((dim.cli_help or dim.help).split()) in said, dim.name
    assert "xenkernel420" in said  # --xen takes a package name too
