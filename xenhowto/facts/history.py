"""When the facts change what they say: every date of data/ at which a
release, a support end, an amendment, a package added or removed, an
observation, a branch's release or end of support takes effect.

``known_on(view)`` is the newest of those dates up to the as-of date: the
generated text says "as known on" that date rather than the build's date, so
two builds a day apart give the same page unless a fact changed between them.
"""
from __future__ import annotations

import datetime as dt

from xenhowto.facts.dates import add_months
from xenhowto.facts.model import Facts
from xenhowto.facts.view import View

ONE_DAY = dt.timedelta(days=1)


def _dates_of(obj) -> list[dt.date]:
    """The days a fuzzy date or event takes effect on (the reading rule), and
    the day after a period that ends on it."""
    if obj is None:
        return []
    if hasattr(obj, "by"):  # an Event
        out = []
        for part in (obj.after, obj.by):
            if part is not None:
                out += [part.latest, part.latest + ONE_DAY]
        return out
    return [obj.latest, obj.latest + ONE_DAY]


_CACHE: dict = {}


def _event_dates(facts: Facts) -> tuple[dt.date, ...]:
    from xenhowto.facts.prose import NEW_MONTHS
    from xenhowto.facts.staleness import DEFAULT_WINDOW_MONTHS

    def noted(o) -> list[dt.date]:  # a note is said as of its date once it is old (staleness.dated)
        return _dates_of(o.date) + [add_months(o.date.latest, DEFAULT_WINDOW_MONTHS) + ONE_DAY]

    out: list[dt.date] = []
    for r in facts.releases.values():
        out += _dates_of(r.released) + _dates_of(r.general_support_end) + _dates_of(r.security_support_end)
        for a in r.amendments:
            out += _dates_of(a.announced) + _dates_of(a.general_support_end) + _dates_of(a.security_support_end)
        out += [d for o in r.observations for d in _dates_of(o.date)]
    for p in facts.packages:
        out += _dates_of(p.added) + _dates_of(p.removed)
        out.append(add_months(p.added.latest, NEW_MONTHS))  # no longer "new to pkgsrc"
        for group in (p.security, p.rcd_toolstack, p.pv32_guests, p.binary_packages):
            out += [d for o in group for d in _dates_of(o.date)]
        out += [d for o in p.notes for d in noted(o)]
        out += [d for r in p.build_reports for d in _dates_of(r.date)]
    for b in facts.branches:
        out += _dates_of(b.branched) + _dates_of(b.released) + _dates_of(b.end_of_life)
        out += [d for pr in b.point_releases for d in _dates_of(pr.date)]
        out += [d for o in b.notes for d in noted(o)]
    if facts.support_policy is not None:
        out += _dates_of(facts.support_policy.announced)
    for ts in facts.toolstacks.values():
        out += [d for o in ts.notes for d in noted(o)]
    if facts.uefi:
        out += _dates_of(facts.uefi["date"])
    return tuple(sorted(set(out)))


def event_dates(facts: Facts) -> tuple[dt.date, ...]:
    """Every date at which some fact of ``facts`` takes effect, sorted."""
    key = id(facts)
    if key not in _CACHE or _CACHE[key][0] is not facts:
        _CACHE.clear()  # one set of facts at a time is what callers use
        _CACHE[key] = (facts, _event_dates(facts))
    return _CACHE[key][1]


def known_on(view: View) -> dt.date:
    """The newest date up to the view's as-of date at which a fact changed."""
    dates = [d for d in event_dates(view.facts) if d <= view.as_of]
    return dates[-1] if dates else view.as_of
