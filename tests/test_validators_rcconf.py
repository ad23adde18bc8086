"""/etc/rc.conf: sh syntax, known variables, the Xen daemon rules of the HOWTO."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.validators.rcconf import validate_rcconf


def errors(text, **options):
    return [f for f in validate_rcconf(text, "/etc/rc.conf", **options) if f.severity == "error"]


@pytest.mark.parametrize("text,xen,toolstack", [
    ("xend=YES\nxenbackendd=YES\n", "3.3", "xm"),  # the HOWTO, for xm (3.1 and 3.3)
    ("xencommons=YES\n", "4.6", "xl"),  # the HOWTO, for xl (4.x)
    ("xencommons=YES\nxend=YES\n", "4.2", "xm"),  # HOWTO 2015 for 4.2 with xm
    ("rc_configured=YES\nhostname=dom0\nxencommons=YES\npowerd=YES\nxendomains=\"foo bar\"\n", "4.18", "xl"),
])
def test_the_howtos_settings_are_complete_and_right(text, xen, toolstack):
    assert validate_rcconf(text, "rc.conf", xen=xen, toolstack=toolstack, complete=True) == []


def test_xend_with_xl_on_46_is_rejected():
    (f,) = errors("xencommons=YES\nxend=YES\n", xen="4.6", toolstack="xl")
    assert f.line == 2 and "removed in Xen 4.5" in f.message


def test_xend_with_xl_on_42_is_only_a_warning():
    result = validate_rcconf("xencommons=YES\nxend=YES\n", "r", xen="4.2", toolstack="xl")
    assert [f.severity for f in result] == ["warning"]


def test_missing_daemons_only_when_the_file_is_complete():
    messages = [f.message for f in errors("xend=YES\n", xen="4.6", toolstack="xl", complete=True)]
    assert len(messages) == 2 and any("needs xencommons=YES" in m for m in messages)
    assert errors("xendomains=\"foo\"\n", xen="4.6") == []  # a snippet need not list everything
    assert {f.message.split(" needs ")[1] for f in errors("", xen="3.3", toolstack="xm", complete=True)} == \
        {"xend=YES", "xenbackendd=YES"}


def test_yes_no_values_and_xendomains():
    assert "checkyesno" in errors("xencommons=YEP\n")[0].message
    assert errors("xencommons=yes\npowerd=True\nsshd=1\n") == []
    assert "not YES" in errors("xendomains=YES\n")[0].message


def test_unknown_variable_is_a_warning():
    (f,) = validate_rcconf("xencommon=YES\n", "r")
    assert f.severity == "warning" and "xencommon" in f.message


def test_shell_syntax_error_has_its_line():
    (f,) = errors("xencommons=YES\nxend=\"YES\n", first_line=50)
    assert f.line == 51 and "sh cannot parse" in f.message


def test_impossible_toolstack():
    assert "removed in Xen 4.5" in errors("xend=YES\n", xen="4.6", toolstack="xm")[0].message


@settings(max_examples=40, deadline=None)  # one sh process per example
@given(st.lists(st.sampled_from(list("abxY=ESNO \"'\n$#;{}()") + ["xend", "xencommons"]),
                max_size=30).map("".join))
def test_never_raises(text):
    for f in validate_rcconf(text, "r", 9, xen="4.6", complete=True):
        assert f.line >= 9
