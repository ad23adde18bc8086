"""The project's settings as mkdocs.yml states them, for code that runs
outside MkDocs (export, check): one reading of the file, no MkDocs import."""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass

import yaml_env_tag

from xenhowto import yamlfiles
from xenhowto.findings import HowtoError

EXT = "xenhowto.ikiwiki"


@dataclass(frozen=True)
class Project:
    root: str
    docs_dir: str
    site_dir: str
    wiki_url: str
    known_wiki_pages: frozenset[str]
    site_url: str = ""

    @property
    def templates_dir(self) -> str:
        return os.path.join(self.docs_dir, "templates")


class _Loader(yamlfiles.SafeLoader):
    """YAML as MkDocs reads mkdocs.yml: with !ENV [VARIABLE, default] (and
    within the limits of xenhowto.yamlfiles)."""


_Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)


_READ: dict[tuple, dict] = {}  # a build reads mkdocs.yml several times; `mkdocs serve` once per rebuild


def read_config(config_file: str) -> dict:
    """mkdocs.yml as a dict (environment variables resolved as MkDocs does);
    yamlfiles.YamlProblem when it cannot be read."""
    try:
        st = os.stat(config_file)
        key = (os.path.abspath(config_file), st.st_mtime_ns, st.st_size, st.st_ino, tuple(sorted(os.environ.items())))
    except OSError:
        key = None  # yamlfiles.load says what is wrong
    if key is None or key not in _READ:
        cfg = yamlfiles.load(config_file, 1024 * 1024, "MkDocs configuration", _Loader) or {}
        if not isinstance(cfg, dict):
            raise yamlfiles.YamlProblem(1, "not a MkDocs configuration (a mapping of settings)")
        if key is None:
            return cfg
        if len(_READ) > 8:
            _READ.clear()
        _READ[key] = cfg
    return copy.deepcopy(_READ[key])


def load(config_file: str = "mkdocs.yml") -> Project:
    if not os.path.exists(config_file):
        raise HowtoError(f"{config_file}: not found; run howto from the project's checkout or pass -f")
    try:
        cfg = read_config(config_file)
    except yamlfiles.YamlProblem as e:
        raise HowtoError(f"{config_file}{f':{e.line}' if e.line else ''}: {e.message}") from None
    root = os.path.dirname(os.path.abspath(config_file))
    ext: dict = {}
    for item in cfg.get("markdown_extensions") or []:
        if isinstance(item, dict) and EXT in item:
            ext = item[EXT] or {}
    return Project(
        root=root,
        docs_dir=os.path.join(root, cfg.get("docs_dir", "docs")),
        site_dir=os.path.join(root, cfg.get("site_dir", "site")),
        wiki_url=ext.get("wiki_url", "https://wiki.netbsd.org/"),
        known_wiki_pages=frozenset(ext.get("known_wiki_pages") or ()),
        site_url=cfg.get("site_url") or "",
    )
