"""Putting a guide's files into the temporary root, and nowhere else.

A file snippet names a path on the reader's dom0 (``/boot.cfg``,
``/etc/rc.conf``); the verifier writes it from outside the sandbox, so the
path must be mapped into the temporary root by hand, as the sandbox would
see it: every component is resolved against the root, an absolute symlink
(made by an earlier shell step) points into the root, and a path with ``..``
or a relative symlink that climbs above the root is refused.  The final file
is opened with O_NOFOLLOW and its directory checked to lie under the root.
Parent directories are not created: a reader's editor cannot save
/usr/pkg/etc/xen/foo before a package made /usr/pkg/etc/xen.

Besides create and append, ``edit`` changes lines that are already there:
each line of the snippet replaces the file's line with the same key (a
boot.cfg ``menu=Label:`` entry, a ``name=`` or xl ``name = value``
assignment, an /etc/ttys line by its terminal's name); a line whose key the
file does not have is an error, as there is nothing to edit.
"""
from __future__ import annotations

import os


class PathError(ValueError):
    """A path a guide names that cannot be written inside the root."""


def resolve(root: str, path: str) -> str:
    """The host path of ``path`` (as the dom0 sees it) inside ``root``."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise PathError(f"{path!r} is not an absolute path")
    if "\0" in path:
        raise PathError(f"{path!r} contains a NUL byte")
    if ".." in path.split("/"):
        raise PathError(f"{path} contains '..': a guide names files by their plain path")
    resolved: list[str] = []
    pending = [p for p in path.split("/") if p not in ("", ".")]
    links = 0
    while pending:
        name = pending.pop(0)
        if name in ("", "."):
            continue
        if name == "..":  # only from a symlink's target
            if not resolved:
                raise PathError(f"{path}: a symlink on the way climbs out of the root")
            resolved.pop()
            continue
        here = os.path.join(root, *resolved, name)
        if os.path.islink(here):
            links += 1
            if links > 32:
                raise PathError(f"{path}: too many levels of symbolic links")
            target = os.readlink(here)
            if target.startswith("/"):
                resolved = []  # absolute: from the root, as inside the sandbox
            pending = [p for p in target.split("/") if p not in ("", ".")] + pending
            continue
        resolved.append(name)
    if not resolved:
        raise PathError(f"{path} is the root directory")
    host = os.path.join(root, *resolved)
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(os.path.dirname(host))]) != real_root:
        raise PathError(f"{path} resolves outside the root")
    return host


def write(root: str, path: str, content: str, append: bool = False) -> str:
    """Create (or append to) ``path`` inside ``root``; returns the host path written."""
    host = resolve(root, path)
    parent = os.path.dirname(host)
    if not os.path.isdir(parent):
        shown = "/" + os.path.relpath(parent, root)
        raise PathError(f"cannot write {path}: directory {shown} does not exist at this step")
    if os.path.isdir(host):
        raise PathError(f"cannot write {path}: it is a directory")
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | (os.O_APPEND if append else os.O_TRUNC)
    data = content.encode("utf-8")
    if append and os.path.isfile(host):
        size = os.path.getsize(host)
        if size:
            with open(host, "rb") as f:
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    data = b"\n" + data  # an editor ends the last line before adding one
    fd = os.open(host, flags, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return host


def line_key(line: str, path: str = "") -> str | None:
    """What identifies a line for ``edit``: "menu=Xen:" for a boot.cfg entry, "name=" for
    ``name=value`` or ``name = value``, the terminal ("ttyE0") for a line of /etc/ttys."""
    stripped = line.strip()
    if path.endswith("/etc/ttys"):
        word = stripped.split(None, 1)[0] if stripped else ""
        return None if not word or word.startswith("#") else word
    name, eq, rest = stripped.partition("=")
    name = name.strip()
    if not eq or not name or " " in name or "\t" in name:
        return None
    if name == "menu":
        label, colon, _ = rest.partition(":")
        return f"menu={label}:" if colon else None
    return name + "="


def edit(root: str, path: str, content: str) -> str:
    """Replace the lines of ``path`` that have the keys of ``content``'s lines; returns the host path."""
    host = resolve(root, path)
    try:
        with open(host, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        raise PathError(f"cannot edit {path}: it does not exist at this step") from None
    except OSError as e:
        raise PathError(f"cannot edit {path}: {e.strerror}") from None
    for new in content.splitlines():
        if not new.strip():
            continue
        key = line_key(new, path)
        if key is None:
            raise PathError(f"cannot edit {path}: {new!r} has no key (menu=Label:, name= or a terminal's "
                            "name) to find its line")
        matches = [i for i, old in enumerate(lines) if line_key(old, path) == key]
        if not matches:
            raise PathError(f"cannot edit {path}: no line {key}... to change (add it first)")
        lines[matches[-1]] = new
    write(root, path, "\n".join(lines) + "\n")
    return host
