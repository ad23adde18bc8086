"""Digests of what a cached result depends on: the keys of ``xenhowto.diskcache``.

A key must change whenever anything the result is computed from changes,
and should not change otherwise (so an unrelated edit recomputes nothing):

- ``of(*parts)``: values (text, dates, settings);
- ``files(*paths)``: the bytes of files and directory trees (data/, templates);
- ``code(*modules)``: the source of the named modules of this package and of
  every module of the package they import, at any depth (imports inside
  functions too), with the files they read next to them (templates, data
  packages): a change to one module changes the keys of exactly the results
  computed by code that imports it (the caching's own modules are left out:
  ``xenhowto.buildcache`` puts its own source in its keys);
- ``tool(path)``: an external program or library (shellcheck, libxlutil),
  by its file (a new version is a new file).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import stat

from xenhowto.pinning import Pin

PACKAGE = "xenhowto"
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def of(*parts) -> str:
    """A digest of values: strings as they are, anything else as sorted JSON."""
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, bytes):
            data = p
        elif isinstance(p, str):
            data = p.encode("utf-8")
        else:
            data = json.dumps(p, sort_keys=True, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:32]


_FILE_DIGESTS: dict[tuple, str] = {}


def _file(path: str) -> str:
    """One file's digest, remembered while its size and modification time stay the same."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        # a FIFO or a device must not hang or flood us: the reader reports it
        return f"not a regular file ({stat.filemode(st.st_mode)})"
    key = (path, st.st_size, st.st_mtime_ns)
    if key not in _FILE_DIGESTS:
        with open(path, "rb") as f:
            _FILE_DIGESTS[key] = hashlib.sha256(f.read()).hexdigest()
    return _FILE_DIGESTS[key]


def _walk(top: str, suffixes: tuple[str, ...] | None) -> list[str]:
    if os.path.isfile(top):
        return [top]
    out = []
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        out += [os.path.join(root, n) for n in sorted(names) if suffixes is None or n.endswith(suffixes)]
    return out


_PIN = Pin()


def pin(fresh: bool = False) -> None:
    """From now until ``unpin``, what ``once`` computes is kept: a build
    takes its files as they are when it begins, as it takes the facts
    (``xenhowto.facts.pin``), so its keys and its results agree."""
    _PIN.pin(fresh)


def unpin() -> None:
    _PIN.unpin()


def once(key, compute):
    """``compute()``, once per ``key`` while pinned (every time otherwise)."""
    return _PIN.once(key, compute)


def files(*paths: str, suffixes: tuple[str, ...] | None = None) -> str:
    """The names (relative to each given path) and bytes of the files under
    ``paths``; a path that does not exist counts as such."""
    return once(("files", paths, suffixes), lambda: _files(paths, suffixes))


def _files(paths: tuple[str, ...], suffixes: tuple[str, ...] | None) -> str:
    h = hashlib.sha256()
    for top in paths:
        h.update(b"\0top\0" + os.path.basename(top).encode())
        if not os.path.exists(top):
            h.update(b"\0missing")
            continue
        for path in _walk(top, suffixes):
            h.update(b"\0" + os.path.relpath(path, top).encode() + b"\0" + _file(path).encode())
    return h.hexdigest()[:32]


# --- code ---------------------------------------------------------------------

_IMPORT_RE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)|import[ \t]+([^\n#]+))",
                        re.M)
_COMMENT_RE = re.compile(r"#[^\n]*")
_DYNAMIC_RE = re.compile(r"\bimport_module\(")
_IMPORTS: dict[str, tuple[set[str], bool]] = {}
_CODE: dict[tuple[str, ...], str] = {}


@functools.lru_cache(maxsize=None)
def _module_file(name: str) -> str | None:
    """The file of a module of this package (a package: its __init__.py)."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = os.path.join(os.path.dirname(_PACKAGE_DIR), *name.split("."))
    for path in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(path):
            return path
    return None


def _module_name(path: str) -> str:
    rel = os.path.relpath(path, os.path.dirname(_PACKAGE_DIR))[: -len(".py")].split(os.sep)
    return ".".join(rel[:-1] if rel[-1] == "__init__" else rel)


def imports(path: str) -> tuple[set[str], bool]:
    """(The modules of this package that the file imports anywhere in it,
    whether it imports modules by computed names).  A package that is only
    the parent of an imported module is named with ``PARENT``."""
    key = path
    if key not in _IMPORTS:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        _IMPORTS[key] = (_named(_COMMENT_RE.sub("", text), path), bool(_DYNAMIC_RE.search(text)))
    return _IMPORTS[key]


# A package imported only as the parent of one of its modules: what its
# __init__ imports as it runs counts, not what its functions import when
# called (xenhowto.ikiwiki's makeExtension imports the whole extension).
PARENT = ":parent"
_RUN_IMPORTS: dict[str, set[str]] = {}


def run_imports(path: str) -> set[str]:
    """The modules of this package that a file imports as it runs: its import
    statements outside function bodies."""
    if path not in _RUN_IMPORTS:
        import ast

        with open(path, encoding="utf-8") as f:
            text = f.read()
        statements, todo = [], list(ast.parse(text, path).body)
        while todo:
            node = todo.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                statements.append(ast.get_source_segment(text, node).strip())
            todo += list(ast.iter_child_nodes(node))
        _RUN_IMPORTS[path] = _named("\n".join(statements), path)
    return _RUN_IMPORTS[path]


def _named(text: str, path: str) -> set[str]:
    me = _module_name(path)
    package = me if path.endswith("__init__.py") else me.rpartition(".")[0]
    found: set[str] = set()
    for m in _IMPORT_RE.finditer(text):
        source, names, plain = m.groups()
        if plain is not None:  # import a.b, c as d
            found |= {n.split(" as ")[0].strip() for n in plain.split(",")}
            continue
        dots = len(source) - len(source.lstrip("."))
        if dots:
            base = package.split(".")
            base = base[: len(base) - dots + 1]
            source = ".".join(base + ([source[dots:]] if source[dots:] else []))
        found.add(source)
        for n in names.strip("()").split(","):  # "from pkg import module" imports pkg.module
            n = n.split(" as ")[0].strip()
            if n and n != "*":
                found.add(f"{source}.{n}")
    project = set()
    for name in found:
        # a.b.c runs the __init__ of a and a.b too
        parts = name.split(".")
        project |= {".".join(parts[:i]) + PARENT for i in range(1, len(parts)) if _module_file(".".join(parts[:i]))}
        if _module_file(name):
            project.add(name)
    return project


def _package_modules(path: str) -> list[str]:
    """Every module of the package a file belongs to (for computed imports)."""
    return [_module_name(p) for p in _walk(os.path.dirname(path), (".py",))]


_RESOURCES: dict[str, list[str]] = {}


def _resources(path: str) -> list[str]:
    """Files a module may read next to it: the other files of its directory
    and of its subdirectories that hold no code (templates/, data/)."""
    here = os.path.dirname(path)
    if here not in _RESOURCES:
        _RESOURCES[here] = _resources_in(here)
    return _RESOURCES[here]


def _resources_in(here: str) -> list[str]:
    out = [os.path.join(here, n) for n in sorted(os.listdir(here))
           if os.path.isfile(os.path.join(here, n)) and not n.endswith((".py", ".pyc"))]
    for d in sorted(os.listdir(here)):
        sub = os.path.join(here, d)
        if d == "__pycache__" or not os.path.isdir(sub):
            continue
        inside = _walk(sub, None)
        if not any(p.endswith(".py") and os.path.basename(p) != "__init__.py" for p in inside):
            out += [p for p in inside if not p.endswith((".py", ".pyc"))]
    return out


# The caching itself: it decides whether a result is computed, not what it is
# (a key that includes it would make every result depend on every other's code).
MACHINERY = frozenset({f"{PACKAGE}.buildcache", f"{PACKAGE}.diskcache", f"{PACKAGE}.digest"})


def modules_of(*modules: str) -> list[str]:
    """The files of ``modules`` and of every module of this package they
    import, transitively (but for the caching's own, ``MACHINERY``), sorted."""
    seen: set[str] = set()
    done: set[str] = set()  # names followed, PARENT ones apart
    todo = [m for m in modules]
    for m in modules:  # importing a.b runs a's __init__ first
        parts = m.split(".")
        todo += [".".join(parts[:i]) + PARENT for i in range(1, len(parts))]
    while todo:
        name = todo.pop()
        parent_only = name.endswith(PARENT)
        module = name[: -len(PARENT)] if parent_only else name
        if module in MACHINERY and module not in modules:
            continue
        path = _module_file(module)
        if path is None or name in done or module in done:
            continue
        done.add(name)
        seen.add(path)
        if parent_only:
            todo += sorted(run_imports(path))
            continue
        found, dynamic = imports(path)
        todo += sorted(found)
        if dynamic:
            todo += _package_modules(path)
    return sorted(seen)


def code(*modules: str) -> str:
    """A digest of the code of ``modules`` and all it imports (see above).

    Taken once per process: the code a process runs is what it imported, so
    a source file edited while `mkdocs serve` runs must not give the old
    code's results the new code's key (``forget`` starts over, for tests).
    Digests are also kept on disk while no file of the package changed (its
    files' sizes, times and inodes), so a new process need not read the code."""
    if modules not in _CODE:
        known = _known_codes()
        name = "\0".join(modules)
        if name not in known:
            h = hashlib.sha256()
            for path in modules_of(*modules):
                for p in [path] + _resources(path):
                    h.update(os.path.relpath(p, _PACKAGE_DIR).encode() + b"\0" + _file(p).encode() + b"\0")
            known[name] = h.hexdigest()[:32]
            _save_codes(known)
        _CODE[modules] = known[name]
    return _CODE[modules]


_KNOWN: list = []  # [(stamp, {modules: digest})], read from disk once per process


def _package_stamp() -> str:
    """Changes whenever a file of the package is written, added, removed or renamed."""
    h = hashlib.sha256()
    for root, dirs, names in os.walk(_PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            st = os.stat(os.path.join(root, n))
            h.update(f"{root}/{n}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}\0".encode())
    return h.hexdigest()[:32]


def _known_codes() -> dict[str, str]:
    from xenhowto import diskcache

    if not _KNOWN:
        stamp = _package_stamp()
        found = diskcache.lookup("code", stamp)
        _KNOWN.append((stamp, {} if found is diskcache.MISSING else found))
    return _KNOWN[0][1]


def _save_codes(known: dict[str, str]) -> None:
    from xenhowto import diskcache

    diskcache.store("code", _KNOWN[0][0], known)


def forget() -> None:
    """Read the code anew (tests that change a module's source)."""
    _IMPORTS.clear()
    _RUN_IMPORTS.clear()
    _CODE.clear()
    _KNOWN.clear()
    _module_file.cache_clear()
    _RESOURCES.clear()


def tool(program: str) -> str:
    """An external program (by name, found on PATH) or file, by its resolved
    path, size and modification time; "missing" when there is none."""
    path = program if os.sep in program else shutil.which(program)
    if not path or not os.path.exists(path):
        return f"{program}: missing"
    real = os.path.realpath(path)
    st = os.stat(real)
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"
