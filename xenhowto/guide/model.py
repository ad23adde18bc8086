"""The setup model of data/setup.yaml: dimensions, choices, defaults,
constraints and named setups, loaded once per data directory."""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

import yaml

from xenhowto.findings import HowtoError
from xenhowto.guide import conditions

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data")
FREE_KINDS = ("size", "number", "name", "mac", "pci", "nic", "device")


@dataclass(frozen=True)
class Dimension:
    name: str
    kind: str
    label: str
    default: object
    choices: tuple = ()
    help: str = ""
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


def load(directory: str | None = None) -> SetupModel:
    """The setup model of data/setup.yaml, read again when the file changes
    (`mkdocs serve` rebuilds after an edit in the same process)."""
    path = os.path.join(directory or data_dir(), "setup.yaml")
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None  # _load says what is wrong
    return _load(path, stamp)


@functools.lru_cache(maxsize=8)
def _load(path: str, stamp) -> SetupModel:
    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: fast
    except (OSError, yaml.YAMLError) as e:
        raise HowtoError(f"{path}: cannot read the setup model: {e}") from None
    dims = {
        name: Dimension(
            name=name, kind=d["kind"], label=d.get("label", name), default=d.get("default"),
            choices=tuple(str(c) for c in d.get("choices", ())), help=d.get("help", ""),
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
