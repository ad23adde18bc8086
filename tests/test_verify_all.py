"""CI runs `howto guide --verify-all` in full (issue 14): every valid setup is
enumerated and composed, and every distinct complete guide is executed in the
sandbox, with no verdict kept from an earlier run (a cache of its own)."""
from __future__ import annotations

import os
import re
import subprocess

from conftest import ROOT, howto_bin


def test_every_distinct_complete_guide_verifies(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    run = subprocess.run([howto_bin(), "guide", "--verify-all"], cwd=ROOT, capture_output=True, text=True,
                         timeout=1800, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    m = re.search(r"(\d+) valid setup\(s\), (\d+) distinct guide\(s\): (\d+) verified, (\d+) failed, "
                  r"(\d+) left out .*; (\d+) verdict\(s\) kept", run.stdout)
    assert m, run.stdout
    setups, distinct, verified, failed, left_out, kept = map(int, m.groups())
    assert setups > distinct > 1000 and verified == distinct and failed == 0 and kept == 0
    assert setups >= distinct + left_out


def test_a_second_run_reuses_every_verdict(tmp_path):
    """With the verdicts of a first run kept, nothing is verified again (on a sample, for time)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    args = [howto_bin(), "guide", "--verify-all", "--sample", "12"]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    second = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert first.returncode == second.returncode == 0, first.stdout + second.stdout
    assert "0 verdict(s) kept" in first.stdout and "12 verdict(s) kept" in second.stdout
    assert "12 verified, 0 failed" in second.stdout
