"""Guides as `howto guide --format json` gives them, made in-process for tests."""
from __future__ import annotations

import datetime as dt
import functools
import json
import os

from conftest import ROOT

from xenhowto.guide import compose
from xenhowto.guide.build import guide_for
from xenhowto.project import load


@functools.lru_cache(maxsize=None)
def _project():
    return load(os.path.join(ROOT, "mkdocs.yml"))


@functools.lru_cache(maxsize=64)
def _guide_text(given: tuple, as_of: str) -> str:
    return compose.to_json(guide_for(_project(), dict(given), dt.date.fromisoformat(as_of)))


def guide_json(given: dict, as_of: str) -> dict:
    """A fresh copy of the guide for ``given`` at ``as_of`` (tests may change it)."""
    return json.loads(_guide_text(tuple(sorted(given.items())), as_of))


def guide_markdown(given: dict, as_of: str) -> str:
    return compose.to_markdown(guide_for(_project(), dict(given), dt.date.fromisoformat(as_of)))
