"""One day either side of each kind of boundary, with the dates taken from
shared/reference/FACTS.md: a package added and removed, a Xen release, a
support end (to the day and to the month), a NetBSD release and end of life,
and the 2026-02-12 support extension."""
from __future__ import annotations

import datetime as dt

import pytest

from facts_helpers import view
from xenhowto.facts import prose
from xenhowto.facts.recommend import recommend
from xenhowto.facts.view import GONE, PRESENT, SECURITY, UNKNOWN_PRESENCE, UNSUPPORTED


def day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def in_pkgsrc(day: str) -> set[str]:
    return {p.name for p in view(day).packages()}


@pytest.mark.parametrize("name, added", [("xenkernel45", "2015-01-20"), ("xenkernel46", "2016-07-04"),
                                         ("xenkernel418", "2023-11-21")])
def test_package_added(name, added):
    assert name not in in_pkgsrc(day_before(added))
    assert name in in_pkgsrc(added)


def test_package_added_changes_recommendation():
    # xenkernel45 enters pkgsrc 2015-01-20; Xen 4.5 (2015-01-15) is security-supported
    assert recommend(view("2015-01-19")).names == ["xenkernel42"]
    assert recommend(view("2015-01-20")).names == ["xenkernel42", "xenkernel45"]


def presence(day: str, name: str) -> str:
    v = view(day)
    return v.presence(v.package(name))


def test_package_removed_in_a_range_is_unknown_inside_it():
    # xenkernel3: still there 2017-03-30 (xenkernel48 added), gone from sysutils/Makefile of 2017-10-07
    assert presence("2017-03-30", "xenkernel3") == PRESENT and "xenkernel3" in in_pkgsrc("2017-03-30")
    assert presence("2017-03-31", "xenkernel3") == UNKNOWN_PRESENCE and "xenkernel3" not in in_pkgsrc("2017-03-31")
    assert presence("2017-10-06", "xenkernel3") == UNKNOWN_PRESENCE
    assert presence("2017-10-07", "xenkernel3") == GONE


def test_package_whose_removal_nobody_recorded_is_unknown_not_present():
    # xenkernel411: last stored update 2022-06-23, removal date not found (FACTS.md)
    assert presence("2022-06-23", "xenkernel411") == PRESENT
    assert presence("2022-06-24", "xenkernel411") == UNKNOWN_PRESENCE
    assert presence("2026-12-01", "xenkernel411") == UNKNOWN_PRESENCE
    assert "xenkernel411" not in in_pkgsrc("2026-12-01")


def test_xen_release_out():
    # Xen 4.8 released 2016-12-05
    assert "4.8" not in prose.not_in_pkgsrc(view("2016-12-04"))
    assert "4.8 (released 2016-12)" in prose.not_in_pkgsrc(view("2016-12-05"))


def test_support_end_to_the_day():
    # Xen 4.15: security support until 2024-04-08
    rel = view("2024-04-08").release("4.15")
    assert view("2024-04-08").status(rel) == SECURITY
    assert view("2024-04-09").status(rel) == UNSUPPORTED


def test_support_end_to_the_month():
    # Xen 4.2: security support until 2015-09 (month only): runs through 2015-09-30
    rel = view("2015-09-30").release("4.2")
    assert view("2015-09-30").status(rel) == SECURITY
    assert view("2015-10-01").status(rel) == UNSUPPORTED
    assert "xenkernel42" in recommend(view("2015-09-30")).names
    assert "xenkernel42" not in recommend(view("2015-10-01")).names


@pytest.mark.parametrize("branch, released, previous", [("7", "2015-09-25", "6"), ("10", "2024-03-28", "9")])
def test_branch_release(branch, released, previous):
    assert recommend(view(day_before(released))).netbsd_branch == previous
    assert recommend(view(released)).netbsd_branch == branch


def test_branch_end_of_life():
    # netbsd-5 end of life 2015-11-11
    assert "netbsd-5," in prose.netbsd(view("2015-11-11"))
    assert "netbsd-5," not in prose.netbsd(view("2015-11-12"))


def test_extension_announced_2026_02_12():
    # Xen 4.18's security support: 2026-11-16 as released, 2028-11-16 from 2026-02-12
    before, on = view("2026-02-11"), view("2026-02-12")
    assert before.support(before.release("4.18")).security.text == "2026-11-16"
    assert on.support(on.release("4.18")).security.text == "2028-11-16"
    # 4.17's security support had ended 2025-12-12; the extension revived it
    assert before.status(before.release("4.17")) == UNSUPPORTED
    assert on.status(on.release("4.17")) == SECURITY
    # the original value stays visible in the table until the announcement
    assert "2026-11-16" in prose.versions_table(before)
    assert "2028-11-16 (extended 2026-02-12)" in prose.versions_table(on)


def test_extension_keeps_xenkernel418_recommended_after_its_original_end():
    # without the extension, 4.18 would have lost security support after 2026-11-16
    assert "xenkernel418" in recommend(view("2026-11-17")).names
