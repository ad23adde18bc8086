"""A reader's setup: the values they give (flags or an answers file), checked
and completed.

- Values a reader types (domU name, MAC, sizes, PCI address) are validated
  here, before they can reach a shell snippet or a web page.
- ``--xen`` takes a version (4.6) or a package (xenkernel46) in pkgsrc at the
  as-of date, ``--netbsd`` a released, supported branch (``availability``); a
  package or branch of another time is refused with what ended when and the
  ``--as-of`` of the guide of that time.
- Unset choices take the recommendation at the as-of date when it fits the
  reader's own choices, else the first choice that does, and the guide says
  so (a note naming the constraint and its fact): never a silent downgrade.
- A setup that breaks a constraint is refused with the constraint's sentence
  and the fact it rests on.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xenhowto.findings import UsageError
from xenhowto.guide import availability, conditions, constraints, derived, model


class SetupError(UsageError):
    """The reader's setup is impossible or a value is unsafe: a usage error (exit 2)."""


_PATTERNS = {
    # becomes a file name (/usr/pkg/etc/xen/NAME) and a shell word: no / ; space or quote
    "name": (re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"),
             "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
    "mac": (re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"), "write six hex pairs, e.g. aa:00:00:d1:00:09"),
    "size": (re.compile(r"^[1-9][0-9]{0,6}[MG]$"), "write a size in megabytes or gigabytes, e.g. 256M or 2G"),
    "number": (re.compile(r"^[1-9][0-9]{0,8}$"), "write a whole number"),
    "pci": (re.compile(r"^$|^(?:0000:)?[0-9a-fA-F]{2}:[0-1][0-9a-fA-F]\.[0-7]$"),
            "write BUS:DEV.FN in hex, e.g. 00:0a.0"),
    # a NetBSD interface name (driver and unit): a word of the shell and of /etc/ifconfig.*
    "nic": (re.compile(r"^[a-z]{1,12}[0-9]{1,3}$"), "write an interface name as ifconfig -l lists it, e.g. wm0"),
    # a disk partition (wd1e) or a wedge (dk3), as /dev names it
    "device": (re.compile(r"^[a-z]{1,8}[0-9]{1,3}[a-p]$"), "write a partition as /dev names it, e.g. wd1e"),
}
_TRUE, _FALSE = ("yes", "true", "1", "on"), ("no", "false", "0", "off", "")


@dataclass
class Setup:
    values: dict[str, object]
    package: str  # xenkernelNN
    tools: str  # xentoolsNN
    as_of: dt.date
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.values, package=self.package, tools=self.tools, as_of=self.as_of.isoformat())


def _flag(dim: model.Dimension) -> str:
    return dim.flag


def _typed(dim: model.Dimension, raw, shown: str | None = None) -> object:
    """Check one typed value; returns it normalized.  ``shown`` names it in
    messages (default: its flag)."""
    _flag = (lambda dim: shown) if shown else globals()["_flag"]  # noqa: E731
    if dim.kind == "flag":
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower()
        if s in _TRUE or s in _FALSE:
            return s in _TRUE
        raise SetupError(f"{_flag(dim)} {raw!r}: write yes or no")
    value = str(raw).strip()
    if dim.kind in _PATTERNS:
        pattern, advice = _PATTERNS[dim.kind]
        if not pattern.match(value):
            raise SetupError(f"{_flag(dim)} {value!r} is not accepted: {advice}")
        if dim.kind == "mac":
            value = value.lower()
            if int(value[:2], 16) & 1:
                raise SetupError(f"{_flag(dim)} {value} is a multicast address; the first byte must be even")
            if not int(value.replace(":", ""), 16):
                raise SetupError(f"{_flag(dim)} {value} is the null address, which no interface has; "
                                 "use a locally administered one, e.g. aa:00:00:d1:00:09")
        if dim.kind == "size":
            megabytes = int(value[:-1]) * (1024 if value.endswith("G") else 1)
            if (dim.minimum is not None and megabytes < dim.minimum) or \
                    (dim.maximum is not None and megabytes > dim.maximum):
                raise SetupError(f"{_flag(dim)} {value} must be between {dim.minimum or 1}M and {dim.maximum}M")
        if dim.kind == "number":
            n = int(value)
            if (dim.minimum is not None and n < dim.minimum) or (dim.maximum is not None and n > dim.maximum):
                raise SetupError(f"{_flag(dim)} {value} must be between {dim.minimum} and {dim.maximum}")
        if dim.kind == "pci" and value.startswith("0000:"):
            value = value[5:]
        return value.lower() if dim.kind == "pci" else value
    if dim.kind == "choice" and value not in dim.choices:
        raise SetupError(f"{_flag(dim)} {value!r} is not a choice; choose one of {', '.join(dim.choices)}")
    return value


def typed_value(name: str, raw, setup_model: model.SetupModel | None = None, shown: str | None = None) -> object:
    """A value of one setup dimension checked as a reader's value is
    (SetupError if not).  A template's variables written in a page go through
    this too, so a page cannot render what no reader could ask for."""
    dim = (setup_model or model.load()).dimensions[name]
    return str(raw).strip() if dim.kind == "version" else _typed(dim, raw, shown)


def _xen(raw, view) -> tuple[str, object]:
    """--xen 4.6 or --xen xenkernel46 -> (version, package) in pkgsrc at the as-of date."""
    value = str(raw).strip()
    offered = availability.packages(view)
    listing = ", ".join(f"{p.xen} ({p.name})" for p in offered) or "none"
    for p in view.facts.packages:
        if value in (p.name, p.xen):
            problem = availability.package_problem(view, p)
            if problem:
                raise SetupError(f"--xen {value}: {problem}.  In pkgsrc as of {view.as_of}: {listing}")
            return p.xen, p
    raise SetupError(f"--xen {value!r} is not a Xen package of pkgsrc; in pkgsrc as of {view.as_of}: {listing}")


def _netbsd(raw, view) -> str:
    value = str(raw).strip().removeprefix("netbsd-")
    names = availability.branches(view)
    if value in names:
        return value
    br = view.branch(value)
    if br is not None:
        problem = availability.branch_problem(view, br)
        if problem:
            raise SetupError(f"--netbsd {value}: {problem}.  Supported as of {view.as_of}: {', '.join(names)}")
    raise SetupError(f"--netbsd {value!r} is not a NetBSD branch; supported as of {view.as_of}: {', '.join(names)}")


def _violated(values: dict, cons: model.Constraint) -> bool:
    if cons.when is not None and not conditions.evaluate(cons.when, values):
        return False
    return not conditions.evaluate(cons.require, values)


def _broken(values: dict, rules, only: str | None = None) -> model.Constraint | None:
    """The first rule whose dimensions are all set and that ``values`` break;
    with ``only``, just the rules that read that dimension."""
    for cons, needed in rules:
        if (only is None or only in needed) and needed <= values.keys() and _violated(values, cons):
            return cons
    return None


def constraint_message(cons: model.Constraint) -> str:
    return f"{cons.reason} (constraint {cons.id}; it rests on: {cons.fact})"


def recommended(name: str, rec) -> list:
    """The values the recommendation at the as-of date names for a dimension
    whose default is "recommended" (empty for the others)."""
    if name == "xen":
        return [p.xen for p in sorted(rec.packages, key=lambda p: p.key, reverse=True)]
    if name == "netbsd":
        return [rec.netbsd_branch] if rec.netbsd_branch else []
    value = {"toolstack": rec.toolstack, "dom0_arch": rec.dom0_arch, "domu_type": rec.domu_type}.get(name)
    return [value] if value else []


def candidates(name: str, dim: model.Dimension, view, rec) -> list:
    """An unset dimension's values in the order resolve() tries them: the
    recommendation first, then the rest (the guide builder ships this order)."""
    preferred = recommended(name, rec) if dim.default == "recommended" else []
    if name == "xen":
        in_pkgsrc = [p.xen for p in reversed(availability.packages(view))]
        return list(dict.fromkeys(preferred + in_pkgsrc))
    if name == "netbsd":
        return list(dict.fromkeys(preferred + list(reversed(availability.branches(view)[:-1])) + ["current"]))
    if dim.kind == "choice":
        default = [] if dim.default == "recommended" else [dim.default]
        return list(dict.fromkeys(preferred + default + list(dim.choices)))
    default = dim.default
    return [default if dim.kind != "flag" else bool(default)]


def departure_note(dim: model.Dimension, value, wanted: list, blocking: model.Constraint) -> str:
    """The guide's sentence when an unset dimension cannot take the recommended
    value because of the reader's other choices."""
    return (f"{dim.label}: {value}, not the recommended {' or '.join(map(str, wanted))}, because of your other "
            f"choices: {blocking.reason} (constraint {blocking.id}; it rests on: {blocking.fact})")


_PER_DATE: dict = {}


def _per_date(facts, as_of: dt.date, m: model.SetupModel):
    """The view, recommendation and rules at a date: the same for every setup."""
    from xenhowto.facts.recommend import recommend
    from xenhowto.facts.view import View

    key = (id(facts), as_of, id(m))
    if key not in _PER_DATE:
        view = View(facts, as_of)
        if len(_PER_DATE) > 64:  # a build asks about a few dates (the guides' own), a history about many
            _PER_DATE.clear()
        rules = [(c, conditions.names(c.require) | (conditions.names(c.when) if c.when else set()))
                 for c in constraints.all_constraints(m, view)]
        # holding the facts and the model keeps their ids from being reused while the entry lives
        _PER_DATE[key] = (view, recommend(view), rules, derived.tables(view, m), facts, m)
    return _PER_DATE[key][:4]


def resolve(given: dict, as_of: dt.date, facts=None, setup_model: model.SetupModel | None = None) -> Setup:
    """The complete setup for the given values, or SetupError."""
    from xenhowto.facts import load_facts
    from xenhowto.facts.recommend import recommend
    from xenhowto.facts.view import View

    m = setup_model or model.load()
    view, rec, rules, derived_tables = _per_date(facts or load_facts(), as_of, m)
    unknown = sorted(set(given) - set(m.dimensions))
    if unknown:
        raise SetupError(f"unknown setup option(s): {', '.join(unknown)}; known: {', '.join(sorted(m.dimensions))}")

    values: dict[str, object] = {}
    package = None
    for name, raw in given.items():
        if raw is None:
            continue
        dim = m.dimensions[name]
        if name == "xen":
            values["xen"], package = _xen(raw, view)
        elif name == "netbsd":
            values["netbsd"] = _netbsd(raw, view)
        else:
            values[name] = _typed(dim, raw)

    # Constraints among the reader's own choices: the reader must change something.
    cons = _broken(values, rules)
    if cons is not None:
        raise SetupError(f"impossible setup: {constraint_message(cons)}")

    notes = []
    for name, dim in m.dimensions.items():
        if name in values:
            continue
        options = candidates(name, dim, view, rec)
        if not options:
            raise SetupError(f"no {dim.label} is available as of {as_of}")
        for candidate in options:
            trial = dict(values, **{name: candidate})
            if _broken(trial, rules, only=name) is None:
                values[name] = candidate
                break
        else:
            reasons = []
            for candidate in options:
                blocking = _broken(dict(values, **{name: candidate}), rules, only=name)
                if blocking is not None and constraint_message(blocking) not in [r for _, r in reasons]:
                    reasons.append((candidate, constraint_message(blocking)))
            why = "; ".join(f"{c}: {r}" for c, r in reasons) or "no choice fits"
            raise SetupError(f"no {dim.label} fits the other choices ({why})")
        wanted = recommended(name, rec) if dim.default == "recommended" else []
        if wanted and values[name] not in wanted:
            blocking = _broken(dict(values, **{name: wanted[0]}), rules, only=name)
            if blocking is not None:
                notes.append(departure_note(dim, values[name], wanted, blocking))

    if package is None:
        package = next(p for p in view.facts.packages if p.xen == values["xen"])
    values = derived.add(values, derived_tables)
    notes += m.incomplete_notes(values)
    return Setup(values=values, package=package.name, tools=package.tools, as_of=as_of, notes=notes)
