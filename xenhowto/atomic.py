"""Writes that either happen whole or not at all, and never destroy what was
there: a failed or killed build or export leaves the previous output intact.

Files (``write_text``): the text goes to a temporary file beside the target,
is flushed to disk, then renamed over it.  Only a regular file is ever
replaced, keeping its permission bits.  A symlink is followed: what it names
must be a regular file (or nothing yet, in an existing directory), and that
file is replaced, the symlink kept.  A device, a FIFO, a directory or a
socket is refused (``OutputError``, a usage error): ``-o /dev/null`` must not
replace /dev/null with a file.  A disk that is full or read-only is one
sentence (``WriteError``) and the old file is untouched.

Directories (``replace_dir``): the new tree is swapped with the old one by
one ``renameat2(RENAME_EXCHANGE)`` (Linux), so at every instant the target is
the whole old tree or the whole new one; elsewhere two renames, with a short
window.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import tempfile

from xenhowto.findings import HowtoError, UsageError


class OutputError(UsageError):
    """The path given for an output is not something we may write to."""


class WriteError(HowtoError):
    """Writing failed (disk full, read-only, permission): nothing was replaced."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def target_of(path: str) -> str:
    """The regular file (or new path) that writing ``path`` replaces, symlinks
    followed; OutputError for anything else."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutputError(f"{path} is a symlink to {real}, which does not exist; "
                              "give a regular file or a new path") from None
        return real
    except OSError as e:
        raise OutputError(f"cannot use {path}: {(e.strerror or str(e)).lower()}") from None
    if not stat.S_ISREG(st.st_mode):
        shown = path if real == os.path.abspath(path) else f"{path} (that is, {real})"
        raise OutputError(f"{shown} is {_kind(st.st_mode)}; give a regular file or a new path")
    return real


def _sentence(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def write_text(path: str, text: str) -> None:
    """Replace (or create) the file at ``path`` with ``text``, atomically."""
    real = target_of(path)
    directory = os.path.dirname(real) or "."
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except FileNotFoundError:
        mode = 0o644
    tmp = None
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
        tmp = None
        _sync_dir(directory)
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_sentence(e)}; it is unchanged") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _sync_dir(directory: str) -> None:
    """Make a rename in ``directory`` durable (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where
    the system or the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), b)


def replace_dir(new: str, target: str) -> None:
    """Put the fully built directory ``new`` in place of ``target``; ``new``
    is gone afterwards (it held the old tree, which is removed)."""
    if os.path.lexists(target) and not os.path.isdir(target):
        raise OutputError(f"{target} is not a directory; give a directory or a new path for the site")
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old tree
        return
    old = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(target) or ".")
    os.rmdir(old)
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)
