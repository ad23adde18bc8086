"""The same sources, data and as-of date give byte-identical sites and exports."""
from __future__ import annotations

import os
import subprocess

from conftest import ROOT, howto_bin, tree


def test_two_full_builds_are_identical(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1482192000", NO_MKDOCS_2_WARNING="1")  # 2016-12-20
    for name in ("one", "two"):
        run = subprocess.run([howto_bin(), "build", "-d", str(tmp_path / name)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert "ports/xen/howto/index.html" in one and "guides/recommended/index.html" in one
    differing = [p for p in one if one[p] != two[p]]
    assert differing == []
    # and the as-of date came from SOURCE_DATE_EPOCH: 1.115's recommendation
    assert b"xenkernel45 or xenkernel46" in one["ports/xen/howto/index.html"]
