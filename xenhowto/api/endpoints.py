"""The JSON files of api/: each is the recorded facts of one kind (read off
the model by ``records``) with what the HOWTO computes from them on the
as-of date (``state``).  To publish a new kind of fact, add an Endpoint."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from xenhowto.api import records
from xenhowto.api.fields import describe
from xenhowto.facts import report
from xenhowto.facts.model import Branch, Package, XenRelease
from xenhowto.facts.recommend import recommend
from xenhowto.facts.view import View


@dataclass(frozen=True)
class Endpoint:
    name: str  # the file is api/<name>.json, its schema api/schema/<name>.schema.json
    title: str
    build: Callable[[View], dict]  # the file's keys besides $schema and as_of
    schema: Callable[[dict], dict]  # given $defs to add to: the file's properties besides $schema and as_of

    @property
    def path(self) -> str:
        return f"api/{self.name}.json"

    @property
    def schema_path(self) -> str:
        return f"api/schema/{self.name}.schema.json"


def _prop(kind: str, name: str, schema: dict) -> dict:
    return {**schema, "description": describe(kind, name)}


def _object(kind: str, props: dict[str, dict]) -> dict:
    return {"type": "object", "description": describe(kind, ""), "additionalProperties": False,
            "required": list(props), "properties": {k: _prop(kind, k, v) for k, v in props.items()}}


def _with_state(cls, state_kind: str, state_props: dict[str, dict], defs: dict) -> dict:
    """The record of cls plus its "state" object."""
    records.add_definition(cls, defs)
    base = defs[cls.__name__]
    name = cls.__name__ + "WithState"
    defs[state_kind] = _object(state_kind, state_props)
    defs[name] = {**base, "required": base["required"] + ["state"],
                  "properties": {**base["properties"], "state": {"$ref": f"#/$defs/{state_kind}",
                                                                 "description": describe("file", "state")}}}
    return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}


_STRINGS = {"type": "array", "items": {"type": "string"}}
_NULLABLE_STRING = {"type": ["string", "null"]}
_STATUS = {"enum": ["supported", "security-only", "unsupported", "unknown"]}


# -- Xen releases ----------------------------------------------------------------------

def _releases(view: View) -> dict:
    out = []
    for rel in view.facts.releases.values():
        support = view.support(rel)
        state = {
            "status": view.status(rel),
            "general_support_end": records.date(support.general),
            "security_support_end": records.date(support.security),
            "amended": support.amended_text,
            "pkgsrc_packages": [p.name for p in view.packages() if p.xen == rel.version],
        }
        out.append({**records.record(rel), "state": state})
    return {"releases": out}


def _releases_schema(defs: dict) -> dict:
    date_or_null = {"anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}]}
    return {"releases": _with_state(XenRelease, "ReleaseState", {
        "status": _STATUS, "general_support_end": date_or_null, "security_support_end": date_or_null,
        "amended": _NULLABLE_STRING, "pkgsrc_packages": _STRINGS}, defs)}


# -- pkgsrc ----------------------------------------------------------------------------------

def _packages(view: View) -> dict:
    rec = recommend(view)
    out = []
    for p in view.facts.packages:
        rel = view.facts.releases.get(p.xen)
        sec = view.security(p)
        state = {
            "in_pkgsrc": view.in_pkgsrc(p),
            "status": view.status(rel) if rel else "unknown",
            "recommended": p in rec.packages,
            "security_patches": sec.value if sec else None,
            "rcd_toolstack": view.rcd_toolstack(p),
            "toolstacks": view.toolstacks_for(p.xen),
        }
        out.append({**records.record(p), "state": state})
    return {"packages": out}


def _packages_schema(defs: dict) -> dict:
    return {"packages": _with_state(Package, "PackageState", {
        "in_pkgsrc": {"type": "boolean"}, "status": _STATUS, "recommended": {"type": "boolean"},
        "security_patches": _NULLABLE_STRING, "rcd_toolstack": _NULLABLE_STRING, "toolstacks": _STRINGS}, defs)}


# -- NetBSD ------------------------------------------------------------------------------------

def _branches(view: View) -> dict:
    prod, learn = view.newest_released_branch(), view.newest_branch()
    out = []
    for b in view.facts.branches:
        state = {
            "exists": view.branch_exists(b),
            "released": view.branch_released(b),
            "end_of_life": view.branch_eol(b),
            "production": prod is not None and b.name == prod.name,
            "learning": learn is not None and b.name == learn.name,
        }
        out.append({**records.record(b), "state": state})
    current = view.facts.files["netbsd_branches"].data["current"] if view.facts.files else {}
    return {"branches": out, "current": {"name": view.facts.current_branch, "source": current.get("source", "")}}


def _branches_schema(defs: dict) -> dict:
    defs["Current"] = _object("Current", {"name": {"type": "string"}, "source": {"type": "string"}})
    return {
        "branches": _with_state(Branch, "BranchState", {
            "exists": {"type": "boolean"}, "released": {"type": "boolean"}, "end_of_life": {"type": "boolean"},
            "production": {"type": "boolean"}, "learning": {"type": "boolean"}}, defs),
        "current": {"$ref": "#/$defs/Current"},
    }


# -- the recommendation ----------------------------------------------------------------------

def _recommendation(view: View) -> dict:
    return {"recommendation": report.as_dict(view.facts, view.as_of)["recommendation"]}


def _recommendation_schema(defs: dict) -> dict:
    defs["Recommendation"] = _object("Recommendation", {
        "packages": _STRINGS, "tools": _STRINGS, "toolstack": _NULLABLE_STRING, "netbsd_branch": _NULLABLE_STRING,
        "dom0_arch": _NULLABLE_STRING, "domu_archs": _STRINGS, "basis": {"type": "string"},
        "rule": {"type": "string"}})
    return {"recommendation": {"$ref": "#/$defs/Recommendation"}}


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("xen-releases", "Upstream Xen releases, their support dates and amendments", _releases,
             _releases_schema),
    Endpoint("pkgsrc-packages", "pkgsrc's Xen packages, present and removed", _packages, _packages_schema),
    Endpoint("netbsd-branches", "NetBSD release branches and -current", _branches, _branches_schema),
    Endpoint("recommendation", "The HOWTO's recommendation", _recommendation, _recommendation_schema),
)
