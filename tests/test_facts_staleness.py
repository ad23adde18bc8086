"""Hand-written "as of YYYY-MM" older than the as-of date by more than the
window (12 months by default) is reported with file:line."""
from __future__ import annotations

import datetime as dt

from xenhowto.facts.staleness import stale_in_pages, stale_mentions

TEXT = """Intro.

xenkernel41 provides Xen 4.1.  As of 2014-12 it receives
backported security patches.  The rc.d scripts do not support this
as of 2014-12-26.  As
of 2016-12, security patches were applied.
As of NetBSD 6, a domU supports multiple vcpus.
"""


def lines(findings):
    return [f.line for f in findings]


def test_reports_each_old_mention_with_its_line():
    found = stale_mentions(TEXT, "docs/p.mdwn", dt.date(2018, 6, 1))
    assert lines(found) == [3, 5, 5]  # a phrase broken across lines is at its first line
    assert all(f.path == "docs/p.mdwn" and f.severity == "warning" for f in found)
    assert '"As of 2014-12" is 42 months before the as-of date 2018-06-01' in found[0].message
    assert '"As of 2016-12"' in found[2].message  # the line break is shown as a space


def test_window_boundary_month_precision():
    # "as of 2016-12" counts from 2016-12-31: stale after 2017-12-31
    assert stale_mentions("as of 2016-12", "p", dt.date(2017, 12, 31)) == []
    assert lines(stale_mentions("as of 2016-12", "p", dt.date(2018, 1, 1))) == [1]


def test_window_boundary_day_precision():
    assert stale_mentions("As of 2014-12-26", "p", dt.date(2015, 12, 26)) == []
    assert lines(stale_mentions("As of 2014-12-26", "p", dt.date(2015, 12, 27))) == [1]


def test_configurable_window():
    assert stale_mentions("as of 2016-12", "p", dt.date(2018, 6, 1), window_months=24) == []
    assert len(stale_mentions("as of 2016-12", "p", dt.date(2018, 6, 1), window_months=3)) == 1


def test_not_a_real_date():
    [f] = stale_mentions("as of 2016-13", "p", dt.date(2018, 6, 1))
    assert "not a real date" in f.message


def test_pages_under_docs(tmp_path):
    (tmp_path / "ports").mkdir()
    (tmp_path / "ports" / "a.mdwn").write_text("ok\nas of 2015-01\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.mdwn").write_text("as of 2001-01\n")  # templates are not pages
    (tmp_path / "b.md").write_text("as of 2001-01\n")  # only .mdwn
    [f] = stale_in_pages(str(tmp_path), dt.date(2020, 1, 1))
    assert f.path.endswith("ports/a.mdwn") and f.line == 2
