"""xl domU configs beyond syntax: keys per Xen version, values, disks, vifs, kernel."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xenhowto.validators import libxlutil, xen_keys, xl_devices
from xenhowto.validators.xl_domu import validate_xl_domu

CORPUS = Path(__file__).parent / "corpus" / "xl"
HOWTO_2016 = (CORPUS / "ok-howto-2016-foo.cfg").read_text()
needs_libxlutil = pytest.mark.skipif(not libxlutil.available(),
                                     reason=f"libxlutil not available: {libxlutil.reason()}")


def errors(text, **options):
    return [f for f in validate_xl_domu(text, "foo.cfg", **options) if f.severity == "error"]


def messages(text, **options):
    return " | ".join(f.message for f in validate_xl_domu(text, "foo.cfg", **options))


@pytest.mark.parametrize("parser", ["python", "auto"])
@pytest.mark.parametrize("xen", ["4.2", "4.6", "4.18"])
def test_the_howtos_own_example_works(xen, parser):
    assert validate_xl_domu(HOWTO_2016, "howto.mdwn", 600, xen=xen, parser=parser) == []


@pytest.mark.parametrize("name", ["ok-howto-install-cdrom.cfg", "ok-howto-linux-hda.cfg", "ok-howto-pci.cfg"])
def test_the_howtos_other_examples_work_on_46(name):
    assert errors((CORPUS / name).read_text(), xen="4.6") == []


def test_modern_pvh_config_needs_410():
    text = (CORPUS / "ok-modern-pvh.cfg").read_text()
    assert errors(text, xen="4.18") == []
    found = errors(text, xen="4.6")
    assert [f.line for f in found] == [3] and "4.10" in found[0].message


def test_autorestart_true_is_rejected_under_xl_with_the_upgrade_rule():
    found = errors("kernel = '/netbsd-XEN3_DOMU'\nmemory = 64\nautorestart = True\n", xen="4.6")
    assert {f.line for f in found} == {3}
    text = " ".join(f.message for f in found)
    assert "no booleans" in text and "autorestart" in text and "upgrade rule" in text


def test_autorestart_as_a_number_is_still_unknown_to_xl():
    found = errors("kernel = '/k'\nautorestart = 1\n", xen="4.18")
    assert len(found) == 1 and "Xen 2" in found[0].message


def test_netbsd_device_name_as_vdev_is_rejected_and_0x0_suggested():
    found = errors("kernel = '/k'\ndisk = [ 'file:/n0/xen/foo-wd0,wd0,w' ]\n", xen="4.6")
    assert len(found) == 1 and found[0].line == 2
    assert "NetBSD device name" in found[0].message and "0x0" in found[0].message


@pytest.mark.parametrize("vdev", ["wd0", "sd0", "xbd0", "wd0a", "xbd1d", "/dev/wd0e"])
def test_netbsd_names_are_never_vdevs(vdev):
    assert xl_devices.vdev_problem(vdev) is not None


@pytest.mark.parametrize("vdev", ["0x0", "0x1", "0x301", "51712", "0", "xvda", "xvdb3", "hda", "hda1",
                                  "hdd63", "sda", "sdp15", "d0p1", "xvdaa"])
def test_xen_vdevs_are_accepted(vdev):
    assert xl_devices.vdev_problem(vdev) is None


@pytest.mark.parametrize("vdev", ["hde", "sda16", "xvda0", "hda01", "-1", "0x80000000", "vda", "xvdA"])
def test_bad_vdevs_are_rejected(vdev):
    assert xl_devices.vdev_problem(vdev) is not None


def test_old_disk_form_needs_its_prefix():
    found = errors("kernel = '/k'\ndisk = [ '/n0/xen/foo-wd0,0x0,w' ]\n", xen="4.6")
    assert len(found) == 1 and "file: or phy: prefix" in found[0].message


def test_mac_addresses_need_six_pairs_and_must_be_unicast():
    assert "six two-digit" in messages("kernel = '/k'\nvif = [ 'mac=aa:00:00:d1:00,bridge=bridge0' ]\n")
    assert "multicast" in messages("kernel = '/k'\nvif = [ 'mac=01:00:5e:00:00:01' ]\n")
    assert "used twice" in messages("kernel = '/k'\nvif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' ]\n")
    assert errors("kernel = '/k'\nvif = [ 'mac=00:16:3e:00:00:01, bridge=bridge0', '' ]\n") == []


def test_unknown_vif_option_is_an_error():
    found = errors("kernel = '/k'\nvif = [ 'bridge=bridge0,brdige=x' ]\n")
    assert len(found) == 1 and "brdige" in found[0].message


def test_numbers_where_xl_reads_numbers():
    assert "512M" in messages("kernel = '/k'\nmemory = '512M'\n")
    assert errors("kernel = '/k'\nmemory = '512'\nvcpus = 0x2\n") == []  # quoted digits are fine for xl
    assert "0 or 1" in messages("kernel = '/k'\nacpi = 'yes'\n")
    assert "must be a list" in messages("kernel = '/k'\ndisk = 'file:/x,0x0,w'\n")
    assert "09" in messages("kernel = '/k'\nmemory = 09\n")  # octal: strtol stops at 9


def test_pv_guest_needs_a_kernel_and_not_a_dom0_one():
    assert "needs `kernel" in messages("memory = 64\n", xen="4.6")
    assert errors("memory = 64\nbootloader = 'pygrub'\n", xen="4.6") == []
    assert errors("memory = 64\nbuilder = 'hvm'\n", xen="4.6") == []
    assert "dom0 kernel" in messages("kernel = '/netbsd-XEN3_DOM0.gz'\n")


def test_unknown_and_removed_keys_depend_on_the_version():
    assert "memroy" in messages("kernel = '/k'\nmemroy = 64\n")
    assert "documented up to Xen 4.5" in messages("kernel = '/k'\nextratime = 1\n", xen="4.18")
    assert errors("kernel = '/k'\nextratime = 1\n", xen="4.4") == []
    assert "from Xen 4.11" in messages("kernel = '/k'\npvshim = 1\n", xen="4.6")
    assert "builder` is deprecated" in messages("kernel = '/k'\nbuilder = 'generic'\n", xen="4.18")


def test_on_reboot_takes_xls_actions():
    assert "not \"reboot\"" in messages("kernel = '/k'\non_reboot = 'reboot'\n")
    assert errors("kernel = '/k'\non_reboot = 'restart'\non_crash = 'preserve'\n") == []


def test_other_problems_are_reported_even_with_a_syntax_error():
    text = "kernel = '/k'\nautorestart = True\ndisk = [ 'file:/x,wd0,w' ]\nmemroy = 64\n"
    assert {f.line for f in errors(text, xen="4.6")} == {2, 3, 4}
    assert [f.line for f in errors(text, xen="4.6", recover=False)] == [2]


def test_findings_count_lines_from_first_line_with_either_parser():
    by_lib = errors("kernel = '/k'\nautorestart = True\n", xen="4.6")
    by_python = errors("kernel = '/k'\nautorestart = True\n", xen="4.6", parser="python")
    assert [f.line for f in by_lib] == [f.line for f in by_python] == [2, 2]
    assert {f.line for f in validate_xl_domu("memory = 64\nautorestart = True\n", "p", 41)} == {41, 42}


def test_key_lists_use_the_older_branch_between_documented_ones():
    info = xen_keys.xl_keys((4, 7))
    assert info.branch == (4, 6) and info.approximate
    assert info.status("type") == "unknown" and xen_keys.xl_keys((4, 10)).status("type") == "known"
    assert xen_keys.xl_keys((4, 9)).status("usbctrl") == "known"  # since 4.8


@pytest.mark.parametrize("bad", ["5.0", "4.99", "four", "", "4"])
def test_unknown_versions_are_refused(bad):
    with pytest.raises(xen_keys.VersionError):
        xen_keys.parse_version(bad)


DISK_SPECS = ["file:/n0/xen/foo-wd0,0x0,w", "phy:/dev/wd0e,0x1,w", "phy:/dev/vnd0d,0x2,r",
              "/n0/xen/foo-wd0,0x0,w", "/x,raw,xvda,rw", "target=/x,vdev=xvda",
              "format=raw, vdev=xvda, access=rw, target=/dev/vg/guest", "/x,,xvda", ",,hdc:cdrom,r",
              "tap:aio:/x,xvda,w", "qcow2:/x,xvda,w", "foo:/x,xvda,w", "/x,xvda", "/x", "",
              "/x,raw,xvda,w!", "/x,raw,xvda,w,extra", "vdev=xvda,cdrom", "/x,raw,xvda,rw,foo=bar",
              "=x", "vdev=xvda,vdev=xvdb", "/x,bogus,xvda,w", "raw:/x,xvda,w,format=qcow2",
              "/x,raw,xvda:foo,w", "file:/x,xvda,w,", "a,=", "specification=xen,vdev=xvda,target=/x"]


@needs_libxlutil
@pytest.mark.parametrize("spec", DISK_SPECS)
def test_disk_spec_parser_agrees_with_xlu_disk_parse(spec):
    with libxlutil.open_config("") as cfg:
        disk, message = cfg.parse_disk(spec)
    ours = xl_devices.parse_disk_spec(spec)
    assert (disk is None) == bool(ours.errors), (message, ours.errors)
    if disk is not None:
        assert (disk.target, disk.vdev, disk.readwrite, disk.is_cdrom, libxlutil.FORMATS[disk.format]) == \
            (ours.target, ours.vdev, ours.readwrite, ours.is_cdrom, ours.format)


DISK_PIECES = ["/x", "file:", "phy:", "tap:", "aio:", "raw:", "0x0", "xvda", "hdc:cdrom", "w", "r", "rw",
               "raw", "qcow2", ",", ",", " ", "vdev=", "target=", "format=", "access=", "cdrom", "=",
               "foo=b", "wd0", "discard", "devtype=disk", "x:y"]


@needs_libxlutil
@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DISK_PIECES), max_size=8).map("".join))
def test_disk_spec_parser_agrees_on_random_specs(spec):
    with libxlutil.open_config("") as cfg:
        disk, _ = cfg.parse_disk(spec)
    ours = xl_devices.parse_disk_spec(spec)
    assert (disk is None) == bool(ours.errors)
    if disk is not None:
        assert (disk.target, disk.vdev, disk.readwrite) == (ours.target, ours.vdev, ours.readwrite)


def test_disk_specs_with_newlines_never_reach_libxlutil():
    # After a stray "=", libxlutil's disk lexer jams on a newline and exits the process.
    if libxlutil.available():
        with libxlutil.open_config("") as cfg, pytest.raises(ValueError):
            cfg.parse_disk("a,=\nb")
    assert xl_devices.parse_disk_spec("a,=\nb").errors


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_device_parsers_never_raise(text):
    xl_devices.parse_disk_spec(text)
    xl_devices.vdev_problem(text)
    xl_devices.vif_problems(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["3.3", "4.2", "4.6", "4.18"]))
def test_xl_validator_never_raises(text, xen):
    for f in validate_xl_domu(text, "p", 7, xen=xen, parser="python"):
        assert f.line >= 7 and f.severity in ("error", "warning")
