"""Every kind of data error comes out as a Finding at file:line with the key
and a sentence, never a traceback: each test breaks a copy of data/ in
tmp_path and checks the line the loader reports."""
from __future__ import annotations

import pytest

from facts_helpers import DATA, broken_copy
from xenhowto.cli import main
from xenhowto.facts import check_data, load_facts
from xenhowto.findings import HowtoError


def only(findings, filename):
    hits = [f for f in findings if f.path.endswith(filename)]
    assert hits, findings
    return hits


def test_real_data_is_valid():
    assert check_data(str(DATA)) == []


def test_wrong_type_unquoted_version(tmp_path):
    d, line = broken_copy(tmp_path, "xen_releases.yaml", 'version: "4.10"', "version: 4.10")
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert f.line == line
    assert "version" in f.message and "must be a string" in f.message and 'quote it' in f.message


def test_unknown_key(tmp_path):
    d, line = broken_copy(tmp_path, "pkgsrc_packages.yaml", '    added: "2016-07-04"\n',
                          '    added: "2016-07-04"\n    adde: "2016-05"\n')
    [f] = only(check_data(str(d)), "pkgsrc_packages.yaml")
    assert f.line == line + 1
    assert "unknown key 'adde'" in f.message and "package xenkernel46" in f.message


def test_missing_source(tmp_path):
    old = '    security_support_end: "2019-06"\n    source: "https://wiki.xenproject.org/wiki/Xen_Project_Release_Features (months only)"\n\n  - version: "4.8"'
    d, line = broken_copy(tmp_path, "xen_releases.yaml", old, '    security_support_end: "2019-06"\n\n  - version: "4.8"')
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert "release 4.7 has no source" in f.message
    # reported at the release's first line ("- version: "4.7"")
    text = (d / "xen_releases.yaml").read_text().splitlines()
    assert text[f.line - 1].strip() == '- version: "4.7"'


def test_missing_source_of_an_amendment(tmp_path):
    old = '        security_support_end: "2028-11-16"\n        source: "xen.git SUPPORT.md on stable-4.18, commit of 2026-02-12; https://lists.xenproject.org/archives/html/xen-devel/2026-02/msg00630.html"\n'
    d, line = broken_copy(tmp_path, "xen_releases.yaml", old, '        security_support_end: "2028-11-16"\n')
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert f.message.startswith("amendment #1 of release 4.18 has no source")
    assert f.line == line - 1  # the amendment's "- announced:" line


def test_dates_out_of_order(tmp_path):
    d, line = broken_copy(tmp_path, "xen_releases.yaml", 'general_support_end: "2017-04"',
                          'general_support_end: "2019-04"')
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert "dates out of order in release 4.6" in f.message
    assert "general_support_end 2019-04 is after security_support_end 2018-10" in f.message
    assert (d / "xen_releases.yaml").read_text().splitlines()[f.line - 1].strip() == '- version: "4.6"'


def test_removed_before_added(tmp_path):
    d, line = broken_copy(tmp_path, "pkgsrc_packages.yaml", 'added: "2017-03-30"', 'added: "2023-03-30"')
    found = only(check_data(str(d)), "pkgsrc_packages.yaml")
    assert found
    for f in found:  # added after both ends of the removal range
        assert "dates out of order in package xenkernel48" in f.message
        assert (d / "pkgsrc_packages.yaml").read_text().splitlines()[f.line - 1].strip() == "- name: xenkernel48"


def test_package_for_unknown_xen_release(tmp_path):
    d, line = broken_copy(tmp_path, "pkgsrc_packages.yaml", '    xen: "4.8"\n', '    xen: "4.99"\n')
    [f] = only(check_data(str(d)), "pkgsrc_packages.yaml")
    assert f.line == line
    assert "package xenkernel48 names Xen 4.99" in f.message and "add the release there first" in f.message


def test_bad_date_format(tmp_path):
    d, line = broken_copy(tmp_path, "netbsd_branches.yaml", 'released: "2024-03-28"', 'released: "28 March 2024"')
    [f] = only(check_data(str(d)), "netbsd_branches.yaml")
    assert f.line == line
    assert "released of branch 10" in f.message and "write a date" in f.message


def test_date_not_in_calendar(tmp_path):
    d, line = broken_copy(tmp_path, "xen_releases.yaml", 'released: "2016-06-20"', 'released: "2016-02-30"')
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert f.line == line and "not a day of the calendar" in f.message


def test_enum(tmp_path):
    d, line = broken_copy(tmp_path, "pkgsrc_packages.yaml", '        patches: upstream\n        source: "NetBSD wiki ports/xen/howto.mdwn rev 1.115 (2016-12-20): \\"As of 2016-12, security patches were released by Xen and applied to pkgsrc\\""\n    rcd_toolstack:\n      - date: "2016-12-20"\n        toolstack: xl\n        source: "NetBSD wiki ports/xen/howto.mdwn rev 1.115 (2016-12-20): \\"Xen 4.1 and higher packages use xl\\""\n    pci_passthrough: {value: false, source: "NetBSD wiki ports/xen/howto.mdwn rev 1.115 (2016-12-20): \\"If the dom0 is NetBSD, it has to be running Xen 3.1, as support has not been ported to later versions yet\\""}\n\n  # The HOWTO',
                          '        patches: maybe\n        source: "x y z"\n\n  # The HOWTO')
    [f] = only(check_data(str(d)), "pkgsrc_packages.yaml")
    assert f.line == line
    assert f.message == "patches of security observation #1 of package xenkernel45 is 'maybe'; " \
                        "use one of: upstream, backported, none"


def test_yaml_syntax_error(tmp_path):
    d, line = broken_copy(tmp_path, "toolstacks.yaml", "    first_xen: \"4.1\"\n", "    first_xen: [\"4.1\"\n")
    [f] = only(check_data(str(d)), "toolstacks.yaml")
    assert "not valid YAML" in f.message
    assert line <= f.line <= line + 2


def test_duplicate_key(tmp_path):
    d, line = broken_copy(tmp_path, "netbsd_kernels.yaml", "    role: dom0\n    path: releasedir/amd64",
                          "    role: dom0\n    role: domU\n    path: releasedir/amd64")
    [f] = only(check_data(str(d)), "netbsd_kernels.yaml")
    assert f.line == line + 1 and "appears twice" in f.message


def test_missing_file(tmp_path):
    import shutil
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "data" / "toolstacks.yaml").unlink()
    [f] = check_data(str(tmp_path / "data"))
    assert f.path.endswith("toolstacks.yaml") and f.line == 1 and "missing" in f.message


def test_load_raises_howto_error_with_findings(tmp_path):
    d, line = broken_copy(tmp_path, "xen_releases.yaml", 'version: "4.10"', "version: 4.10")
    with pytest.raises(HowtoError) as e:
        load_facts(str(d))
    assert e.value.findings and e.value.findings[0].line == line


def test_howto_versions_exits_1_with_file_line(tmp_path, capsys):
    d, line = broken_copy(tmp_path, "pkgsrc_packages.yaml", '    xen: "4.8"\n', '    xen: "4.99"\n')
    assert main(["versions", "--data-dir", str(d)]) == 1
    err = capsys.readouterr().err
    assert f"pkgsrc_packages.yaml:{line}: error: package xenkernel48 names Xen 4.99" in err
    assert "Traceback" not in err


def test_amendment_without_dates(tmp_path):
    old = '      - announced: "2026-02-12"\n        security_support_end: "2028-11-16"\n'
    d, line = broken_copy(tmp_path, "xen_releases.yaml", old, '      - announced: "2026-02-12"\n')
    [f] = only(check_data(str(d)), "xen_releases.yaml")
    assert f.line == line and f.message.startswith("amendment #1 of release 4.18: an amendment changes")
