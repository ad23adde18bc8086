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


def cached(kind: str, digest: str, compute: Callable[[], T]) -> T:
    path = directory(f"{kind}-{digest}.pickle")
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError):
        pass
    return value
