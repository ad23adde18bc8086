"""Render an export directory with the real ikiwiki, as the NetBSD wiki would.

The wiki renders markdown with Text::Markdown::Discount; ikiwiki silently falls
back to another markdown module when Discount is missing, which would make any
comparison meaningless, so both are checked before rendering.  The srcdir is a
scratch copy: the exported pages, the wiki's templates/ (the NetBSD wiki has
them; the export does not carry them) and a stub page for every known wiki page
the site does not hold, so that wikilinks resolve as they do on the wiki.

A plain function (no pytest) so the tests and a benchmark can both call it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Iterable

from xenhowto.findings import HowtoError
from xenhowto.pages import is_wiki_page, page_name

IKIWIKI = "ikiwiki"
# The plugins the NetBSD wiki uses for our pages; htmlscrubber off so the
# output is what markdown produced; deterministic so two runs compare equal.
ARGS = (
    "--plugin", "meta", "--plugin", "toc", "--plugin", "table", "--plugin", "template",
    "--disable-plugin", "htmlscrubber",
    "--set", "usedirs=1", "--set", "deterministic=1",
)
_SETUP = "run scripts/setup to install it (Debian packages ikiwiki and libtext-markdown-discount-perl)"


def check_tools() -> str:
    """Path of the ikiwiki binary; HowtoError if it or Discount is missing."""
    binary = shutil.which(IKIWIKI)
    if binary is None:
        raise HowtoError(f"ikiwiki is not installed (no '{IKIWIKI}' on PATH); {_SETUP}")
    probe = subprocess.run(["perl", "-MText::Markdown::Discount", "-e", "1"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise HowtoError(
            "Text::Markdown::Discount is missing, so ikiwiki would not render as the NetBSD wiki does; " + _SETUP
        )
    return binary


def _exported_pages(export_dir: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(export_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), export_dir).replace(os.sep, "/")
            if is_wiki_page(rel):
                found.append(rel)
    return found


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def render(export_dir: str, destdir: str, *, templates_dir: str | None = None,
           known_wiki_pages: Iterable[str] = ()) -> dict[str, str]:
    """Render the .mdwn pages under export_dir into destdir with ikiwiki;
    return {wiki page name: HTML of that page}.  Stub pages are rendered but
    not returned."""
    binary = check_tools()
    pages = _exported_pages(export_dir)
    if not pages:
        raise HowtoError(f"{export_dir}: no .mdwn pages to render (run howto export -o {export_dir} first)")
    srcdir = tempfile.mkdtemp(prefix="howto-ikiwiki-src-")
    try:
        for src in pages:
            dest = os.path.join(srcdir, src)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(export_dir, src), dest)
        if templates_dir is None:
            templates_dir = os.path.join(export_dir, "templates")  # e.g. a wikisrc checkout
        if os.path.isdir(templates_dir):
            shutil.copytree(templates_dir, os.path.join(srcdir, "templates"), dirs_exist_ok=True)
        names = {page_name(src) for src in pages}
        for stub in sorted(set(known_wiki_pages) - names):
            _write(os.path.join(srcdir, stub + ".mdwn"), f"Stub for the wiki page {stub}.\n")
        result = subprocess.run([binary, *ARGS, srcdir, destdir], capture_output=True, text=True)
        if result.returncode != 0:
            raise HowtoError(f"ikiwiki failed (exit {result.returncode}):\n{result.stderr.strip()}")
    finally:
        shutil.rmtree(srcdir, ignore_errors=True)
    out = {}
    for name in sorted(names):
        # usedirs: page a/b is a/b/index.html; the page "index" is the top index.html
        html_path = os.path.join(destdir, "index.html" if name == "index" else os.path.join(name, "index.html"))
        with open(html_path, encoding="utf-8") as f:
            out[name] = f.read()
    return out
