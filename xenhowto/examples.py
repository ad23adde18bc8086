"""Typed examples: every example block of the page says what it is.

- ``[[!shell host=dom0 content=\"\"\"...\"\"\"]]``: commands typed on the dom0 (or domU)
- ``[[!file path=/etc/rc.conf content=\"\"\"...\"\"\"]]``: the contents of a file
- ``[[!output of="xl list" content=\"\"\"...\"\"\"]]``: what a command prints

Instead of ``content=`` an example may name a Jinja2 template from
``xenhowto/snippets/templates/`` (``template=boot.cfg``); its other arguments
are the template's variables, and in a tailored guide the reader's setup
fills them.  On the full page, a variable the directive does not give comes
from the recommended setup at the page's as-of date (``page_defaults``), so
an example names the Xen package, kernels and daemons of that date.  Optional ``xen=``, ``toolstack=``, ``arch=`` say which setup an
example is written for, so validators judge it by the right rules.

This module holds the model and the rendering shared by the three directives,
the checker and the guides; the directive modules are thin.
"""
from __future__ import annotations

import functools
import html
import os
import re
from dataclasses import dataclass, field

import jinja2

from xenhowto.ikiwiki.context import DirectiveError
from xenhowto.ikiwiki.syntax import Directive
from xenhowto.memo import KeptWhile

KINDS = ("shell", "file", "output")
HOSTS = ("dom0", "domU")
# create: the whole file; append: lines to add; edit: lines to change in it
ACTIONS = ("create", "append", "edit")
CONTEXT_KEYS = ("xen", "toolstack", "arch")
INDENT = "    "  # the wiki writes examples as indented code blocks
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "snippets", "templates")
_PATH_RE = re.compile(r"^/[A-Za-z0-9._/+-]*(?:<[a-z]+>)?[A-Za-z0-9._/+-]*$")

def _bytecode_cache():
    """Compiled templates kept on disk: a cold `howto guide` need not recompile them."""
    from xenhowto.diskcache import SafeBytecodeCache, directory

    path = directory("jinja")
    try:
        os.makedirs(path, exist_ok=True)
        return SafeBytecodeCache(path)
    except OSError:
        return None


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    bytecode_cache=_bytecode_cache(),
    undefined=jinja2.StrictUndefined,  # a missing variable is an error, not an empty string
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,  # plain text snippets; values are validated before they get here
)


@dataclass
class Example:
    kind: str
    content: str
    line: int  # page line of the content's first line
    path: str | None = None  # for files
    host: str | None = None  # for shell
    of: str | None = None  # for output: the command
    action: str = "create"  # for files: create (the whole file) or append (lines to add)
    template: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)  # xen / toolstack / arch

    @property
    def label(self) -> str:
        if self.kind == "file":
            where = f" in the domU" if self.host == "domU" else ""
            verb = {"append": "add to ", "edit": "change in "}.get(self.action, "")
            return f"{verb}{self.path}{where}"
        if self.kind == "shell":
            return f"on the {self.host}" if self.host else "shell"
        return f"output of {self.of}" if self.of else "output"

    def as_json(self) -> dict:
        out = {"kind": self.kind, "content": self.content}
        if self.path:
            out["path"] = self.path
            out["action"] = self.action
        if self.host:
            out["host"] = self.host
        return out


def template_names() -> list[str]:
    return sorted(f[:-3] for f in os.listdir(TEMPLATES_DIR) if f.endswith(".j2"))


def render_template(name: str, variables: dict) -> str:
    try:
        out = _env.get_template(name + ".j2").render(**variables)
        return out if out.endswith("\n") else out + "\n"
    except jinja2.TemplateNotFound:
        raise DirectiveError(f"template={name!r} is unknown; known: {', '.join(template_names())}") from None
    except (jinja2.TemplateSyntaxError, jinja2.SecurityError) as e:
        raise DirectiveError(f"template {name} is broken: {e}") from None
    except jinja2.UndefinedError as e:
        from xenhowto.snippets.variables import DEPENDS

        missing = re.search(r"'(\w+)' is undefined", e.message or "")
        var = missing.group(1) if missing else None
        needs = ", ".join(f"{d}=" for d in DEPENDS.get(var, (var,))) if var else "its variables"
        raise DirectiveError(f"template {name} needs {needs} (for {var})") from None


def render_for_setup(name: str, values: dict, facts=None) -> str:
    """A template filled from setup values and what data/ derives from them."""
    from xenhowto.facts import load_facts
    from xenhowto.findings import HowtoError
    from xenhowto.snippets.variables import derive

    try:
        variables = derive(values, facts or load_facts())
    except HowtoError as e:
        raise DirectiveError(f"template {name} needs the facts of data/, which have problems: {e}") from None
    except (LookupError, ValueError) as e:
        raise DirectiveError(f"template {name} cannot be filled: {e}") from None
    return render_template(name, variables)


def check_variables(variables: dict[str, str]) -> None:
    """A template's variables that name a setup dimension must hold a value a
    reader could choose (dom0_arch=sparc64 is refused, not rendered as i386)."""
    from xenhowto.findings import HowtoError
    from xenhowto.guide import model, setup

    try:
        dims = model.load().dimensions
    except HowtoError:
        return  # a broken setup model is reported by `howto check` and the build
    for key, value in variables.items():
        if key in dims:
            try:
                setup.typed_value(key, value, shown=f"{key}=")
            except setup.SetupError as e:
                raise DirectiveError(str(e)) from None


def template_variables(name: str) -> set[str]:
    source = _env.loader.get_source(_env, name + ".j2")[0]
    return set(_variables_of(source))


@functools.lru_cache(maxsize=64)
def _variables_of(source: str) -> frozenset[str]:
    """The variables a template's source reads (parsing it is what costs: the
    builder's data asks for every example of every day)."""
    from jinja2 import meta

    return frozenset(meta.find_undeclared_variables(_env.parse(source)))


def _content_line(d: Directive, content: str) -> int:
    """Page line of the first line of a triple-quoted content= value."""
    first = content.split("\n", 1)[0]
    at = d.raw.find(first) if first else -1
    return d.line + (d.raw.count("\n", 0, at) if at >= 0 else 0)


_DEFAULTS = KeptWhile(limit=512)  # as_of -> the values, while the facts and setup model are those


def page_defaults(as_of) -> dict:
    """The recommended (default) setup at ``as_of``: the values a template
    example of the full page is rendered with unless it says otherwise
    (worked out once per facts, setup model and date: a page asks per example)."""
    from xenhowto.facts import load_facts
    from xenhowto.findings import HowtoError
    from xenhowto.guide import model
    from xenhowto.guide.setup import resolve

    if as_of is None:
        return {}
    try:
        facts, m = load_facts(), model.load()
        return dict(_DEFAULTS.get_or_make(as_of, (facts, m), lambda: dict(
            resolve({}, as_of, facts=facts, setup_model=m).values, as_of=as_of)))
    except HowtoError:
        return {}


def from_directive(kind: str, d: Directive, overrides: dict | None = None,
                   defaults: dict | None = None, facts=None) -> Example:
    """Build and check an example from its directive; ``overrides`` (a reader's
    setup) replace a template's variables, ``defaults`` (page_defaults) fill
    those neither gives."""
    allowed = {"content", "template", *CONTEXT_KEYS} | {"file": {"path", "action", "host"}, "shell": {"host"}, "output": {"of"}}[kind]
    params = {k: v for k, v in d.params if k is not None}
    if d.bare():
        raise DirectiveError(f"{kind} argument {d.bare()[0]!r} has no key; write key=value")
    template = params.get("template")
    if "content" in params and template:
        raise DirectiveError(f"{kind} takes content= or template=, not both")
    if "content" not in params and not template:
        raise DirectiveError(f'{kind} needs content="""...""" (or template=NAME)')
    if not template:
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise DirectiveError(f"{kind} does not take {', '.join(unknown)}=; it takes {', '.join(sorted(allowed))}")
    context = {k: params[k] for k in CONTEXT_KEYS if k in params}
    ex = Example(kind=kind, content="", line=d.line, context=context)
    if kind == "file":
        ex.path = params.get("path")
        if not ex.path or not _PATH_RE.match(ex.path):
            raise DirectiveError(f"file needs path=/absolute/path (got {ex.path!r})")
        ex.action = params.get("action", "create")
        if ex.action not in ACTIONS:
            raise DirectiveError(f"file action={ex.action!r} must be one of {', '.join(ACTIONS)}")
        # /usr/pkg/etc/xen/<name>: filled from the example's arguments or the reader's setup
        known = dict(params, **(overrides or {}))
        ex.path = re.sub(r"<(\w+)>", lambda m: str(known.get(m.group(1), m.group(0))), ex.path)
        if params.get("host") not in (None, *HOSTS):
            raise DirectiveError(f"file host={params.get('host')!r} must be dom0 or domU")
        ex.host = params.get("host") if params.get("host") == "domU" else None
    if kind == "shell":
        ex.host = params.get("host")
        if ex.host not in HOSTS:
            raise DirectiveError(f"shell needs host=dom0 or host=domU (got {ex.host!r})")
    if kind == "output":
        ex.of = params.get("of")
    if template:
        ex.template = template
        ex.variables = {k: v for k, v in params.items() if k not in allowed or k in CONTEXT_KEYS}
        ex.variables.pop("template", None)
        check_variables(ex.variables)
        values = {**(defaults or {}), **ex.variables, **(overrides or {})}
        ex.content = render_for_setup(template, values, facts)
        # validators judge a filled template by the setup it was filled for
        for key, name in (("xen", "xen"), ("toolstack", "toolstack"), ("arch", "dom0_arch")):
            if key not in ex.context and values.get(name):
                ex.context[key] = str(values[name])
    else:
        raw = params["content"]
        ex.content = raw if raw.endswith("\n") else raw + "\n"
        ex.line = _content_line(d, raw)
    if not ex.content.strip():
        raise DirectiveError(f"{kind} example is empty")
    return ex


def as_indented_block(content: str) -> str:
    """The plain 4-space indented block the wiki uses for examples."""
    return "\n".join((INDENT + line) if line.strip() else "" for line in content.rstrip("\n").split("\n"))


def note_sources(ex: Example, ctx) -> None:
    """For the export's source map: a templated example comes from its template."""
    if ex.template:
        from xenhowto.ikiwiki.sourcemap import Source

        path = os.path.join(TEMPLATES_DIR, ex.template + ".j2")
        rel = os.path.relpath(path)
        ctx.note_source(Source(path if rel.startswith("..") else rel))


def hand_written(d: Directive, out: str) -> list:
    """For the export's source map: the lines of ``out`` (the exported block)
    that are lines of the example's own ``content=``, written indented."""
    from xenhowto.ikiwiki.sourcemap import Written, rendered
    from xenhowto.ikiwiki.syntax import value_spans

    span = value_spans(d).get("content")
    content = d.get("content")
    if span is None or content is None or d.raw[span[0]:span[1]] != content:
        return []
    written, pos = [], span[0]
    for line in content.split("\n"):
        written.append(Written(pos, pos + len(line), INDENT))
        pos += len(line) + 1
    block = [rendered(d.raw[w.start:w.end], w.indent) for w in written]
    lines = out.split("\n")
    for at in range(len(lines) - len(block) + 1):
        if lines[at:at + len(block)] == block:
            return [None] * at + written + [None] * (len(lines) - at - len(block))
    return []


def render_markdown(ex: Example, for_site: bool) -> str:
    block = as_indented_block(ex.content)
    if not for_site:
        return f"\n\n{block}\n\n"
    # The caption is an attribute that the site's CSS shows (docs/stylesheets/howto.css),
    # not text: the page's text stays exactly what the wiki shows.
    attrs = f'class="example example--{ex.kind}" data-kind="{ex.kind}" data-label="{html.escape(ex.label)}"'
    if ex.path:
        attrs += f' data-path="{html.escape(ex.path)}"'
    if ex.host:
        attrs += f' data-host="{ex.host}"'
    return f"\n\n<div {attrs}></div>\n\n{block}\n\n"
