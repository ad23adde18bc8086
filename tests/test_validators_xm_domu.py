"""xm domU configs (Xen 3.x to 4.4): Python syntax, xm's names, the HOWTO's examples."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.validators.xm_domu import validate_xm_domu

HOWTO_2016 = (Path(__file__).parent / "corpus" / "xl" / "ok-howto-2016-foo.cfg").read_text()


def found(text, xen="3.3"):
    return validate_xm_domu(text, "foo", xen=xen)


def test_the_howtos_example_is_a_good_xm_config():
    assert found(HOWTO_2016, "4.1") == []
    assert found(HOWTO_2016, "3.3") == []


def test_python_is_allowed_but_never_run():
    text = "vmid = 3\nname = 'dom%d' % vmid\nkernel = '/netbsd-XEN3_DOMU'\nimport os\nos.system('false')\n"
    result = found(text)
    assert all(f.severity == "warning" for f in result)
    assert [f.line for f in result] == [1]  # only the helper variable is mentioned


def test_syntax_errors_are_errors_with_their_line():
    (f,) = found("kernel = '/k'\nmemory = \n")
    assert (f.line, f.severity) == (2, "error") and "Python" in f.message


def test_autorestart_is_a_warning_under_xm():
    (f,) = found("kernel = '/k'\nautorestart = True\n")
    assert f.severity == "warning" and "Xen 2" in f.message and "xl rejects it" in f.message


def test_netbsd_vdev_is_a_warning_under_xm_and_bad_mode_an_error():
    result = found("kernel = '/k'\ndisk = [ 'file:/x,wd0,w', 'phy:/dev/wd0e,0x1,rw' ]\n")
    assert {(f.severity, "NetBSD device name" in f.message, "mode" in f.message) for f in result} == \
        {("error", False, True), ("warning", True, False)}


def test_numbers_and_lists():
    assert "must be a number" in found("kernel = '/k'\nmemory = '256M'\n")[0].message
    assert "must be a list" in found("kernel = '/k'\ndisk = 'file:/x,0x0,w'\n")[0].message
    assert found("kernel = '/k'\nmemory = 256\nvcpus = '2'\n") == []


def test_xm_does_not_exist_after_44():
    result = found("kernel = '/k'\n", xen="4.6")
    assert result and "removed in Xen 4.5" in result[0].message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text):
    for f in validate_xm_domu(text, "p", 5, xen="4.1"):
        assert f.line >= 5
