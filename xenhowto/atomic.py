"""Writes that either happen whole or not at all, so a failed build or export
leaves the previous output intact."""
from __future__ import annotations

import os
import shutil
import tempfile


def write_text(path: str, text: str) -> None:
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def replace_dir(new: str, target: str) -> None:
    """Put the fully built directory ``new`` in place of ``target``."""
    old = None
    if os.path.exists(target):
        old = tempfile.mkdtemp(prefix=".site.old-", dir=os.path.dirname(target) or ".")
        os.rmdir(old)
        os.rename(target, old)
    os.rename(new, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
