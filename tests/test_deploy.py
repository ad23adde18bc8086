"""Deployable as is: the built site is readable by everyone whatever the
umask, its URL (canonical links, sitemap, api/) comes from HOWTO_SITE_URL,
each page's "last updated" day comes from git and the facts (never the
clock), and every dependency is locked (Python with hashes, npm with
integrity) and installed as locked."""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import re
import stat
import subprocess
import tomllib

import pytest
from conftest import ROOT, MiniProject

AS_OF = "2016-12-20"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """The site built under umask 077 for https://howto.example.org/xen/."""
    from xenhowto.site import build

    out = tmp_path_factory.mktemp("deploy") / "site"
    old = os.umask(0o077)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HOWTO_SITE_URL", "https://howto.example.org/xen/")
            mp.setenv("HOWTO_REPO_URL", "https://code.example.org/netbsd-xen-howto")
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
            build(str(ROOT / "mkdocs.yml"), str(out), AS_OF, quiet=True)
    finally:
        os.umask(old)
    return out


def test_everything_is_world_readable(deployed):
    modes = {}
    for base, dirs, files in os.walk(deployed):
        for name in dirs + files + ([] if base != str(deployed) else ["."]):
            path = os.path.join(base, name)
            modes[os.path.relpath(path, deployed)] = stat.S_IMODE(os.lstat(path).st_mode)
    assert len(modes) > 30
    bad = {p: oct(m) for p, m in modes.items()
           if m != (0o755 if os.path.isdir(os.path.join(deployed, p)) else 0o644)}
    assert bad == {}, bad


def test_the_site_url_comes_from_the_environment(deployed):
    page = (deployed / "ports/xen/howto/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://howto.example.org/xen/ports/xen/howto/">' in page
    sitemap = (deployed / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs and all(u.startswith("https://howto.example.org/xen/") for u in locs)
    index = json.loads((deployed / "api/index.json").read_text(encoding="utf-8"))
    assert all(f["url"].startswith("https://howto.example.org/xen/api/") for f in index["files"])
    assert "example.invalid" not in page


def test_project_settings_read_the_site_url_as_mkdocs_does(monkeypatch):
    from xenhowto.project import load

    monkeypatch.setenv("HOWTO_SITE_URL", "https://elsewhere.example/howto/")
    assert load(str(ROOT / "mkdocs.yml")).site_url == "https://elsewhere.example/howto/"
    monkeypatch.delenv("HOWTO_SITE_URL")
    assert load(str(ROOT / "mkdocs.yml")).site_url  # the placeholder


def _git_date(path: str) -> dt.date | None:
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cs", "--", path],
                         capture_output=True, text=True).stdout.strip()
    return dt.date.fromisoformat(out) if out else None


def _revision(html: str) -> str | None:
    m = re.search(r'title="Last update">.*?</span>\s*(\d{4}-\d{2}-\d{2})', html, re.S)
    return m.group(1) if m else None


def test_last_updated_is_the_newest_of_git_and_the_facts(deployed):
    history = json.loads((deployed / "ports/xen/howto/history.json").read_text(encoding="utf-8"))
    dates = [_git_date("docs/ports/xen/howto.mdwn"), _git_date("data"),
             dt.date.fromisoformat(history["days"][-1]["day"])]
    want = max(d for d in dates if d).isoformat()
    page = (deployed / "ports/xen/howto/index.html").read_text(encoding="utf-8")
    assert _revision(page) == want
    sitemap = (deployed / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>https://howto.example.org/xen/ports/xen/howto/</loc>\n         <lastmod>{want}</lastmod>" in sitemap
    editors = (deployed / "editors/index.html").read_text(encoding="utf-8")
    if _git_date("docs/editors.md"):
        assert _revision(editors) == _git_date("docs/editors.md").isoformat()


def test_without_git_the_facts_date_the_page_and_never_the_clock(project: MiniProject, monkeypatch, tmp_path):
    project.write("facts.mdwn", "[[!xen_recommendation]]\n")
    monkeypatch.setenv("HOWTO_AS_OF", AS_OF)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = project.build()
    history = json.loads((site / "facts/history.json").read_text(encoding="utf-8"))
    assert _revision((site / "facts/index.html").read_text(encoding="utf-8")) == history["days"][-1]["day"]
    lastmods = set(re.findall(r"<lastmod>(.*?)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    assert lastmods and lastmods <= {AS_OF, history["days"][-1]["day"]}, lastmods
    assert _revision((site / "index.html").read_text(encoding="utf-8")) is None  # nothing known: nothing shown


# -- the lock -------------------------------------------------------------------------------------

def _locked() -> dict[str, tuple[str, int]]:
    """{name: (version, number of hashes)} of requirements.lock."""
    out: dict[str, tuple[str, int]] = {}
    name = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^ \\]+)", line)
        if m:
            name = m.group(1).lower().replace("_", "-")
            out[name] = (m.group(2), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            out[name] = (out[name][0], out[name][1] + 1)
    return out


def test_the_lock_pins_every_dependency_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    locked = _locked()
    assert len(locked) > len(wanted)  # the whole tree, not only the direct dependencies
    for req in wanted:
        name, version = req.split("==")
        key = name.lower().replace("_", "-")
        assert locked.get(key, (None,))[0] == version, f"{req} is not what requirements.lock pins; run scripts/lock"
    assert all(hashes for _, hashes in locked.values()), "a locked package has no hash"


def test_the_environment_is_the_lock():
    for name, (version, _) in _locked().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pytest.fail(f"{name} is locked but not installed; run scripts/setup")
        assert installed == version, f"{name} {installed} is installed, the lock says {version}; run scripts/setup"


def test_the_npm_packages_are_locked_and_installed():
    package = json.loads((ROOT / "tests/package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "tests/package-lock.json").read_text(encoding="utf-8"))
    assert package["dependencies"]
    for name, version in package["dependencies"].items():
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-")
        installed = ROOT / "tests/node_modules" / name / "package.json"
        assert installed.exists(), f"{name} is not installed; run scripts/setup"
        assert json.loads(installed.read_text(encoding="utf-8"))["version"] == version
