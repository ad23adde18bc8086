"""MkDocs wiring for the "Build your guide" page (docs/guide-builder.md): the
builder's data (xenhowto.guide.matrix.builder_data) becomes a file of the
site next to that page, where docs/javascripts/guide-builder.js reads it
(from xenhowto.buildcache when nothing it depends on changed).  No logic here."""
from __future__ import annotations

import logging
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof
from xenhowto.findings import HowtoError

PAGE = "guide-builder.md"
DATA = "guide-builder.json"  # the page's data-guide-builder attribute names it
_log = logging.getLogger("mkdocs.hooks.guide_builder")


def data_text(config_file: str, as_of) -> str:
    from xenhowto import buildcache
    from xenhowto.project import load

    return buildcache.builder_json(load(config_file), as_of)


def on_files(files: Files, config) -> Files:
    from xenhowto.guide.build import HOWTO

    page = files.get_file_from_path(PAGE)
    if page is None or files.get_file_from_path(HOWTO) is None:
        # a site without the page or the HOWTO (the tests' small projects) has no builder
        _log.debug(f"{PAGE} or {HOWTO} is not in {config.docs_dir}: no guide builder data")
        return files
    try:
        text = data_text(config.config_file_path, asof.resolve())
    except (HowtoError, ValueError) as e:
        raise PluginError(f"guide builder data: {e}") from None
    src = posixpath.join(posixpath.dirname(page.dest_uri), DATA)
    files.append(File.generated(config, src, content=text))
    return files
