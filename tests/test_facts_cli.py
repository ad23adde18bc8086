"""`howto versions`: markdown and JSON as of a date, --diff between two
dates, deterministic output."""
from __future__ import annotations

import json
import subprocess

from conftest import ROOT, howto_bin
from facts_helpers import DATA
from xenhowto.cli import main


def run(capsys, *args) -> str:
    assert main(["versions", "--data-dir", str(DATA), *args]) == 0
    return capsys.readouterr().out


def test_markdown_table_and_recommendation(capsys):
    out = run(capsys, "--as-of", "2016-12-20")
    assert "| Package | Xen | Released | Upstream status | Security support until | dom0 | Toolstacks |" in out
    assert "| **xenkernel46** | 4.6 | 2015-10-13 | supported | 2018-10 | amd64 | xl |" in out
    assert "## Recommendation" in out and "xenkernel45 or xenkernel46" in out


def test_json_packages_have_name_xen_status(capsys):
    out = json.loads(run(capsys, "--as-of", "2026-11-25", "--format", "json"))
    assert out["as_of"] == "2026-11-25"
    for p in out["packages"]:
        assert {"name", "xen", "status"} <= set(p)
    by = {p["name"]: p for p in out["packages"]}
    assert by["xenkernel418"]["security_support_end"] == "2028-11-16"
    assert by["xenkernel418"]["support_amended"] == "2026-02-12"


def test_diff_between_the_seed_dates(capsys):
    out = run(capsys, "--diff", "2015-01-04", "2016-12-20")
    # what the seed's diff changed: the recommended packages and branch ...
    assert "- recommendation.packages: xenkernel42 → xenkernel45, xenkernel46" in out
    assert "- recommendation.netbsd_branch: 6 → 7" in out
    # ... netbsd-5 no longer listed, 4.5 and 4.6 new in pkgsrc, 4.7/4.8 not yet in it
    assert "netbsd.netbsd-5:" in out
    assert "pkgsrc.xenkernel45: (absent) → in pkgsrc" in out
    assert "upstream_not_in_pkgsrc.4.7: (absent)" in out
    # unchanged facts are not listed
    assert "recommendation.toolstack" not in out and "dom0_arch" not in out


def test_diff_json(capsys):
    out = json.loads(run(capsys, "--diff", "2026-02-11", "2026-02-12", "--format", "json"))
    keys = {c["key"]: c for c in out["changes"]}
    assert keys["pkgsrc.xenkernel418.security_support_end"]["from"] == "2026-11-16"
    assert keys["pkgsrc.xenkernel418.security_support_end"]["to"] == "2028-11-16"


def test_same_date_no_differences(capsys):
    assert "No fact or recommendation differs." in run(capsys, "--diff", "2016-12-20", "2016-12-20")


def test_deterministic_output(capsys):
    first = run(capsys, "--as-of", "2016-12-20", "--format", "json")
    second = run(capsys, "--as-of", "2016-12-20", "--format", "json")
    assert first == second


def test_bad_date_is_a_message(capsys):
    assert main(["versions", "--as-of", "2016-13-01", "--data-dir", str(DATA)]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_installed_command_with_source_date_epoch():
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1482192000"}  # 2016-12-20
    out = subprocess.run([howto_bin(), "versions", "--format", "json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["recommendation"]["netbsd_branch"] == "7"
