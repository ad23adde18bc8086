"""The two dates of the seed diff: built as of 2015-01-04 the generated text
says what revision 1.74 of the HOWTO said, as of 2016-12-20 what revision
1.115 said (/work/shared/seed, left and right columns).  The facts asserted
are quoted from those revisions (and from shared/reference/FACTS.md), not
copied from the code's output."""
from __future__ import annotations

import datetime as dt

import json

import pytest

from facts_helpers import DATA, flat, view
from xenhowto.cli import main
from xenhowto.facts import prose
from xenhowto.facts.recommend import recommend


def section(day: str, fn) -> str:
    return flat(fn(view(day)))


# --- 2016-12-20, revision 1.115 ------------------------------------------------

R115 = "2016-12-20"


def test_1115_recommendation_rule():
    rec = recommend(view(R115))
    # "this HOWTO recommends running xenkernel45 or xenkernel46, xl, the NetBSD 7
    # stable branch, and to use an amd64 kernel as the dom0"
    assert set(rec.names) <= {"xenkernel45", "xenkernel46"} and rec.names
    assert rec.toolstack == "xl"
    assert rec.netbsd_branch == "7"
    assert rec.dom0_arch == "amd64"
    # "Either the i386PAE or amd64 version of NetBSD may be used as domUs."
    assert set(rec.domu_archs) == {"i386pae", "amd64"}


def test_1115_recommendation_text():
    text = section(R115, prose.recommendation)
    assert "xenkernel45 or xenkernel46" in text
    assert "xl, the NetBSD 7 stable branch, and to use an amd64 kernel as the dom0" in text
    assert "Either the i386PAE or amd64 version of NetBSD may be used as domUs." in text


@pytest.mark.parametrize("facts", [
    # xenkernel3
    ["xenkernel3 provides Xen 3.1.", "no longer maintained by Xen", "the last applied security patch was in 2011",
     "should not be used", "PCI passthrough, which is why people use it anyway",
     "Xen 3.1 supports i386, both PAE and non-PAE."],
    # xenkernel33
    ["xenkernel33 provides Xen 3.3.", "the last applied security patch was in 2012",
     "Xen 3.3 supports i386, but only in PAE mode."],
    # xenkernel41
    ["xenkernel41 provides Xen 4.1.", "as of 2016-12", "backported security patches",
     "Xen 4.1 supports i386, but only in PAE mode.", "There are no good reasons to run this version."],
    # xenkernel42
    ["xenkernel42 provides Xen 4.2.", "Xen 4.2 supports i386, but only in PAE mode.",
     "The only reason to run this is if you need to use xm instead of xl, or if you need to run an i386 dom0 "
     "(because your hardware is i386 only)."],
    # xenkernel45 / 46
    ["xenkernel45 provides Xen 4.5.", "As of 2016-12, security patches were released by Xen and applied to pkgsrc.",
     "Xen 4.5 requires an amd64 dom0, but domUs can be amd64 or i386 PAE."],
    ["xenkernel46 provides Xen 4.6.", "new to pkgsrc",
     "Xen 4.6 requires an amd64 dom0, but domUs can be amd64 or i386 PAE."],
])
def test_1115_package_paragraphs(facts):
    paragraphs = prose.packages(view(R115)).strip().split("\n\n")
    para = next(flat(p) for p in paragraphs if flat(p).startswith(facts[0]))
    for fact in facts[1:]:
        assert fact in para, (fact, para)


def test_1115_backported_patches_for_41_and_42():
    text = section(R115, prose.packages)
    for name in ("xenkernel41", "xenkernel42"):
        para = next(p for p in prose.packages(view(R115)).split("\n\n") if p.startswith(name))
        assert "no longer maintained by Xen" in flat(para)
        assert "as of 2016-12 it received backported security patches" in flat(para)
    assert text.index("xenkernel3 ") < text.index("xenkernel46 ")  # oldest first


def test_1115_not_in_pkgsrc_line():
    assert section(R115, prose.not_in_pkgsrc) == \
        "Xen 4.7 (released 2016-06) and 4.8 (released 2016-12) are not yet in pkgsrc."


def test_1115_xm_xl():
    text = section(R115, prose.toolstacks)
    assert "Early Xen used a program called xm to manipulate the system from the dom0." in text
    assert "Starting in 4.1, a replacement program with similar behavior called xl is provided, " \
           "but it does not work well in 4.1." in text
    assert "In 4.2, both xm and xl work fine" in text
    assert "4.4 is the last version that has xm." in text
    assert "You must choose one or the other, because it affects which daemons you run." in text
    assert "rc.d scripts provided by the xentools packages" in text


def as_wiki(text: str, day=None) -> str:
    """The typed examples of generated text as the wiki shows them."""
    from xenhowto.ikiwiki.context import WIKI, PageContext
    from xenhowto.ikiwiki.expand import expand

    ctx = PageContext(path="t.mdwn", page="t", target=WIKI, as_of=dt.date.fromisoformat(day or R115))
    out = expand(text, ctx)
    assert not ctx.findings, ctx.findings
    return out


def test_1115_daemons():
    raw = prose.daemons(view(R115))
    text = flat(raw)
    assert "The Xen 3.1 and 3.3 packages use xm." in text
    assert "Xen 4.1 and higher packages use xl." in text
    assert "For xm (Xen 3.1 and 3.3), enable xend and xenbackendd" in text
    # the blocks are typed rc.conf examples rendered from data/toolstacks.yaml
    assert "[[!file path=/etc/rc.conf action=append template=rc.conf toolstack=xm xen=3.3]]" in raw
    assert "[[!file path=/etc/rc.conf action=append template=rc.conf toolstack=xl xen=4.6]]" in raw
    exported = as_wiki(raw)
    assert "    xend=YES\n    xenbackendd=YES\n" in exported
    assert "    xencommons=YES\n" in exported
    assert "Trying to boot 4.x without xencommons=YES will result in a hang" in text
    # 1.115 no longer supports xm with 4.x: no "xencommons=YES / xend=YES" block
    assert "xencommons=YES\n    xend=YES" not in exported


def test_1115_netbsd():
    text = section(R115, prose.netbsd)
    assert "The netbsd-6, netbsd-7, and -current branches are all reasonable choices" in text
    assert "netbsd-5," not in text.split(".")[0]
    assert "netbsd-7 is recommended as the stable version of the most recent release for production use" in text
    assert "netbsd-7 is still likely most appropriate, but -current is also a reasonable choice" in text
    assert "Xen runs fine on netbsd-5, but the xentools packages are likely difficult to build." in text


def test_1115_json(capsys):
    assert main(["versions", "--as-of", R115, "--format", "json", "--data-dir", str(DATA)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == R115
    rec = out["recommendation"]
    assert set(rec["packages"]) <= {"xenkernel45", "xenkernel46"} and rec["packages"]
    assert (rec["toolstack"], rec["netbsd_branch"], rec["dom0_arch"]) == ("xl", "7", "amd64")
    names = {p["name"]: p for p in out["packages"]}
    # in pkgsrc at 2016-12-20 (the six packages 1.115 describes)
    assert set(names) == {"xenkernel3", "xenkernel33", "xenkernel41", "xenkernel42", "xenkernel45", "xenkernel46"}
    assert names["xenkernel46"]["xen"] == "4.6"
    # FACTS.md: 4.6 general support to 2017-04, 4.5 to 2016-07 (security to 2018-01), 4.2 security to 2015-09
    assert names["xenkernel46"]["status"] == "supported"
    assert names["xenkernel45"]["status"] == "security-only"
    assert names["xenkernel42"]["status"] == "unsupported"
    assert [r["xen"] for r in out["xen_not_in_pkgsrc"]] == ["4.7", "4.8"]


# --- 2015-01-04, revision 1.74 ---------------------------------------------------

R74 = "2015-01-04"


def test_174_recommendation():
    rec = recommend(view(R74))
    # "this HOWTO recommends running xenkernel42 (and xentools42), xl, the NetBSD 6
    # stable branch, and to use an amd64 kernel as the dom0"
    assert rec.names == ["xenkernel42"]
    assert (rec.toolstack, rec.netbsd_branch, rec.dom0_arch) == ("xl", "6", "amd64")
    text = section(R74, prose.recommendation)
    assert "xenkernel42 (and xentools42), xl, the NetBSD 6 stable branch, and to use an amd64 kernel as the dom0" \
        in text


def test_174_packages():
    paragraphs = {p.split()[0]: flat(p) for p in prose.packages(view(R74)).strip().split("\n\n")}
    # 4.5 (added to pkgsrc 2015-01-20) and later are not there yet
    assert list(paragraphs) == ["xenkernel3", "xenkernel33", "xenkernel41", "xenkernel42"]
    for name, xen in (("xenkernel3", "3.1"), ("xenkernel33", "3.3")):
        # "These no longer receive security patches and should not be used."
        assert f"provides Xen {xen}" in paragraphs[name]
        assert "no longer receives security patches" in paragraphs[name]
        assert "should not be used" in paragraphs[name]
    assert "Xen 3.1 supports PCI passthrough." in paragraphs["xenkernel3"]
    assert "non-PAE" in paragraphs["xenkernel3"]
    # "This is no longer maintained by Xen, but as of 2014-12 receives backported
    # security patches.  It is a reasonable although trailing-edge choice."
    assert "no longer maintained by Xen" in paragraphs["xenkernel41"]
    assert "as of 2014-12" in paragraphs["xenkernel41"] and "backported security patches" in paragraphs["xenkernel41"]
    assert "reasonable although trailing-edge choice" in paragraphs["xenkernel41"]
    # "xenkernel42 provides Xen 4.2.  This is maintained by Xen, but old as of 2014-12."
    assert "maintained by Xen, but old" in paragraphs["xenkernel42"]


def test_174_xm_xl_and_daemons():
    text = section(R74, prose.toolstacks)
    assert "Starting in 4.1" in text and "xl is preferred" in text
    assert "4.4 is the last version that has xm." in text
    raw = prose.daemons(view(R74))
    d = flat(raw)
    # "For 3.3 (and thus xm) ... xend=YES xenbackendd=YES"; "For 4.1 (and thus xm) ...
    # xencommons=YES xend=YES"; "For 4.2 with xl (preferred), add to rc.conf: xencommons=YES"
    assert "enable xend and xenbackendd" in d
    assert "    xencommons=YES\n    xend=YES" in as_wiki(raw, R74)
    assert "For xl (Xen 4.2)" in d
    # "Do NOT enable xend if you plan on using xl as it will cause problems."
    assert "Do not enable xend with xl" in d and "cause problems" in d


def test_174_netbsd():
    text = section(R74, prose.netbsd)
    assert "The netbsd-5, netbsd-6, netbsd-7, and -current branches are all reasonable choices" in text
    assert "netbsd-6 is recommended as the stable version of the most recent release for production use" in text
    # "For those wanting to learn Xen or without production stability concerns,
    # netbsd-7 is likely most appropriate."
    assert "without production stability concerns, netbsd-7" in text and "likely most appropriate" in text
    assert "netbsd-5, but the xentools" not in text  # said only from 2016-12


def test_174_json(capsys):
    assert main(["versions", "--as-of", R74, "--format", "json", "--data-dir", str(DATA)]) == 0
    out = json.loads(capsys.readouterr().out)
    rec = out["recommendation"]
    assert (rec["packages"], rec["toolstack"], rec["netbsd_branch"], rec["dom0_arch"]) == \
        (["xenkernel42"], "xl", "6", "amd64")
    assert {p["name"] for p in out["packages"]} == {"xenkernel3", "xenkernel33", "xenkernel41", "xenkernel42"}
    # "Ideally newer versions of Xen will be added to pkgsrc": 4.3 and 4.4 were out
    assert [r["xen"] for r in out["xen_not_in_pkgsrc"]] == ["4.3", "4.4"]


# --- today --------------------------------------------------------------------------

def test_today_2026_11_25():
    rec = recommend(view("2026-11-25"))
    # FACTS.md: 4.18 security support extended to 2028-11-16, 4.20 to 2030-03-05;
    # 4.11/4.13/4.15 security support ended 2021-07-10, 2022-12-18, 2024-04-08
    assert rec.names == ["xenkernel418", "xenkernel420"]
    assert (rec.toolstack, rec.netbsd_branch, rec.dom0_arch) == ("xl", "11", "amd64")
    assert section("2026-11-25", prose.not_in_pkgsrc) == \
        "Xen 4.21 (released 2025-11) is not yet in pkgsrc."  # 4.22's release is not confirmed (FACTS.md)
    assert "All the Xen packages now in pkgsrc have only xl." in section("2026-11-25", prose.toolstacks)
    assert "xend" not in section("2026-11-25", prose.daemons)
