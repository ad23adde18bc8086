"""Helpers for the tests of xenhowto.facts: the real data, and broken copies."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from xenhowto.facts import load_facts
from xenhowto.facts.view import View

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def view(day: str) -> View:
    return View(load_facts(str(DATA)), dt.date.fromisoformat(day))


def broken_copy(tmp_path: Path, filename: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of data/ with ``old`` replaced by ``new`` (once) in ``filename``;
    returns the copy and the 1-based line where ``new`` starts."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    path = dest / filename
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {filename}"
    at = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return dest, text.count("\n", 0, at) + 1


def flat(text: str) -> str:
    """Whitespace collapsed, so facts can be asserted across line breaks."""
    return " ".join(text.split())
