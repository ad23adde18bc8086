"""Results kept on disk under a digest of everything they depend on, so that
a cold `howto` run need not recompute them; a stale entry can never match.
Failing to read or write the cache only costs time, never correctness."""
from __future__ import annotations

import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")


def directory(*parts: str) -> str:
    """$XDG_CACHE_HOME/xenhowto (default ~/.cache/xenhowto), joined with parts."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xenhowto", *parts)


_MISS = object()


def load(kind: str, digest: str, default=None):
    """The value kept under ``digest``, or ``default``."""
    try:
        with open(directory(f"{kind}-{digest}.pickle"), "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return default


def store(kind: str, digest: str, value) -> None:
    path = directory(f"{kind}-{digest}.pickle")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.{id(value)}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError):
        pass


def cached(kind: str, digest: str, compute: Callable[[], T]) -> T:
    value = load(kind, digest, _MISS)
    if value is _MISS:
        value = compute()
        store(kind, digest, value)
    return value
