"""MkDocs wiring for xenhowto.api: the facts as files for other tools under
api/ (JSON with their schemas, the Atom feed, the iCalendar file) and the
page documenting them (from xenhowto.buildcache when the data, the date and
the code are unchanged).  No logic here."""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof, buildcache
from xenhowto.api import docs
from xenhowto.findings import HowtoError


def _data_dir(config) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(config.config_file_path)), "data")


def on_config(config):
    if os.path.isdir(_data_dir(config)) and config.nav is not None:
        if not any(isinstance(e, dict) and docs.PAGE in e.values() for e in config.nav):
            config.nav.append({"For other tools": docs.PAGE})
    return config


def on_files(files: Files, config) -> Files:
    if not os.path.isdir(_data_dir(config)):
        return files
    try:
        when = asof.resolve()
    except HowtoError as e:
        raise PluginError(str(e)) from None
    try:
        made = buildcache.api_files(_data_dir(config), when, config.site_url or "", config.site_name)
    except HowtoError as e:
        raise PluginError(f"api: the data has problems: {e.findings[0] if e.findings else e}") from None
    for path, body in made.items():
        files.append(File.generated(config, path, content=body.decode("utf-8") if path == docs.PAGE else body))
    return files
