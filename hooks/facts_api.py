"""MkDocs wiring for xenhowto.api: the facts as files for other tools under
api/ (JSON with their schemas, the Atom feed, the iCalendar file) and the
page documenting them.  No logic here."""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from xenhowto import asof
from xenhowto.api import docs, publish
from xenhowto.facts import load_with_findings
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
    facts, findings = load_with_findings(_data_dir(config))
    if facts is None:
        raise PluginError(f"api: the data has problems: {findings[0]}")
    site_url = config.site_url or ""
    for path, body in publish.files(facts, when, site_url, config.site_name).items():
        files.append(File.generated(config, path, content=body))
    files.append(File.generated(config, docs.PAGE, content=docs.markdown(when, site_url)))
    return files
