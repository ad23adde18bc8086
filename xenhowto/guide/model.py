"""The setup model of data/setup.yaml: dimensions, choices, defaults,
constraints and named setups, loaded once per data directory."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

from xenhowto.facts.load import shown_path
from xenhowto.findings import Finding, HowtoError
from xenhowto.guide import conditions
from xenhowto.pinning import Pin

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
FREE_KINDS = ("size", "number", "name", "mac", "pci", "nic", "device")
KINDS = ("choice", "version", "flag", *FREE_KINDS)  # the schema leaves the list to the code


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: str
    label: str
    default: object
    choices: tuple = ()
    help: str = ""  # in a reader's words: the builder shows it, and `howto guide --help` unless cli_help
    cli_help: str = ""  # the command line's own words, where its values differ (xenkernel420 for --xen)
    minimum: int | None = None
    maximum: int | None = None
    listed: list | None = None  # when a guide's setup list shows it (None: always)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Constraint:
    id: str
    when: list
    require: list
    reason: str
    fact: str


@dataclass(frozen=True)
class Derived:
    """A value that follows from a dimension and data/ (a branch's recorded
    Xen feature): yes, no or unknown."""
    name: str
    label: str
    source: str  # the dimension it follows (netbsd)
    feature: str
    phrases: dict

    VALUES = ("yes", "no", "unknown")


@dataclass(frozen=True)
class Named:
    id: str
    title: str
    setup: dict
    as_of: str | None = None


@dataclass(frozen=True)
class SetupModel:
    dimensions: dict[str, Dimension]
    constraints: tuple[Constraint, ...]
    named: tuple[Named, ...] = field(default=())
    # (condition, note): choices whose instructions the HOWTO does not complete yet
    incomplete: tuple[tuple[list, str], ...] = field(default=())
    derived: dict[str, Derived] = field(default_factory=dict)

    def incomplete_notes(self, values: dict) -> list[str]:
        return [note for cond, note in self.incomplete if conditions.evaluate(cond, values)]


def data_dir() -> str:
    return os.environ.get("HOWTO_DATA_DIR", DATA_DIR)


def _build(raw: dict) -> SetupModel:
    dims = {
        name: Dimension(
            name=name, kind=d["kind"], label=d.get("label", name), default=d.get("default"),
            choices=tuple(str(c) for c in d.get("choices", ())), help=d.get("help", ""),
            cli_help=d.get("cli_help", ""),
            minimum=d.get("minimum"), maximum=d.get("maximum"),
            listed=conditions.parse(d["listed"]) if d.get("listed") else None,
        )
        for name, d in raw["dimensions"].items()
    }
    cons = tuple(
        Constraint(id=c["id"], when=conditions.parse(c.get("when", "")) if c.get("when") else None,
                   require=conditions.parse(c["require"]), reason=c["reason"], fact=c["fact"])
        for c in raw.get("constraints", ())
    )
    named = tuple(Named(id=n["id"], title=n["title"], setup={k: str(v) if not isinstance(v, bool) else v
                                                             for k, v in (n.get("setup") or {}).items()},
                        as_of=n.get("as_of"))
                  for n in raw.get("named", ()))
    incomplete = tuple((conditions.parse(i["when"]), i["note"]) for i in raw.get("incomplete", ()))
    derived = {name: Derived(name, d["label"], d["from"], d["feature"], {str(k): v for k, v in d["phrases"].items()})
               for name, d in (raw.get("derived") or {}).items()}
    return SetupModel(dims, cons, named, incomplete, derived)


def _kinds(f) -> list[Finding]:
    """Each dimension has a kind the code knows."""
    dims = f.data.get("dimensions") if isinstance(f.data, dict) else None
    return [Finding(f.path, f.line(("dimensions", name, "kind")),
                    f"kind of dimension {name} is {dim.get('kind')!r}; use one of: {', '.join(KINDS)}")
            for name, dim in (dims.items() if isinstance(dims, dict) else ())
            if isinstance(dim, dict) and isinstance(dim.get("kind"), str) and dim["kind"] not in KINDS]


def _conditions(f) -> list[Finding]:
    """Each condition of the file parses (a broken one names its line)."""
    out = []
    for section, keys in (("constraints", ("when", "require")), ("incomplete", ("when",))):
        for i, item in enumerate(f.data.get(section) or ()):
            for key in keys:
                if isinstance(item, dict) and isinstance(item.get(key), str):
                    try:
                        conditions.parse(item[key])
                    except conditions.ConditionError as e:
                        out.append(Finding(f.path, f.line((section, i, key)), f"{key} of {section} #{i + 1}: {e}"))
    return out


def _checked(directory: str) -> tuple[SetupModel | None, list[Finding]]:
    """setup.yaml read like the other data files (YAML limits, line map) and
    validated against data/schema/setup.schema.json: (model, []) or (None, findings)."""
    from xenhowto.facts import load as data_load
    from xenhowto.facts import schema

    f, findings = data_load.read(os.path.join(directory, "setup.yaml"))
    if f.data is None:
        return None, findings
    sch, problems = schema.load_schema(directory, "setup")
    findings += problems
    if sch is not None:
        findings += schema.validate(f, sch)
    findings += _kinds(f)
    if not findings:
        findings += _conditions(f)
    if findings:
        return None, sorted(set(findings))
    return _build(f.data), []


def _digest(directory: str) -> str:
    """Changes with setup.yaml, its schema and the code that reads and checks them."""
    import hashlib

    from xenhowto.facts import code_files

    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.path.join(directory, "setup.yaml"), os.path.join(directory, "schema", "setup.schema.json"),
                 *code_files(), os.path.join(here, "model.py"), os.path.join(here, "conditions.py")):
        h.update(path.encode() + b"\0")
        if os.path.isfile(path):
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:32]


_PIN = Pin()  # while pinned: directory -> what was read first


def pin(fresh: bool = False) -> None:
    """From now until ``unpin``, the files' times are checked once per
    directory: a build asks for the model thousands of times, and takes it as
    it was when it began (``facts.pin`` does the same for the facts)."""
    _PIN.pin(fresh)


def unpin() -> None:
    _PIN.unpin()


def checked(directory: str | None = None) -> tuple[SetupModel | None, list[Finding]]:
    """The setup model and the problems of data/setup.yaml, read again when
    the file or its schema changes (`mkdocs serve` rebuilds in one process)."""
    directory = os.path.abspath(directory or data_dir())
    return _PIN.once(directory, lambda: _checked_now(directory))


def _checked_now(directory: str) -> tuple[SetupModel | None, list[Finding]]:
    stamp = []
    for path in (os.path.join(directory, "setup.yaml"), os.path.join(directory, "schema", "setup.schema.json")):
        try:
            st = os.stat(path)
            stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamp.append(None)  # _checked says what is wrong
    return _checked_at(directory, tuple(stamp))


@functools.lru_cache(maxsize=8)
def _checked_at(directory: str, stamp: tuple) -> tuple[SetupModel | None, list[Finding]]:
    """Kept on disk under a digest of the bytes: validating takes longer than
    the rest of a cold run."""
    from xenhowto import diskcache

    return diskcache.cached("setup", _digest(directory), lambda: _checked(directory), expect=tuple)


def problems(directory: str | None = None) -> list[Finding]:
    return checked(directory)[1]


def load(directory: str | None = None) -> SetupModel:
    setup_model, findings = checked(directory)
    if setup_model is None:
        raise HowtoError(f"{shown_path(os.path.join(directory or data_dir(), 'setup.yaml'))} has "
                         f"{len(findings)} problem(s); fix them first", findings)
    return setup_model
