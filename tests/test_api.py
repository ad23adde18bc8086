"""The facts for other tools (api/): every JSON file validates against the
JSON Schema the site publishes for it, every field is documented, the files
agree with `howto versions --format json` at the same date and carry the
dates of data/ as written, and the site build publishes exactly them."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field

import jsonschema
import pytest
import yaml
from conftest import ROOT, howto_bin

from xenhowto.api import docs, publish, records
from xenhowto.api.endpoints import ENDPOINTS
from xenhowto.facts import load_facts
from xenhowto.facts.dates import Event, FuzzyDate, parse, parse_event

DATES = ["2015-01-04", "2016-12-20", "2026-12-01"]  # the seed revisions' dates and a recent one
SITE_URL = "https://howto.example.org/xen/"


@pytest.fixture(scope="module")
def facts():
    return load_facts(str(ROOT / "data"))


@pytest.fixture(scope="module", params=DATES)
def api(request, facts):
    day = dt.date.fromisoformat(request.param)
    return day, publish.files(facts, day, SITE_URL)


def _json(files, path):
    return json.loads(files[path].decode("utf-8"))


def _yaml(name):
    return yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))


def _versions_json(day: dt.date) -> dict:
    out = subprocess.run([howto_bin(), "versions", "--format", "json", "--as-of", day.isoformat()],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_every_file_validates_against_its_published_schema(api):
    _, files = api
    checked = 0
    listed = _json(files, publish.INDEX)["files"]
    index = {"url": SITE_URL + publish.INDEX, "schema": SITE_URL + publish.INDEX_SCHEMA}
    for entry in listed + [index]:
        if entry["schema"] is None:
            continue
        path = entry["url"][len(SITE_URL):]
        schema_path = entry["schema"][len(SITE_URL):]
        data, schema = _json(files, path), _json(files, schema_path)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert data["$schema"] == entry["schema"] == schema["$id"]
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        checked += 1
    assert checked == len(ENDPOINTS) + 1  # and the index itself


def test_a_wrong_record_fails_its_schema(api):
    """The schemas are strict: a missing field, an unknown one or a bad date is refused."""
    _, files = api
    schema = _json(files, "api/schema/xen-releases.schema.json")
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    good = _json(files, "api/xen-releases.json")
    for change in (lambda r: r.pop("released"), lambda r: r.update(codename="x"),
                   lambda r: r["released"].update(latest="2015-02-30"), lambda r: r["state"].update(status="fine")):
        bad = json.loads(json.dumps(good))
        change(bad["releases"][0])
        assert list(validator.iter_errors(bad)), change


def _properties(node, where=""):
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}/{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value, where)


def test_every_field_is_documented(api):
    _, files = api
    seen = 0
    for path, body in files.items():
        if "/schema/" in path:
            for where, prop in _properties(json.loads(body)):
                seen += 1
                assert prop.get("description"), f"{path}: {where} has no description; add it to xenhowto/api/fields.py"
    assert seen > 50
    page = docs.markdown(api[0], SITE_URL)
    for e in ENDPOINTS:
        for name in publish.endpoint_schema(e, SITE_URL)["$defs"]:
            assert f"### {name}" in page, f"the API page does not document {name}"


def test_the_files_agree_with_howto_versions(api):
    day, files = api
    versions = _versions_json(day)
    assert _json(files, "api/recommendation.json")["recommendation"] == versions["recommendation"]
    packages = {p["name"]: p for p in _json(files, "api/pkgsrc-packages.json")["packages"]}
    present = {n for n, p in packages.items() if p["state"]["in_pkgsrc"]}
    assert present == {p["name"] for p in versions["packages"]}
    for v in versions["packages"]:
        state, record = packages[v["name"]]["state"], packages[v["name"]]
        assert (state["status"], state["recommended"], state["toolstacks"], state["rcd_toolstack"]) == \
            (v["status"], v["recommended"], v["toolstacks"], v["rcd_toolstack"]), v["name"]
        assert state["security_patches"] == (v["security_patches"] or {}).get("patches")
        assert (record["xen"], record["tools"], record["added"]["text"]) == (v["xen"], v["tools"], v["added"])
    releases = {r["version"]: r for r in _json(files, "api/xen-releases.json")["releases"]}
    for v in versions["packages"]:
        state = releases[v["xen"]]["state"]
        assert (state["general_support_end"] or {}).get("text") == v["general_support_end"]
        assert (state["security_support_end"] or {}).get("text") == v["security_support_end"]
        assert state["amended"] == v["support_amended"]
    for r in versions["xen_not_in_pkgsrc"]:
        assert releases[r["xen"]]["state"]["status"] == r["status"] and not releases[r["xen"]]["state"]["pkgsrc_packages"]
    branches = _json(files, "api/netbsd-branches.json")["branches"]
    listed = [b["name"] for b in branches if b["state"]["exists"] and not b["state"]["end_of_life"]]
    assert listed == [b["name"] for b in versions["netbsd"]["branches"]]
    assert [b["name"] for b in branches if b["state"]["production"]] == [versions["netbsd"]["production"]]
    assert [b["name"] for b in branches if b["state"]["learning"]] == [versions["netbsd"]["learning"]]


def test_the_files_carry_the_dates_of_data_as_written(api):
    _, files = api
    releases = {r["version"]: r for r in _json(files, "api/xen-releases.json")["releases"]}
    for raw in _yaml("xen_releases.yaml")["releases"]:
        rel = releases[raw["version"]]
        for key in ("released", "general_support_end", "security_support_end"):
            assert (rel[key] or {}).get("text") == raw.get(key), (raw["version"], key)
        assert [a["announced"]["text"] for a in rel["amendments"]] == [a["announced"] for a in raw.get("amendments", [])]
    packages = {p["name"]: p for p in _json(files, "api/pkgsrc-packages.json")["packages"]}
    for raw in _yaml("pkgsrc_packages.yaml")["packages"]:
        pkg = packages[raw["name"]]
        assert pkg["added"]["text"] == raw["added"]
        removed = raw.get("removed")
        if removed is None:
            assert pkg["removed"] is None
        else:
            raw_event = removed if isinstance(removed, dict) else {"by": removed}
            for part in ("after", "by"):
                assert (pkg["removed"][part] or {}).get("text") == raw_event.get(part), (raw["name"], part)
    branches = {b["name"]: b for b in _json(files, "api/netbsd-branches.json")["branches"]}
    for raw in _yaml("netbsd_branches.yaml")["branches"]:
        assert (branches[raw["name"]]["end_of_life"] or {}).get("text") == raw.get("end_of_life")


def test_same_data_and_date_give_the_same_bytes(facts):
    day = dt.date(2016, 12, 20)
    assert publish.files(facts, day, SITE_URL) == publish.files(load_facts(str(ROOT / "data")), day, SITE_URL)
    other = publish.files(facts, dt.date(2016, 12, 21), SITE_URL)
    assert other["api/index.json"] != publish.files(facts, day, SITE_URL)["api/index.json"]


@dataclass
class Shelf:  # a made-up fact kind
    name: str
    opened: FuzzyDate
    closed: Event | None
    tags: list[str] = field(default_factory=list)


@dataclass
class Room:
    name: str
    shelves: list[Shelf]
    where: object = None  # never published


def test_records_follow_the_model():
    """A fact kind's JSON and schema are read off its dataclass: a new kind or
    field needs no code in xenhowto/api, only its description."""
    room = Room("a", [Shelf("s", parse("~2015-09"), parse_event({"after": "2016", "by": "2017-03"}), ["x"])])
    defs = records.base_defs()
    records.add_definition(Room, defs)
    data = records.record(room)
    assert "where" not in data and set(defs["Room"]["properties"]) == {"name", "shelves"}
    assert data["shelves"][0]["opened"] == {"text": "~2015-09", "earliest": "2015-09-01", "latest": "2015-09-30",
                                            "approximate": True}
    assert data["shelves"][0]["closed"]["after"]["latest"] == "2016-12-31"
    schema = {"$defs": defs, "$ref": "#/$defs/Room"}
    jsonschema.Draft202012Validator(schema).validate(data)
    data["shelves"][0]["opened"] = "2015"
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_the_site_publishes_the_files(tmp_path, facts):
    from xenhowto.site import build

    day = "2016-12-20"
    env = {"HOWTO_SITE_URL": SITE_URL}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        site = build(str(ROOT / "mkdocs.yml"), str(tmp_path / "site"), day, quiet=True)
    expected = publish.files(facts, dt.date.fromisoformat(day), SITE_URL)
    for path, body in expected.items():
        assert (tmp_path / "site" / path).read_bytes() == body, path
    page = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "xen-releases.json" in page and "XenReleaseWithState" in page
    assert site
