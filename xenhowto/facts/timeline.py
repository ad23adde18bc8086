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
that day, so what depends on it changes the day after; so does an event known
only to come after a date (nobody recorded when a package left pkgsrc).
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
    ("PointRelease", "date"): "NetBSD {version} released",
    ("BuildReport", "date"): "{s}: {part} on NetBSD {branch} ({arch}) reported as {result}",
    ("SupportPolicy", "announced"): "Xen support policy announced: {text}",
    ("uefi", "date"): "UEFI firmware for HVM guests ({v})",
}
# Lists of observations read better with the list's name.
LIST_PHRASES: dict[str, str] = {
    "security": "{s}: security patches observed as {v}",
    "rcd_toolstack": "{s}: rc.d scripts observed to use {v}",
    "notes": "{s}: {v}",
    "observations": "{s} observed {v}",
    "pv32_guests": "{s}: 32-bit PV guests observed as {v}",
    "binary_packages": "{s}: binary packages observed for NetBSD {v}",
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
    def _only_after(self) -> bool:
        """An event known only to come after a date (a removal nobody dated)."""
        return isinstance(self.when, Event) and self.when.by is None and self.when.after is not None

    @property
    def date(self) -> dt.date:
        """The day the fact is dated by (the reading rule's day); for an event
        known only to come after a date, that date."""
        if self._only_after:
            return self.when.after.latest
        return self.when.effective if isinstance(self.when, Event) else self.when.latest

    @property
    def changes_on(self) -> dt.date:
        """The first day on which the facts read differently because of it."""
        ends = self.ends or self._only_after
        return self.date + dt.timedelta(days=1) if ends and self.date < dt.date.max else self.date

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
    """A fact kind of SUBJECTS names itself; a part of one (an amendment, an
    observation) takes its owner's name; a kind of its own its name."""
    name = type(obj).__name__
    fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if name in SUBJECTS:
        try:
            return SUBJECTS[name].format(**fields)
        except (KeyError, IndexError):
            pass
    if parent:
        return parent
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
    for attr in _VALUE_FIELDS + ("config",):
        value = obj.get(attr) if isinstance(obj, dict) else getattr(obj, attr, None)
        if isinstance(value, (list, tuple)) and value:
            return ", ".join(str(v) for v in value)
        if isinstance(value, str) and value:
            return value
    return ""


def _fields(owner) -> dict[str, str]:
    """The owner's plain fields, for phrases that name them ({version}, {part})."""
    if isinstance(owner, dict):
        items = owner.items()
    elif dataclasses.is_dataclass(owner):
        items = ((f.name, getattr(owner, f.name)) for f in dataclasses.fields(owner))
    else:
        return {}
    return {str(k): v for k, v in items if isinstance(v, (str, int))}


def _fact(value, key: str, kind: str, field: str, subject: str, source: str, list_name: str | None,
          owner) -> DatedFact:
    phrase = (LIST_PHRASES.get(list_name or "") if field == "date" else None) \
        or PHRASES.get((kind, field)) or "{s}: " + field.replace("_", " ")
    try:
        text = phrase.format(**_fields(owner), s=subject or kind.replace("_", " "), v=_value(owner), d=value.shown())
    except (KeyError, IndexError):  # a phrase naming a field this fact does not have
        text = f"{subject or kind}: {field.replace('_', ' ')}"
    return DatedFact(key, subject or kind, field, text, value, source, is_end(field))


def _walk(obj, key: str, subject: str, list_name: str | None, out: list[DatedFact], kind: str = "") -> None:
    if isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            ident = _ident(item) if dataclasses.is_dataclass(item) else None
            _walk(item, f"{key}/{ident or i}", subject, list_name, out, kind)
        return
    if isinstance(obj, dict):  # a fact kept as a mapping (e.g. uefi: package, config, date, source)
        source = obj.get("source") if isinstance(obj.get("source"), str) else ""
        for k, v in obj.items():
            if isinstance(v, (FuzzyDate, Event)):
                out.append(_fact(v, f"{key}/{k}", kind, str(k), subject, source, None, obj))
            else:
                _walk(v, f"{key}/{k}", subject, list_name, out, str(k))
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
            out.append(_fact(value, f"{key}/{f.name}", kind, f.name, here, source, list_name, obj))
        elif isinstance(value, (list, tuple, dict)) or dataclasses.is_dataclass(value):
            _walk(value, f"{key}/{f.name}", here, f.name if isinstance(value, (list, tuple)) else list_name,
                  out, f.name)


def dated_facts(facts: Facts) -> list[DatedFact]:
    """Every dated fact, by the day it is dated by, then by key (stable)."""
    out: list[DatedFact] = []
    for f in dataclasses.fields(facts):
        if f.name not in SKIPPED_FIELDS:
            _walk(getattr(facts, f.name), f.name, "", None, out, f.name)
    return sorted(out, key=lambda d: (d.date, d.key))


def change_days(facts: Facts) -> list[dt.date]:
    """Every day on which some fact may change what the facts say, sorted."""
    return sorted({d.changes_on for d in dated_facts(facts)})
