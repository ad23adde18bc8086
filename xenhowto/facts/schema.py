"""Validating each data file against data/schema/<stem>.schema.json and
turning every jsonschema error into a Finding with file:line, the key and a
sentence that says what to write instead."""
from __future__ import annotations

import json
import os

from xenhowto.findings import Finding
from xenhowto.facts.load import DataFile, shown_path

_TYPE_NAMES = {
    "string": "a string", "object": "a mapping (key: value lines)", "array": "a list (- items)",
    "integer": "a whole number", "number": "a number", "boolean": "true or false", "null": "empty",
}
_PY_NAMES = {
    str: "a string", dict: "a mapping", list: "a list", int: "a number", float: "a number",
    bool: "true/false", type(None): "empty",
}
_LABEL_KEYS = ("version", "name")


def load_schema(data_dir: str, stem: str) -> tuple[dict | None, list[Finding]]:
    import jsonschema  # slow to import; a cold run with cached facts needs none of it

    path = os.path.join(data_dir, "schema", f"{stem}.schema.json")
    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
    except FileNotFoundError:
        return None, [Finding(shown_path(path), 1, f"schema for {stem}.yaml is missing")]
    except json.JSONDecodeError as e:
        return None, [Finding(shown_path(path), e.lineno, f"schema is not valid JSON: {e.msg}")]
    except jsonschema.SchemaError as e:
        return None, [Finding(shown_path(path), 1, f"schema is not a valid JSON Schema: {e.message}")]
    return schema, []


_SINGULAR = {
    "releases": "release", "packages": "package", "branches": "branch", "toolstacks": "toolstack",
    "kernels": "kernel", "amendments": "amendment", "observations": "observation",
    "security": "security observation", "rcd_toolstack": "rcd_toolstack observation", "notes": "note",
    "daemons": "daemon range", "never": "never entry",
    "constraints": "constraint", "named": "named setup", "incomplete": "incomplete entry",
}
# mappings whose keys name their entries
_NAMED_ENTRIES = {"dimensions": "dimension"}


def _where(data, path: tuple) -> str:
    """'release 4.7' / 'amendment #1 of release 4.18' / 'the file' for messages."""
    node, labels = data, []
    for i, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and isinstance(node, dict):
            parent = str(path[i - 1]) if i else "item"
            kind = _SINGULAR.get(parent, parent)
            name = next((node[k] for k in _LABEL_KEYS + ("id",) if isinstance(node.get(k), str)), None)
            labels.append(f"{kind} {name}" if name else f"{kind} #{step + 1}")
        elif isinstance(step, str) and i and path[i - 1] in _NAMED_ENTRIES and isinstance(node, dict):
            labels.append(f"{_NAMED_ENTRIES[path[i - 1]]} {step}")  # setup.yaml: dimensions are keyed by name
    return " of ".join(reversed(labels)) if labels else "the file"


def _key(path: tuple) -> str:
    keys = [str(p) for p in path if not isinstance(p, int)]
    return keys[-1] if keys else "(top level)"


def _hint(error: jsonschema.ValidationError) -> str:
    for schema in (error.schema, *(getattr(c, "schema", {}) for c in error.context or [])):
        if isinstance(schema, dict) and schema.get("x-message"):
            return schema["x-message"]
    return ""


def _message(error: jsonschema.ValidationError, f: DataFile) -> list[tuple[int, str]]:
    """(line, sentence) pairs for one validation error."""
    path = tuple(error.absolute_path)
    where = _where(f.data, path)
    key = _key(path)
    hint = _hint(error)
    v = error.validator
    if v == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        out = []
        for prop in missing:
            if prop == "source":
                text = f"{where} has no source: add source: with the URL or citation the facts come from"
            else:
                text = f"{where} has no {prop}: add {prop}:"
            out.append((f.line(path), text))
        return out
    if v == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in error.instance if k not in allowed)
        return [
            (f.line(path + (k,), key=True),
             f"unknown key {k!r} in {where}; the keys it may have are {', '.join(allowed)}")
            for k in extra
        ]
    if v == "type":
        want = error.validator_value
        want_text = " or ".join(_TYPE_NAMES.get(w, w) for w in (want if isinstance(want, list) else [want]))
        got = _PY_NAMES.get(type(error.instance), type(error.instance).__name__)
        text = f"{key} of {where} must be {want_text}, not {got} ({error.instance!r})"
        if want == "string" and isinstance(error.instance, (int, float)) and not isinstance(error.instance, bool):
            text += f'; quote it, e.g. "{error.instance}" (YAML reads 4.10 as the number 4.1)'
        return [(f.line(path), text)]
    if v == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return [(f.line(path), f"{key} of {where} is {error.instance!r}; use one of: {choices}")]
    if v in ("anyOf", "minProperties") and isinstance(error.instance, dict):
        return [(f.line(path), f"{where}: {hint or error.message}")]
    if v in ("pattern", "oneOf", "anyOf"):
        return [(f.line(path), f"{key} of {where} is {error.instance!r}; {hint or error.message}")]
    if v in ("minLength", "minItems"):
        if error.instance:
            unit = "characters" if v == "minLength" else "items"
            return [(f.line(path), f"{key} of {where} is too short ({len(error.instance)} {unit}); "
                                   f"{hint or f'write at least {error.validator_value}'}")]
        return [(f.line(path), f"{key} of {where} is empty; {hint or 'give it a value'}")]
    if v == "uniqueItems":
        return [(f.line(path), f"{key} of {where} lists an item twice; list each once")]
    return [(f.line(path), f"{key} of {where}: {error.message}")]


def validate(f: DataFile, schema: dict) -> list[Finding]:
    import jsonschema

    if f.data is None:
        return []
    validator = jsonschema.Draft202012Validator(schema)
    findings = []
    for error in sorted(validator.iter_errors(f.data), key=lambda e: [str(p) for p in e.absolute_path]):
        for line, text in _message(error, f):
            findings.append(Finding(f.path, line, text))
    return sorted(set(findings))
