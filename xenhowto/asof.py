"""The as-of date: which facts a build may know.  Explicit --as-of or
HOWTO_AS_OF wins, then SOURCE_DATE_EPOCH (reproducible builds), then today."""
from __future__ import annotations

import datetime as dt
import os

from xenhowto.findings import UsageError

# Dates the HOWTO can be about: nothing before (Xen 1.0 is from 2003), and
# nothing so far ahead that date arithmetic could overflow.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def parse(value: str, what: str = "--as-of") -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{what}={value!r} is not a date; write YYYY-MM-DD, e.g. 2016-12-20") from None
    if not EARLIEST <= day <= LATEST:
        raise UsageError(f"{what}={value!r} is outside the dates the HOWTO can be about "
                         f"({EARLIEST} to {LATEST})")
    return day


def resolve(explicit: str | None = None, environ=os.environ) -> dt.date:
    if explicit:
        return parse(explicit)
    if environ.get("HOWTO_AS_OF"):
        return parse(environ["HOWTO_AS_OF"], "HOWTO_AS_OF")
    if environ.get("SOURCE_DATE_EPOCH"):
        raw = environ["SOURCE_DATE_EPOCH"]
        if not raw.isdigit() or len(raw) > 11:
            raise UsageError(f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970")
        return parse(dt.datetime.fromtimestamp(int(raw), dt.timezone.utc).date().isoformat(), "SOURCE_DATE_EPOCH")
    return dt.date.today()
