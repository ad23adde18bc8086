"""The reading rule for imprecise dates and ranges (xenhowto.facts.dates)."""
from __future__ import annotations

import datetime as dt

import pytest

from xenhowto.facts.dates import months_between, parse, parse_event


def test_precision_and_last_day():
    assert parse("2015-09").latest == dt.date(2015, 9, 30)
    assert parse("2016-02").latest == dt.date(2016, 2, 29)
    assert parse("2011").latest == dt.date(2011, 12, 31)
    d = parse("~2007-05-18")
    assert d.approx and d.latest == dt.date(2007, 5, 18) and d.shown() == "about 2007-05-18"


@pytest.mark.parametrize("bad", ["2015-13", "2015-02-30", "15-01-01", "2015/01/01", ""])
def test_bad_dates(bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_range_counts_from_its_end():
    e = parse_event({"after": "2017-03-30", "by": "2018-07-24"})
    assert e.effective == dt.date(2018, 7, 24)
    assert e.shown() == "between 2017-03-30 and 2018-07-24"
    assert parse_event({"by": "2022-01-23"}).shown() == "by 2022-01-23"


def test_months_between():
    assert months_between(dt.date(2016, 7, 4), dt.date(2016, 12, 20)) == 5
    assert months_between(dt.date(2015, 12, 20), dt.date(2016, 12, 19)) == 11
