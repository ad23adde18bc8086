"""A MkDocs hook used only by scripts/bench_build.py (never by the site): after
our build, it writes every page of the site as the plain markdown MkDocs
would be given if the project had no hooks and no ikiwiki syntax (each page's
final markdown, run through the Python-Markdown preprocessors up to and
including the ikiwiki expansion), the files our hooks generate (api/,
history.json, the builder's data) as they are, the site's assets and nav,
into the directory named by $HOWTO_BENCH_FLATTEN: the plain MkDocs baseline.
"""
from __future__ import annotations

import json
import os
import re
import shutil

import markdown

EXT = "xenhowto.ikiwiki"
_MDWN_LINK = re.compile(r"\.mdwn(?=[)#?\"'])")


def _flat_name(src_uri: str) -> str:
    return src_uri[: -len(".mdwn")] + ".md" if src_uri.endswith(".mdwn") else src_uri


def _flattened(page, config) -> str:
    """The page's markdown as our Markdown instance hands it on after the
    ikiwiki preprocessor (every directive, region and wikilink expanded)."""
    configs = {k: dict(v) for k, v in config.mdx_configs.items()}
    ext = configs.setdefault(EXT, {})
    ext.pop("expanded", None)
    ext["page"] = page.file.src_uri.rsplit(".", 1)[0]
    ext["path"] = os.path.relpath(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=configs)
    lines = (page.markdown or "").split("\n")
    last = md.preprocessors["ikiwiki"]
    for pre in md.preprocessors:  # in priority order: normalize_whitespace, then ikiwiki
        lines = pre.run(lines)
        if pre is last:
            break
    # links to a .mdwn page point at its .md in the flattened project
    return _MDWN_LINK.sub(".md", "\n".join(lines))


def _nav(items):
    out = []
    for item in items or []:
        if isinstance(item, dict):
            out.append({k: _nav(v) if isinstance(v, list) else _flat_name(v) for k, v in item.items()})
        else:
            out.append(_flat_name(item))
    return out


def on_env(env, config, files):
    dest = os.environ.get("HOWTO_BENCH_FLATTEN")
    if not dest:
        return env
    docs = os.path.join(dest, "docs")
    for f in files:
        if not f.inclusion.is_included():
            continue  # templates/: not part of the site
        target = os.path.join(docs, _flat_name(f.src_uri))
        if f.page is not None:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            text = _flattened(f.page, config)
            title = f.page.meta.get("title")
            head = f"---\ntitle: {json.dumps(title)}\n---\n\n" if title else ""
            with open(target, "w", encoding="utf-8") as out:
                out.write(head + text)
        elif f.generated_by:  # api/'s files, history.json, the builder's data: as they are
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(f.content_bytes)
        elif f.abs_src_path and f.src_dir == config.docs_dir:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(f.abs_src_path, target)  # the site's own assets (styles, scripts)
    with open(os.path.join(dest, "nav.json"), "w", encoding="utf-8") as out:
        json.dump(_nav(config.nav), out)
    return env
