"""What makes a built site deployable as is: every directory and file
readable by everyone (a web server behind `rsync -a` serves it), whatever
the umask or tempfile.mkdtemp's 0700 made them."""
from __future__ import annotations

import os
import stat

DIR_MODE = 0o755
FILE_MODE = 0o644


def make_world_readable(root: str) -> None:
    """Directories 0755 and regular files 0644 under root (root included);
    symbolic links are left alone (the build makes none)."""
    os.chmod(root, DIR_MODE)
    for base, dirs, files in os.walk(root):
        for d in dirs:
            path = os.path.join(base, d)
            if not os.path.islink(path):
                os.chmod(path, DIR_MODE)
        for f in files:
            path = os.path.join(base, f)
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.chmod(path, FILE_MODE)
