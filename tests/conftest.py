"""Shared fixtures: a throwaway copy of the project with pages of the test's choosing."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class MiniProject:
    """The real mkdocs.yml, hooks and templates, with only the given pages."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "overrides", root / "overrides")
        shutil.copytree(ROOT / "docs" / "templates", root / "docs" / "templates")
        # the site's own pages and assets (not wiki pages): hooks expect them
        for extra in ("stylesheets", "javascripts"):
            if (ROOT / "docs" / extra).is_dir():
                shutil.copytree(ROOT / "docs" / extra, root / "docs" / extra)
        if (ROOT / "docs" / "guide-builder.md").exists():
            shutil.copy(ROOT / "docs" / "guide-builder.md", root / "docs" / "guide-builder.md")
        if (ROOT / "data").is_dir():
            shutil.copytree(ROOT / "data", root / "data")
        self.pages: list[str] = []
        self._drop_nav()
        self.write("index.md", "# Home\n")

    @property
    def config(self) -> str:
        return str(self.root / "mkdocs.yml")

    def write(self, src_uri: str, text: str) -> Path:
        path = self.root / "docs" / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if src_uri not in self.pages:
            self.pages.append(src_uri)
        return path

    def _drop_nav(self) -> None:
        # Without a nav MkDocs lists every page itself, so a strict build
        # does not warn about pages the real nav does not name.
        from xenhowto.project import read_config

        cfg = (self.root / "mkdocs.yml").read_text(encoding="utf-8")
        lines, skipping = [], False
        for line in cfg.splitlines():
            if line.startswith("nav:"):
                skipping = True
                continue
            if skipping and (line.startswith((" ", "-")) or not line.strip()):
                continue
            skipping = False
            lines.append(line)
        (self.root / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        read_config(str(self.root / "mkdocs.yml"))  # still valid YAML

    def build(self, site_dir: Path | None = None):
        """In-process strict MkDocs build; returns the site dir."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        site = site_dir or self.root / "site"
        cwd = os.getcwd()
        os.chdir(self.root)  # messages show paths relative to the project, as on the CLI
        try:
            build(load_config(self.config, strict=True, site_dir=str(site)))
        finally:
            os.chdir(cwd)
        return site


@pytest.fixture
def project(tmp_path) -> MiniProject:
    root = tmp_path / "project"
    root.mkdir()
    return MiniProject(root)


def howto_bin() -> str:
    return str(VENV_BIN / "howto")


def tree(root) -> dict[str, bytes]:
    """Every file below root (relative path -> bytes), to compare outputs."""
    out = {}
    for base, _, names in os.walk(root):
        for n in names:
            p = os.path.join(base, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session (a
    second sync Playwright cannot start while one runs)."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="scripts/setup installs playwright")
    from xenhowto.guide.bench_builder import launch

    with playwright_api.sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()
