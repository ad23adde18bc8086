"""Every dated fact of the model, found by walking it: each FuzzyDate and
Event held by a fact object (a release, a package, a branch, an amendment, an
observation...), with a sentence saying what happened.  New fact kinds and
new date fields appear here without code changes; a phrase in ``PHRASES``
only makes their sentence read better.

Used by the page history (the dates on which the page may change), the
feed of fact changes and the calendar of upcoming ends of support.

The reading rule of ``dates`` decides when a fact counts: a start (a release,
an addition) from the last day its date can mean; an end (a field named
``*_end`` or ``end_of_life``: the last day of support) is still in force on
that day, so what depends on it changes the day after.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from xenhowto.facts.dates import Event, FuzzyDate
from xenhowto.facts.model import Facts

# Fields that are not facts: where a fact was written, the raw files.
SKIPPED_FIELDS = frozenset({"where", "xen_where", "files"})

# (class, field) -> sentence; {s} is the subject (e.g. "Xen 4.5"), {v} the
# value of the object's main text field, {d} the date as the source gives it.
PHRASES: dict[tuple[str, str], str] = {
    ("XenRelease", "released"): "{s} released",
    ("XenRelease", "general_support_end"): "{s}: last day of general support",
    ("XenRelease", "security_support_end"): "{s}: last day of security support",
    ("Amendment", "announced"): "{s}: support dates amended",
    ("Amendment", "general_support_end"): "{s}: last day of general support (amended)",
    ("Amendment", "security_support_end"): "{s}: last day of security support (amended)",
    ("StatusObservation", "date"): "{s} observed {v}",
    ("Package", "added"): "{s} added to pkgsrc",
    ("Package", "removed"): "{s} removed from pkgsrc",
    ("Branch", "branched"): "{s} branched",
    ("Branch", "released"): "{s}.0 released",
    ("Branch", "end_of_life"): "{s}: end of life",
    ("Observation", "date"): "{s}: {v}",
}
# Lists of observations read better with the list's name.
LIST_PHRASES: dict[str, str] = {
    "security": "{s}: security patches observed as {v}",
    "rcd_toolstack": "{s}: rc.d scripts observed to use {v}",
    "notes": "{s}: {v}",
    "observations": "{s} observed {v}",
}
# How a fact object names itself; other kinds use their name= or version=.
SUBJECTS: dict[str, str] = {
    "XenRelease": "Xen {version}",
    "Package": "{name}",
    "Branch": "NetBSD {name}",
    "Toolstack": "{name}",
    "Kernel": "{name} ({arch} {role})",
}
_VALUE_FIELDS = ("value", "status", "text")
_NAMESPACE = uuid.UUID("2b1c4f0e-7a53-5d0e-9c3a-6f1d2e8b4a90")


@dataclass(frozen=True)
class DatedFact:
    key: str  # stable name of the field, e.g. "releases/4.5/released"
    subject: str  # e.g. "Xen 4.5"
    field: str  # the date field's name, e.g. "released"
    text: str  # the sentence, e.g. "Xen 4.5 released"
    when: FuzzyDate | Event
    source: str
    ends: bool  # an end date: still in force on its day

    @property
    def date(self) -> dt.date:
        """The day the fact is dated by (the reading rule's day)."""
        return self.when.effective if isinstance(self.when, Event) else self.when.latest

    @property
    def changes_on(self) -> dt.date:
        """The first day on which the facts read differently because of it."""
        return self.date + dt.timedelta(days=1) if self.ends else self.date

    @property
    def shown(self) -> str:
        return self.when.shown()

    @property
    def uuid(self) -> str:
        """A permanent identifier of this fact (feed and calendar entries)."""
        return str(uuid.uuid5(_NAMESPACE, self.key))


def is_end(field: str) -> bool:
    return field.endswith("_end") or field == "end_of_life"


def _subject(obj, parent: str) -> str:
    name = type(obj).__name__
    fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if name in SUBJECTS:
        try:
            return SUBJECTS[name].format(**fields)
        except (KeyError, IndexError):
            pass
    for attr in ("name", "version"):
        if isinstance(fields.get(attr), str):
            return fields[attr]
    return parent


def _ident(obj) -> str | None:
    for attr in ("name", "version"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    return None


def _value(obj) -> str:
    for attr in _VALUE_FIELDS:
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _walk(obj, key: str, subject: str, list_name: str | None, out: list[DatedFact]) -> None:
    if isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            ident = _ident(item) if dataclasses.is_dataclass(item) else None
            _walk(item, f"{key}/{ident or i}", subject, list_name, out)
        return
    if isinstance(obj, dict):
        for k in obj:
            _walk(obj[k], f"{key}/{k}", subject, list_name, out)
        return
    if not dataclasses.is_dataclass(obj) or isinstance(obj, (FuzzyDate, Event)):
        return
    kind = type(obj).__name__
    here = _subject(obj, subject)
    source = getattr(obj, "source", "") or ""
    for f in dataclasses.fields(obj):
        if f.name in SKIPPED_FIELDS:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, (FuzzyDate, Event)):
            phrase = (LIST_PHRASES.get(list_name or "") if f.name == "date" else None) \
                or PHRASES.get((kind, f.name)) or "{s}: " + f.name.replace("_", " ")
            text = phrase.format(s=here, v=_value(obj), d=value.shown())
            out.append(DatedFact(f"{key}/{f.name}", here, f.name, text, value, source, is_end(f.name)))
        elif isinstance(value, (list, tuple, dict)) or dataclasses.is_dataclass(value):
            _walk(value, f"{key}/{f.name}" if not isinstance(value, (list, tuple)) else f"{key}/{f.name}",
                  here, f.name if isinstance(value, (list, tuple)) else list_name, out)


def dated_facts(facts: Facts) -> list[DatedFact]:
    """Every dated fact, by the day it is dated by, then by key (stable)."""
    out: list[DatedFact] = []
    for f in dataclasses.fields(facts):
        if f.name not in SKIPPED_FIELDS:
            _walk(getattr(facts, f.name), f.name, "", None, out)
    return sorted(out, key=lambda d: (d.date, d.key))


def change_days(facts: Facts) -> list[dt.date]:
    """Every day on which some fact may change what the facts say, sorted."""
    return sorted({d.changes_on for d in dated_facts(facts)})
