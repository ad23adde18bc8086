"""Reading the files people hand us: pages, data, answers, domU configs.

Whatever the path names, the read ends, in time and memory bounded by the
file's size: only a regular file is read (a FIFO would block forever,
/dev/zero never end), at most ``limit`` bytes, and a problem is one sentence
(``InputError``), never a traceback.  Text must be UTF-8; where it is not, the
first bad byte is named by line and column.
"""
from __future__ import annotations

import errno
import os
import stat

MiB = 1024 * 1024


class InputError(Exception):
    """A file that cannot be read as asked: the message says why and what to do."""


def read_bytes(path: str, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a
        # terminal device must not become ours.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        reason = "no such file" if e.errno == errno.ENOENT else (e.strerror or str(e)).lower()
        raise InputError(f"cannot read the {what} {path}: {reason}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
            raise InputError(f"the {what} {path} is {kind}; give a regular file")
        if st.st_size > limit:
            raise InputError(f"the {what} {path} is {st.st_size} bytes; more than {limit} is refused")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 * MiB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while we read it
                raise InputError(f"the {what} {path} is more than {limit} bytes; it is refused")
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"cannot read the {what} {path}: {(e.strerror or str(e)).lower()}") from None
    finally:
        os.close(fd)


def decode(data: bytes, path: str, what: str = "file") -> tuple[str, tuple[int, str] | None]:
    """UTF-8 text (a leading BOM dropped) and, when some bytes are not UTF-8,
    (line, sentence) for the first one; the text then shows them as U+FFFD."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        at = e.start
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        problem = (f"the {what} is not UTF-8 text (byte 0x{data[at]:02x} at column {column}); "
                   "save it as UTF-8")
        return data.decode("utf-8-sig", "replace"), (line, problem)


def read_text(path: str, limit: int, what: str = "file") -> tuple[str, tuple[int, str] | None]:
    """``read_bytes`` then ``decode``."""
    return decode(read_bytes(path, limit, what), path, what)
