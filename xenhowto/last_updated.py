"""A page's "last updated" day: the newest of the days its sources were last
committed (git history) and the day the facts last changed what it says (its
history, xenhowto.history).  Never the build's clock, so a rebuild of the same
sources gives the same day."""
from __future__ import annotations

import datetime as dt
import subprocess
from typing import Iterable


def git_dates(root: str) -> dict[str, dt.date]:
    """{path relative to root: the committer date of the newest commit that
    touched it}; empty when root is not in a git checkout (or git is missing)."""
    try:
        out = subprocess.run(["git", "-C", root, "log", "--format=%x00%cs", "--name-only", "--no-renames",
                              "--relative", "--", "."], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, dt.date] = {}
    day = None
    for line in out.splitlines():
        if line.startswith("\0"):
            day = dt.date.fromisoformat(line[1:])
        elif line and day is not None:
            dates.setdefault(line, day)  # the log is newest first
    return dates


def last_updated(paths: Iterable[str], dates: dict[str, dt.date], facts_day: dt.date | None = None) -> dt.date | None:
    """The newest of the paths' commit dates and facts_day; None if none is known."""
    known = [dates[p] for p in paths if p in dates] + ([facts_day] if facts_day else [])
    return max(known) if known else None
