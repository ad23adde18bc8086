"""[[!template id=NAME key=value ...]]: fill the wiki page templates/NAME.mdwn
(ikiwiki's template plugin, HTML::Template syntax).  A variable the template
uses outside any <TMPL_IF> is required; one it never uses is refused."""
from __future__ import annotations

import html
import os
import re

from xenhowto.findings import shorten
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = True

_VAR = re.compile(r"<TMPL_VAR\s+(?:NAME=)?\"?(\w+)\"?[^>]*>", re.I)
# A raw_ value goes into the page unescaped (man: into a link's URL); these
# would end the link or start markup there.
_UNSAFE_RAW = re.compile(r"[\s<>()\[\]\"'`\\]")
_IF = re.compile(r"<TMPL_(IF|UNLESS)\s+(?:NAME=)?\"?(\w+)\"?\s*>(.*?)(?:<TMPL_ELSE>(.*?))?</TMPL_\1>", re.I | re.S)


def _load(ctx: PageContext, name: str) -> str:
    if not re.fullmatch(r"[-\w]+", name):
        raise DirectiveError(f"template id={name!r} is not a template name")
    base = ctx.templates_dir
    available = sorted(f[:-5] for f in os.listdir(base) if f.endswith(".mdwn")) if base and os.path.isdir(base) else []
    if name not in available:
        raise DirectiveError(
            f"template id={name!r} is unknown; known templates: {', '.join(available) or 'none'}"
        )
    from xenhowto.pages import read_page

    body, problems = read_page(os.path.join(base, name + ".mdwn"))
    if problems:
        raise DirectiveError(f"template {name}: {problems[0].message}")
    return body


def variables(body: str) -> tuple[set[str], set[str]]:
    """(required, all) variable names of a template body; raw_X counts as X."""
    base = lambda v: v[4:] if v.lower().startswith("raw_") else v  # noqa: E731
    everything = {base(v) for v in _VAR.findall(body)} | {base(m[1]) for m in _IF.findall(body)}
    unconditional = _IF.sub("", body)
    return {base(v) for v in _VAR.findall(unconditional)}, everything


def fill(body: str, values: dict[str, str]) -> str:
    def cond(m: re.Match) -> str:
        truth = bool(values.get(m.group(2)))
        if m.group(1).upper() == "UNLESS":
            truth = not truth
        return m.group(3) if truth else (m.group(4) or "")

    def var(m: re.Match) -> str:
        name = m.group(1)
        if name.lower().startswith("raw_"):
            return values.get(name[4:], "")
        return html.escape(values.get(name, ""), quote=False)

    return _VAR.sub(var, _IF.sub(cond, body))


def render(d: Directive, ctx: PageContext) -> str:
    name = d.get("id")
    if not name:
        raise DirectiveError("template needs id=, e.g. [[!template id=man name=boot.cfg section=5]]")
    body = _load(ctx, name)
    values = {k: v for k, v in d.params if k not in (None, "id")}
    bare = d.bare()
    if bare:
        raise DirectiveError(f"template argument {bare[0]!r} has no key; write key=value")
    required, known = variables(body)
    missing = sorted(required - values.keys())
    if missing:
        raise DirectiveError(f"template {name} needs {', '.join(m + '=' for m in missing)}")
    extra = sorted(values.keys() - known)
    if extra:
        raise DirectiveError(f"template {name} does not use {', '.join(e + '=' for e in extra)}")
    raw = {v[4:] for v in _VAR.findall(body) if v.lower().startswith("raw_")}
    for key in sorted(raw & values.keys()):
        if _UNSAFE_RAW.search(values[key]):
            raise DirectiveError(f"template {name}: {key}={shorten(values[key])!r} goes into a link unchanged, "
                                 "so it may not hold blanks, quotes, brackets, parentheses, < or >")
    # ikiwiki keeps the template's final newline ("xl(1)\n." shows as "xl(1) .")
    return fill(body, values)
