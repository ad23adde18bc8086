"""The same sources, data and as-of date give byte-identical sites and exports;
and the built site runs no script the project did not put there."""
from __future__ import annotations

import os
import subprocess

import pytest

import inert
from conftest import ROOT, howto_bin, tree


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproducible")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1482192000", NO_MKDOCS_2_WARNING="1")  # 2016-12-20
    for name in ("one", "two"):
        run = subprocess.run([howto_bin(), "build", "-d", str(out / name)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    return tree(out / "one"), tree(out / "two")


def test_two_full_builds_are_identical(two_builds):
    one, two = two_builds
    assert sorted(one) == sorted(two)
    assert "ports/xen/howto/index.html" in one and "guides/recommended/index.html" in one
    differing = [p for p in one if one[p] != two[p]]
    assert differing == []
    # and the as-of date came from SOURCE_DATE_EPOCH: 1.115's recommendation
    assert b"xenkernel45 or xenkernel46" in one["ports/xen/howto/index.html"]


def test_the_built_site_runs_only_the_projects_scripts(two_builds):
    """Every page carries exactly the theme's and the builder's <script>
    elements (those of the home page, a page the project writes), and the
    content of the pages made from the wiki (the HOWTO, the guides) is inert."""
    site, _ = two_builds
    pages = {p: html.decode("utf-8") for p, html in site.items() if p.endswith(".html")}
    expected = inert.theme_scripts(pages["index.html"])
    assert any("guide-builder.js" in s for s in expected) and len(expected) >= 3
    for path, html in pages.items():
        assert inert.theme_scripts(html) == expected, f"{path} carries a script the project did not put there"
    for path in [p for p in pages if p.startswith(("ports/", "guides/"))]:
        assert inert.problems(inert.page_content(pages[path])) == [], path
