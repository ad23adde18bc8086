"""A fact directive's text is kept within a process (xenhowto.ikiwiki.directives.render)
only while the facts it reads are the same: a changed data file gives the new text."""
from __future__ import annotations

import datetime as dt
import pathlib
import shutil

from xenhowto.ikiwiki import directives
from xenhowto.ikiwiki.context import SITE, PageContext
from xenhowto.ikiwiki.syntax import scan

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _render(text: str, day: dt.date) -> str:
    d = next(scan(text))
    ctx = PageContext(path="t.mdwn", page="t", target=SITE, as_of=day)
    return directives.render(directives.REGISTRY[d.name], d, ctx)


def test_a_fact_directive_follows_a_change_of_its_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("HOWTO_DATA_DIR", str(data))
    day = dt.date(2026, 12, 1)
    first = _render("[[!xen_versions_table]]", day)
    assert _render("[[!xen_versions_table]]", day) == first  # kept, and the same
    releases = data / "xen_releases.yaml"
    text = releases.read_text(encoding="utf-8")
    assert 'released: "2025-03-05"' in text and "2025-03-05" in first  # Xen 4.20
    releases.write_text(text.replace('released: "2025-03-05"', 'released: "2025-03-06"'), encoding="utf-8")
    again = _render("[[!xen_versions_table]]", day)
    assert again != first and "2025-03-06" in again
    # another day is another text
    assert _render("[[!xen_versions_table]]", dt.date(2016, 12, 20)) != again
