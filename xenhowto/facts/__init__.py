"""Dated facts about Xen, pkgsrc and NetBSD (data/*.yaml) and what the HOWTO
computes from them.  One module per job:

- ``load``: read the YAML files, keeping the line of every key;
- ``schema``: validate each file against data/schema/*.schema.json;
- ``model``: the facts as Python objects; ``crosscheck``: checks across files;
- ``view``: what was known on an as-of date; ``recommend``: the one rule;
- ``prose``: the HOWTO's paragraphs and table; ``report``: ``howto versions``;
- ``staleness``: hand-written "as of YYYY-MM" that is getting old.

``load_facts(data_dir)`` returns the facts or raises ``HowtoError`` carrying
every finding (file:line and a sentence), never a traceback.
"""
from __future__ import annotations

import contextlib
import os

from xenhowto.findings import Finding, HowtoError
from xenhowto.pinning import Pin
from xenhowto.facts import load, model

_CACHE: dict = {}


def _stamp(data_dir: str) -> tuple:
    """Changes whenever a data or schema file changes (mkdocs serve reloads)."""
    out = []
    for sub in (data_dir, os.path.join(data_dir, "schema")):
        try:
            names = sorted(os.listdir(sub))
        except OSError:
            continue
        for n in names:
            try:
                st = os.stat(os.path.join(sub, n))
            except OSError:
                continue
            out.append((sub, n, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _load(data_dir: str) -> tuple[model.Facts | None, list[Finding]]:
    from xenhowto.facts import crosscheck, schema  # only when the data is validated, not read from the cache

    files, findings = load.read_all(data_dir)
    for stem, f in files.items():
        if f.data is None:
            continue
        sch, problems = schema.load_schema(data_dir, stem)
        findings += problems
        if sch is not None:
            findings += schema.validate(f, sch)
    if findings:
        return None, sorted(set(findings))
    facts, findings = model.build(files)
    if facts is None:
        return None, sorted(set(findings))
    findings = crosscheck.check(facts)
    return (None if findings else facts), findings


def check_data(data_dir: str | None = None) -> list[Finding]:
    """Every problem of the data files (empty when they are fine)."""
    return load_with_findings(data_dir)[1]


def code_files() -> list[str]:
    """The code that reads and validates data files: this package and the
    modules it reads files with."""
    code = os.path.dirname(os.path.abspath(__file__))
    package = os.path.dirname(code)
    return sorted(os.path.join(code, n) for n in os.listdir(code) if n.endswith(".py")) + [
        os.path.join(package, n) for n in ("yamlfiles.py", "inputs.py", "findings.py")]


def data_digest(data_dir: str) -> str:
    """Changes with any byte of the data files and their schemas (data/*.yaml,
    data/schema/*.json), with the code that reads them, and with the path the
    facts show their files by (the facts say where each came from)."""
    from xenhowto import digest

    data_dir = os.path.abspath(data_dir)
    return digest.of(load.shown_path(data_dir), digest.files(data_dir, suffixes=(".yaml", ".json")),
                     digest.code(__name__))


def _load_cached(data_dir: str) -> tuple[model.Facts | None, list[Finding]]:
    """Validating the data takes most of a cold `howto` run; the result only
    depends on the bytes of the data, schemas and code (their digest)."""
    from xenhowto import diskcache

    return diskcache.cached("facts", data_digest(data_dir), lambda: _load(data_dir), expect=tuple)


_PIN = Pin()  # while pinned: data_dir -> what was read first


def pin(fresh: bool = False) -> None:
    """From now until ``unpin``, each data directory is read (and its files'
    times checked) once: a build or a history asks for the facts thousands
    of times, and takes them as they were when it began."""
    _PIN.pin(fresh)


def unpin() -> None:
    _PIN.unpin()


@contextlib.contextmanager
def pinned():
    pin()
    try:
        yield
    finally:
        unpin()


def load_with_findings(data_dir: str | None = None) -> tuple[model.Facts | None, list[Finding]]:
    data_dir = os.path.abspath(data_dir or load.default_data_dir())
    return _PIN.once(data_dir, lambda: _read(data_dir))


def _read(data_dir: str) -> tuple[model.Facts | None, list[Finding]]:
    key = (data_dir, load.shown_path(data_dir), _stamp(data_dir))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _load_cached(data_dir)
    return _CACHE[key]


def load_facts(data_dir: str | None = None) -> model.Facts:
    facts, findings = load_with_findings(data_dir)
    if facts is None:
        raise HowtoError(f"the data in {load.shown_path(data_dir or load.default_data_dir())} has "
                         f"{len(findings)} problem(s); fix them first", findings)
    return facts
