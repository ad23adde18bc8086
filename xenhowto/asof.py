"""The as-of date: which facts a build may know.  Explicit --as-of or
HOWTO_AS_OF wins, then SOURCE_DATE_EPOCH (reproducible builds), then today."""
from __future__ import annotations

import datetime as dt
import os

from xenhowto.findings import HowtoError


def parse(value: str, what: str = "--as-of") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HowtoError(f"{what}={value!r} is not a date; write YYYY-MM-DD, e.g. 2016-12-20") from None


def resolve(explicit: str | None = None, environ=os.environ) -> dt.date:
    if explicit:
        return parse(explicit)
    if environ.get("HOWTO_AS_OF"):
        return parse(environ["HOWTO_AS_OF"], "HOWTO_AS_OF")
    if environ.get("SOURCE_DATE_EPOCH"):
        raw = environ["SOURCE_DATE_EPOCH"]
        if not raw.isdigit():
            raise HowtoError(f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds since 1970")
        return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc).date()
    return dt.date.today()
