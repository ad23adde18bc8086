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


# A cache entry larger than this is not one we wrote.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_MISS = object()


def load(kind: str, digest: str, default=None, expect: type | tuple = object):
    """The value kept under ``digest``, or ``default``: an entry that cannot be
    read back as an ``expect`` (truncated, corrupt, not a regular file) is a
    miss, and only costs the time to compute it again."""
    from xenhowto.inputs import InputError, read_bytes

    try:
        value = pickle.loads(read_bytes(directory(f"{kind}-{digest}.pickle"), MAX_ENTRY_BYTES, "cache entry"))
    except (InputError, Exception):  # unpickling damaged bytes can raise anything
        return default
    return value if isinstance(value, expect) else default


def store(kind: str, digest: str, value) -> None:
    path = directory(f"{kind}-{digest}.pickle")
    tmp = f"{path}.{os.getpid()}.{id(value)}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def cached(kind: str, digest: str, compute: Callable[[], T], expect: type | tuple = object) -> T:
    value = load(kind, digest, _MISS, expect)
    if value is _MISS:
        value = compute()
        store(kind, digest, value)
    return value


class SafeBytecodeCache:
    """Jinja2's file bytecode cache, where an entry that is corrupt or not a
    regular file is a miss instead of an exception (or a hang, for a FIFO)."""

    def __new__(cls, path: str):
        import stat

        import jinja2

        class Cache(jinja2.FileSystemBytecodeCache):
            def load_bytecode(self, bucket) -> None:
                filename = self._get_cache_filename(bucket)
                try:
                    if not stat.S_ISREG(os.stat(filename).st_mode):
                        return
                    super().load_bytecode(bucket)
                except Exception:
                    bucket.reset()

            def dump_bytecode(self, bucket) -> None:
                try:
                    super().dump_bytecode(bucket)
                except OSError:
                    pass

        return Cache(path)
