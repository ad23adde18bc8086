"""Verifying many guides at once (issue 14): guides that begin alike share those
steps, and verdicts are kept under a digest of what they depend on.

Sharing must change nothing but the time: over a drawn set of guides (broken
ones included) the verdicts and every message equal those of verifying each
guide alone.  A kept verdict is reused only while nothing it depends on
changed: a template, a data entry or the verifier's code each invalidate
exactly the guides they touch.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil

import jinja2
import pytest
from guide_helpers import _project, guide_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_verify_guides import BREAKAGES

from xenhowto import examples
from xenhowto.guide.every import distinct_guides
from xenhowto.verify import Sandbox, verdicts
from xenhowto.verify.runner import verify_many

TODAY = "2026-12-01"


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


def _outcome(r) -> tuple:
    return r.ok, [(f.step, f.title, f.message) for f in r.failures], r.notes


def _guides(day: str, limit: int | None = None) -> list[dict]:
    """The distinct complete guides at ``day`` (as `--verify-all` makes them)."""
    out = [doc for _, doc in distinct_guides(_project(), dt.date.fromisoformat(day))]
    return out[:limit] if limit else out


@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_shared_prefixes_give_the_verdicts_of_guides_verified_alone(sandbox, data):
    pool = _guides(TODAY)
    picked = data.draw(st.lists(st.sampled_from(range(len(pool))), min_size=4, max_size=6, unique=True))
    guides = [pool[i] for i in picked]
    # Neighbours of the drawn ones share long prefixes: the same setup with one late difference.
    guides += [guide_json({"domu_type": "pv"}, TODAY), guide_json({"domu_type": "pv", "autostart": True}, TODAY)]
    for name in data.draw(st.lists(st.sampled_from(sorted(BREAKAGES)), min_size=3, max_size=4, unique=True)):
        base, breaking, _, _ = BREAKAGES[name]
        g = guide_json(base, TODAY)
        breaking(g)
        guides.append(g)
    shared = verify_many(guides, jobs=2, sandbox=sandbox, share=True)
    alone = verify_many(guides, jobs=2, sandbox=sandbox, share=False)
    assert [_outcome(r) for r in shared] == [_outcome(r) for r in alone]
    assert not all(r.ok for r in alone)  # the broken ones were broken


def _keys(guides: list[dict]) -> list[str]:
    return [verdicts.key(g) for g in guides]


def test_a_kept_verdict_is_reused_until_what_it_depends_on_changes(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    g = guide_json({"domu_type": "pv"}, TODAY)
    assert verdicts.load(g) is None
    r = verify_many([g], sandbox=sandbox)[0]
    verdicts.store(g, r)
    kept = verdicts.load(g)
    assert kept is not None and _outcome(kept) == _outcome(r)
    # The same guide on another day, on the same machine (the same release): the same verdict.
    later = json.loads(json.dumps(g))
    later["setup"]["as_of"] = "2026-12-02"
    assert verdicts.load(later) is not None
    # A step changed by a reader's value, or a breakage: another key.
    broken = json.loads(json.dumps(g))
    BREAKAGES["kernel not switched back"][1](broken)
    assert verdicts.load(broken) is None


def test_a_template_change_invalidates_exactly_the_guides_that_use_it(monkeypatch):
    before = _guides(TODAY)
    keys = _keys(before)
    templates = _project_templates_copy(monkeypatch)
    with open(templates / "npf.conf.j2", "a", encoding="utf-8") as f:
        f.write("# a comment an editor added\n")
    after = _guides(TODAY)
    assert [g["setup"] for g in after] == [g["setup"] for g in before]
    changed = {i for i, (a, b) in enumerate(zip(keys, _keys(after))) if a != b}
    uses = {i for i, g in enumerate(before) if g["setup"]["network"] == "nat"}
    assert changed == uses and 0 < len(uses) < len(before)


def _project_templates_copy(monkeypatch):
    import pathlib
    import tempfile

    copy = pathlib.Path(tempfile.mkdtemp(prefix="templates-"))
    shutil.rmtree(copy)
    shutil.copytree(examples.TEMPLATES_DIR, copy)
    monkeypatch.setattr(examples, "_env", jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(copy)), **{k: getattr(examples._env, k) for k in (
            "trim_blocks", "lstrip_blocks", "keep_trailing_newline", "undefined")}))
    return copy


def test_a_data_change_invalidates_exactly_the_guides_it_touches(tmp_path, monkeypatch):
    before = _guides(TODAY)
    keys = _keys(before)
    data = tmp_path / "data"
    shutil.copytree(_project().docs_dir + "/../data", data)
    text = (data / "netbsd_branches.yaml").read_text(encoding="utf-8")
    assert '{version: "10.2"' in text  # netbsd-10's newest release: the one its guides install
    (data / "netbsd_branches.yaml").write_text(text.replace('{version: "10.2"', '{version: "10.3"', 1),
                                              encoding="utf-8")
    monkeypatch.setenv("HOWTO_DATA_DIR", str(data))
    after = _guides(TODAY)
    changed = {i for i, (a, b) in enumerate(zip(keys, _keys(after))) if a != b}
    uses = {i for i, g in enumerate(before) if g["setup"]["netbsd"] == "10"}
    assert changed == uses and 0 < len(uses) < len(before)


def test_the_verifiers_code_is_part_of_every_key(monkeypatch):
    guides = _guides(TODAY, limit=20)
    keys = _keys(guides)
    monkeypatch.setattr(verdicts, "code_digest", lambda: "another verifier")
    assert all(a != b for a, b in zip(keys, _keys(guides)))
