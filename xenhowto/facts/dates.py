"""Dates as the sources give them: to the day, the month or the year, maybe
approximate ("~2007-05-18"), and events known only as a range.

The one reading rule, used for every comparison with the as-of date: a date
counts from the *last* day it can mean ("2015-09" is 2015-09-30, "2011" is
2011-12-31), and an event known only as a range counts from the range's end
(``by``).  So a page never claims something happened before we know it had: a
release of "~2008-01" is out from 2008-01-31, a security support ending
"2015-09" runs through 2015-09-30.

Nor does it claim something still holds when nobody knows: a package removed
"between 2017-10-07 and 2022-01-23" is in pkgsrc through 2017-10-07, gone from
2022-01-23, and of unknown presence in between (``view.View.presence``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_RE = re.compile(r"^(~?)(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date to the day, month or year; ``approx`` when the source hedges."""

    earliest: dt.date
    latest: dt.date
    text: str
    approx: bool = False

    @property
    def precision(self) -> str:
        core = self.text.lstrip("~")
        return {4: "year", 7: "month"}.get(len(core), "day")

    def __str__(self) -> str:
        return self.text

    def month(self) -> str:
        """YYYY-MM (or YYYY), as the HOWTO writes "as of 2016-12"."""
        core = self.text.lstrip("~")
        return core[:7]

    def shown(self) -> str:
        """For prose: the date as precise as the source, "about" if approximate."""
        core = self.text.lstrip("~")
        return f"about {core}" if self.approx else core


def parse(text: str) -> FuzzyDate:
    """Parse "YYYY-MM-DD", "YYYY-MM" or "YYYY" with an optional leading ~;
    raise ValueError with a sentence on anything else (e.g. 2015-02-30)."""
    m = _RE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    approx, year, month, day = bool(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
    try:
        if day:
            d = dt.date(year, int(month), int(day))
            first, last = d, d
        elif month:
            mon = int(month)
            first = dt.date(year, mon, 1)
            last = dt.date(year, mon, calendar.monthrange(year, mon)[1])
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None
    return FuzzyDate(first, last, text.strip(), approx)


@dataclass(frozen=True)
class Event:
    """Something that happened on a date, or at some point in a range.

    ``after`` is the last date it is known not to have happened yet, ``by``
    the first date it is known to have happened; either may be missing when
    nobody recorded it (a removal known only to be after some date)."""

    by: FuzzyDate | None
    after: FuzzyDate | None = None

    @property
    def effective(self) -> dt.date:
        """The date the event counts from (the module's reading rule); an
        event with no ``by`` has not happened as far as anyone recorded."""
        return self.by.latest if self.by is not None else dt.date.max

    @property
    def is_range(self) -> bool:
        return self.after is not None or self.by is None or isinstance(self, _RangeOnly)

    def shown(self) -> str:
        if self.by is None:
            return f"after {self.after.shown()}"
        if self.after is not None:
            return f"between {self.after.shown()} and {self.by.shown()}"
        return self.by.shown()

    def month(self) -> str:
        return (self.by or self.after).month()


class _RangeOnly(Event):
    """A range with only its end known ({by: DATE})."""

    def shown(self) -> str:
        return f"by {self.by.shown()}"


def parse_event(value) -> Event:
    if isinstance(value, dict):
        after = parse(value["after"]) if value.get("after") else None
        by = parse(value["by"]) if value.get("by") else None
        if by is None and after is None:
            raise ValueError("write {after: DATE, by: DATE}, or one of them")
        return Event(by, after) if after else _RangeOnly(by)
    return Event(parse(value))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (negative if later is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
