"""MkDocs wiring: an error fails every build, quiet or not, strict or not.

Findings of severity "error" are logged at ERROR (hooks and the ikiwiki
extension do so), which `mkdocs build -q` still shows, and which the strict
counter counts; without --strict MkDocs would still write the site, so the
build is aborted here once it is done if any error was logged.  No logic here."""
from __future__ import annotations

import logging

from mkdocs.exceptions import Abort


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.errors += 1


_count = _Count()


def on_config(config):
    root = logging.getLogger("mkdocs")
    if _count not in root.handlers:
        root.addHandler(_count)
    _count.errors = 0
    return config


def on_post_build(config):
    if _count.errors:
        raise Abort(f"Aborted: {_count.errors} error(s) above; nothing is right until they are fixed")
