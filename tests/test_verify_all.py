"""CI's sample of `howto guide --verify-all`: every valid setup is enumerated
and composed, and a fixed random sample of the distinct guides is executed in
the sandbox (the full matrix takes too long for CI; scripts/bench estimates it)."""
from __future__ import annotations

import re
import subprocess

from conftest import ROOT, howto_bin

SAMPLE = 16


def test_verify_all_sample_passes():
    run = subprocess.run([howto_bin(), "guide", "--verify-all", "--sample", str(SAMPLE)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    m = re.search(r"(\d+) valid setup\(s\), (\d+) distinct guide\(s\): (\d+) verified, (\d+) failed", run.stdout)
    assert m, run.stdout
    setups, distinct, verified, failed = map(int, m.groups())
    assert setups >= distinct > SAMPLE and verified == SAMPLE and failed == 0
