"""Fact objects as JSON, and their JSON Schema, both read off the dataclasses
of xenhowto.facts.model: a date becomes a date object (the text as the
source gives it and the days it can mean), an event an event object, a
nested fact an object; where a fact was written is left out."""
from __future__ import annotations

import dataclasses
import types
import typing

from xenhowto.api.fields import describe
from xenhowto.facts.dates import Event, FuzzyDate, _RangeOnly

SKIPPED = frozenset({"where", "xen_where", "files"})
# Where a value's type is wider than the model's annotation says.
WIDER: dict[tuple[str, str], dict] = {
    # binary_packages observations hold a list of branch names
    ("Observation", "value"): {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}


def date(d: FuzzyDate | None) -> dict | None:
    if d is None:
        return None
    return {"text": d.text, "earliest": d.earliest.isoformat(), "latest": d.latest.isoformat(),
            "approximate": d.approx}


def event(e: Event | None) -> dict | None:
    if e is None:
        return None
    return {"text": e.shown(), "after": date(e.after), "by": date(e.by), "range": e.is_range}


def record(obj) -> object:
    """Any value of the facts model as JSON."""
    if isinstance(obj, FuzzyDate):
        return date(obj)
    if isinstance(obj, Event):
        return event(obj)
    if dataclasses.is_dataclass(obj):
        return {f.name: record(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in SKIPPED}
    if isinstance(obj, (list, tuple)):
        return [record(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): record(v) for k, v in obj.items()}
    return obj


DEFS = {
    "date": {
        "type": "object",
        "description": describe("date", ""),
        "additionalProperties": False,
        "required": ["text", "earliest", "latest", "approximate"],
        "properties": {
            "text": {"type": "string", "pattern": "^~?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                     "description": describe("date", "text")},
            "earliest": {"type": "string", "format": "date", "description": describe("date", "earliest")},
            "latest": {"type": "string", "format": "date", "description": describe("date", "latest")},
            "approximate": {"type": "boolean", "description": describe("date", "approximate")},
        },
    },
    "event": {
        "type": "object",
        "description": describe("event", ""),
        "additionalProperties": False,
        "required": ["text", "after", "by", "range"],
        "properties": {
            "text": {"type": "string", "description": describe("event", "text")},
            "after": {"anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}], "description": describe("event", "after")},
            "by": {"anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}], "description": describe("event", "by")},
            "range": {"type": "boolean", "description": describe("event", "range")},
        },
    },
}


def _type_schema(tp, defs: dict) -> dict:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        return {"anyOf": [_type_schema(a, defs) for a in args if a is not type(None)]
                + ([{"type": "null"}] if type(None) in args else [])}
    if origin in (list, tuple):
        (item, *_) = typing.get_args(tp) or (object,)
        return {"type": "array", "items": _type_schema(item, defs)}
    if origin is dict or tp is dict:
        return {"type": "object"}
    if tp is FuzzyDate:
        return {"$ref": "#/$defs/date"}
    if tp in (Event, _RangeOnly):
        return {"$ref": "#/$defs/event"}
    if dataclasses.is_dataclass(tp):
        add_definition(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    simple = {str: "string", int: "integer", bool: "boolean", float: "number"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}


def add_definition(cls, defs: dict) -> None:
    """$defs[cls.__name__]: the JSON Schema of record(an instance of cls)."""
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # a placeholder first: fact objects may nest
    hints = typing.get_type_hints(cls)
    props = {}
    for f in dataclasses.fields(cls):
        if f.name in SKIPPED:
            continue
        schema = WIDER.get((cls.__name__, f.name)) or _type_schema(hints[f.name], defs)
        props[f.name] = {**schema, "description": describe(cls.__name__, f.name)}
    defs[cls.__name__] = {"type": "object", "description": describe(cls.__name__, ""),
                          "additionalProperties": False, "required": list(props), "properties": props}


def base_defs() -> dict:
    return {k: dict(v) for k, v in DEFS.items()}
