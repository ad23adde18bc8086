"""/boot.cfg: boot.cfg(5) grammar and the Xen rules, on the HOWTO's own lines."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.validators.bootcfg import validate_bootcfg

BASIC = "menu=Xen:load /netbsd-XEN3_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=256M"
SERIAL = ("menu=Xen:load /netbsd-XEN3_DOM0.gz console=com0;multiboot /xen.gz dom0_mem=256M "
          "console=com1 com1=9600,8n1")
RAID = """menu=Xen:load /netbsd-XEN3PAE_DOM0.gz console=pc;multiboot /xen.gz dom0_mem=256M
menu=Xen.ok:load /netbsd-XEN3PAE_DOM0.ok.gz console=pc;multiboot /xen.ok.gz dom0_mem=256M
menu=GENERIC:boot
menu=GENERIC single-user:boot -s
menu=GENERIC.ok:boot netbsd.ok
menu=Drop to boot prompt:prompt
default=1
timeout=30
"""


def errors(text, **options):
    return [f for f in validate_bootcfg(text, "/boot.cfg", **options) if f.severity == "error"]


@pytest.mark.parametrize("text,arch", [(BASIC, "amd64"), (SERIAL, "amd64"), (RAID, "i386"), (BASIC, None),
                                       (BASIC + " dom0_max_vcpus=1 dom0_vcpus_pin", "amd64")])
def test_the_howtos_lines_are_fine(text, arch):
    assert validate_bootcfg(text, "/boot.cfg", arch=arch) == []


def test_wrong_kernel_for_the_architecture():
    (f,) = errors(RAID.splitlines()[0], arch="amd64")
    assert "netbsd-XEN3_DOM0.gz" in f.message
    (f,) = errors(BASIC, arch="i386")
    assert "XEN3PAE_DOM0" in f.message
    assert errors(BASIC.replace("XEN3_DOM0", "XEN3_DOMU"))  # a domU kernel as dom0


@pytest.mark.parametrize("value,ok", [("256M", True), ("1024M", True), ("2G", True), ("min:512M,max:2G", True),
                                      ("-1G", True), ("256MB", False), ("256 M", False), ("", False),
                                      ("lots", False)])
def test_dom0_mem_forms(value, ok):
    assert (errors(f"menu=Xen:load /netbsd-XEN3_DOM0.gz;multiboot /xen.gz dom0_mem={value}") == []) == ok


def test_dom0_mem_without_unit_or_missing_is_a_warning():
    for text in ("menu=Xen:load /netbsd-XEN3_DOM0.gz;multiboot /xen.gz dom0_mem=262144",
                 "menu=Xen:load /netbsd-XEN3_DOM0.gz;multiboot /xen.gz"):
        result = validate_bootcfg(text, "b")
        assert [f.severity for f in result] == ["warning"]


def test_serial_console_must_be_set_on_both_sides():
    assert "console=com1" in errors(BASIC.replace("console=pc", "console=com0"))[0].message
    assert errors(BASIC + " console=com1 com1=115200,8n1")  # Xen on serial, NetBSD on pc
    assert "Xen's com2" in errors(SERIAL.replace("console=com0", "console=com1"))[0].message
    assert errors(SERIAL.replace("com1=9600,8n1", "com1=fast"))


def test_broken_menu_lines():
    assert "without `:`" in errors("menu=Xen load /netbsd-XEN3_DOM0.gz")[0].message
    assert "not a boot loader command" in errors("menu=Xen:lod /netbsd-XEN3_DOM0.gz")[0].message
    assert "never runs" in " ".join(f.message for f in errors(
        "menu=Xen:multiboot /xen.gz dom0_mem=256M;load /netbsd-XEN3_DOM0.gz"))
    assert "ignores it" in errors("menu Xen:boot\n")[0].message
    assert "not a boot.cfg keyword" in errors("tiemout=5\n")[0].message


def test_line_numbers_count_from_first_line():
    (f,) = [x for x in validate_bootcfg("timeout=5\nmenu=Broken\n", "p", 300) if x.severity == "error"]
    assert f.line == 301


def test_comments_and_prefix_keys_follow_the_loader():
    assert validate_bootcfg("# comment\n\nmenu=Boot:boot # trailing\n", "b")[0].severity == "warning"
    assert "read as `menu`" in validate_bootcfg("menus=Boot:boot\n", "b")[0].message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "amd64", "i386"]))
def test_never_raises(text, arch):
    for f in validate_bootcfg(text, "p", 3, arch=arch):
        assert f.line >= 3
