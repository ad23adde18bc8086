"""Results kept on disk under a digest of everything they depend on, so that
a cold `howto` run need not recompute them; a stale entry can never match.
Failing to read or write the cache only costs time, never correctness."""
from __future__ import annotations

import collections
import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")

#: (kind, "hit" | "miss") -> how often, in this process: tests see what was recomputed.
counts: collections.Counter = collections.Counter()


def directory(*parts: str) -> str:
    """$XDG_CACHE_HOME/xenhowto (default ~/.cache/xenhowto), joined with parts."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xenhowto", *parts)


MISSING = object()  # what lookup returns for no entry


def lookup(kind: str, digest: str):
    """The value kept under ``digest``, or ``MISSING``."""
    try:
        with open(directory(f"{kind}-{digest}.pickle"), "rb") as f:
            value = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        counts[kind, "miss"] += 1
        return MISSING
    counts[kind, "hit"] += 1
    return value


def store(kind: str, digest: str, value) -> None:
    path = directory(f"{kind}-{digest}.pickle")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers see the whole entry or none
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass


def cached(kind: str, digest: str, compute: Callable[[], T]) -> T:
    """The value kept under ``digest``; else ``compute()``, kept for next time."""
    value = lookup(kind, digest)
    if value is MISSING:
        value = compute()
        store(kind, digest, value)
    return value
