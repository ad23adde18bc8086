"""Verdicts kept on disk, so that an unchanged guide is never verified twice.

A verdict depends on the guide (its steps and setup, which the page, the data
and the templates made), on the machine the sandbox stands in for (the release
installed, found from the setup's date), and on the verifier: its code, the
validators' code and the real checkers they run (shellcheck, libxlutil).  The
key is a digest of all of that; a guide whose steps a change touched gets a
new key, the others keep theirs.  The date alone is not part of it: a guide
that comes out the same on another day, on the same machine, is the same
verification.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess

from xenhowto import diskcache

_CODE_DIRS = ("verify", "validators")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The verifier's and the validators' code and data, and the checkers' versions."""
    h = hashlib.sha256()
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for sub in _CODE_DIRS:
        top = os.path.join(package, sub)
        for base, dirs, files in sorted(os.walk(top)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(base, name)
                h.update(os.path.relpath(path, package).encode() + b"\0")
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    shellcheck = shutil.which("shellcheck")
    if shellcheck:
        r = subprocess.run([shellcheck, "--version"], capture_output=True, text=True)
        h.update(r.stdout.encode())
    for lib in ("/usr/lib/x86_64-linux-gnu/libxlutil.so.4.17", "/usr/lib/x86_64-linux-gnu/libxlutil.so"):
        if os.path.exists(lib):
            st = os.stat(lib)
            h.update(f"{os.path.realpath(lib)}:{st.st_size}".encode())
            break
    return h.hexdigest()


def key(guide: dict) -> str:
    """The digest of everything the verdict of ``guide`` depends on."""
    from xenhowto.verify.sandbox import machine_of

    setup = dict(guide.get("setup") or {})
    machine = machine_of(setup)
    setup.pop("as_of", None)
    what = {"setup": setup, "steps": guide.get("steps"), "machine": machine, "code": code_digest()}
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def load(guide: dict):
    """The kept VerifyResult of ``guide``, or None."""
    return diskcache.load("verdict", key(guide))


def store(guide: dict, result) -> None:
    diskcache.store("verdict", key(guide), result)
