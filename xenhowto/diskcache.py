"""Results kept on disk under a digest of everything they depend on, so that
a cold `howto` run need not recompute them; a stale entry can never match.
Failing to read or write the cache only costs time, never correctness.

Every edit of the page or the data makes new entries; ``prune`` (run by
builds once a day, and sooner when a quarter of ``MAX_BYTES`` was written
since) drops those unused for ``MAX_AGE_DAYS`` and, least recently used
first, any beyond ``MAX_BYTES``."""
from __future__ import annotations

import collections
import os
import pickle
import time
from typing import Callable, TypeVar

T = TypeVar("T")
MAX_AGE_DAYS = 30
MAX_BYTES = 1 << 30
_PRUNED = ".pruned"  # its modification time: the last prune; its text: the bytes written since
_written = 0  # bytes this process wrote that the marker does not count yet

#: (kind, "hit" | "miss") -> how often, in this process: tests see what was recomputed.
counts: collections.Counter = collections.Counter()


def directory(*parts: str) -> str:
    """$XDG_CACHE_HOME/xenhowto (default ~/.cache/xenhowto), joined with parts."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "xenhowto", *parts)


# A cache entry larger than this is not one we wrote.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MISSING = object()  # what lookup returns for no entry

_RECOMPUTE: frozenset = frozenset()  # kinds whose entries are computed anew, not read


def recompute(kinds=()) -> None:
    """From now on the entries of ``kinds`` (and no others) are misses, and are
    written again: what computing them keeps in the process is then kept
    (`mkdocs serve`'s first build, ``buildcache.prepare_serve``)."""
    global _RECOMPUTE
    _RECOMPUTE = frozenset(kinds)


def lookup(kind: str, digest: str, expect: type | tuple = object):
    """The value kept under ``digest``, or ``MISSING``: an entry that cannot be
    read back as an ``expect`` (truncated, corrupt, not a regular file) is a
    miss, and only costs the time to compute it again."""
    from xenhowto.inputs import InputError, read_bytes

    if kind in _RECOMPUTE:
        counts[kind, "miss"] += 1
        return MISSING
    path = directory(f"{kind}-{digest}.pickle")
    try:
        value = pickle.loads(read_bytes(path, MAX_ENTRY_BYTES, "cache entry"))
    except (InputError, Exception):  # unpickling damaged bytes can raise anything
        value = MISSING
    if value is MISSING or not isinstance(value, expect):
        counts[kind, "miss"] += 1
        return MISSING
    counts[kind, "hit"] += 1
    try:
        os.utime(path)  # used now: prune keeps it
    except OSError:
        pass
    return value


def load(kind: str, digest: str, default=None, expect: type | tuple = object):
    """The value kept under ``digest``, or ``default``."""
    value = lookup(kind, digest, expect)
    return default if value is MISSING else value


def store(kind: str, digest: str, value) -> None:
    global _written
    path = directory(f"{kind}-{digest}.pickle")
    tmp = f"{path}.{os.getpid()}.{id(value)}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            size = f.tell()
        os.replace(tmp, path)  # readers see the whole entry or none
        _written += size
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def cached(kind: str, digest: str, compute: Callable[[], T], expect: type | tuple = object) -> T:
    """The value kept under ``digest``; else ``compute()``, kept for next time."""
    value = lookup(kind, digest, expect)
    if value is MISSING:
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


def prune(max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES, every_seconds: float = 86400) -> int:
    """Drop the entries not used for ``max_age_days``, then the least recently
    used ones beyond ``max_bytes`` in all; at most once per ``every_seconds``
    unless more than a quarter of ``max_bytes`` was written since the last
    prune (a day of edits and test runs can write gigabytes).  How many were
    dropped."""
    from xenhowto.inputs import InputError, read_bytes

    global _written
    folder = directory()
    marker = os.path.join(folder, _PRUNED)
    now = time.time()
    try:
        last = os.stat(marker).st_mtime
        grown = int(read_bytes(marker, 32, "cache marker").strip() or 0)
    except (OSError, InputError, ValueError):  # none yet, or not ours: prune now
        last, grown = 0.0, 0
    written, _written = _written, 0
    if now - last < every_seconds and grown + written <= max_bytes // 4:
        if written:  # a build that wrote nothing leaves the marker alone
            _mark(marker, grown + written, last)
        return 0
    try:
        os.makedirs(folder, exist_ok=True)
        _mark(marker, 0, now)
        entries = []
        for e in os.scandir(folder):
            if e.name.endswith(".pickle") or e.name.endswith(".tmp"):
                st = e.stat()
                entries.append((st.st_mtime, st.st_size, e.path))
    except OSError:
        return 0
    entries.sort(reverse=True)  # most recently used first
    dropped, total = 0, 0
    for mtime, size, path in entries:
        total += size
        if now - mtime > max_age_days * 86400 or total > max_bytes:
            try:
                os.remove(path)
                dropped += 1
            except OSError:
                pass
    return dropped


def _mark(marker: str, written: int, pruned_at: float) -> None:
    """The marker: when the last prune was (its time) and the bytes written since (its text)."""
    tmp = f"{marker}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="ascii") as f:
            f.write(str(written))
        os.utime(tmp, (pruned_at, pruned_at))
        os.replace(tmp, marker)  # whatever was there (a FIFO put in its place too)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
