"""A tailored guide: the steps of the page that apply to one setup, in the
doer's order, with every example filled in for that setup.

    guide = compose(setup, steps, ctx)       # steps from fragments.parse
    to_markdown(guide) / to_json(guide) / to_html(guide) / to_shell(guide)
"""
from __future__ import annotations

import copy

import html
import json
import re
from dataclasses import dataclass, field

from xenhowto import examples
from xenhowto.guide import conditions, model, script
from xenhowto.guide.fragments import Step, applies
from xenhowto.guide.setup import Setup
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext
from xenhowto.memo import KeptWhile


@dataclass
class GuideStep:
    id: str
    title: str
    text: str  # markdown, snippets included
    snippets: list[dict] = field(default_factory=list)
    # its pieces in order: ("prose", markdown) or ("example", Example), for the shell script
    pieces: list[tuple] = field(default_factory=list, repr=False)

    @property
    def script(self) -> list[str]:
        """Each piece as the shell script has it (guide.script); made when asked for."""
        return [script.prose(p) if kind == "prose" else snippet_script(p)[0] for kind, p in self.pieces]

    @property
    def commands(self) -> list[str]:
        """Its dom0 commands, for "copy all dom0 commands"."""
        return [cmd for kind, p in self.pieces if kind == "example" for cmd in [snippet_script(p)[1]] if cmd]


@dataclass
class Guide:
    setup: Setup
    steps: list[GuideStep]


def _tidy(md: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", md).strip()


# An editor's note is for the page, not for a reader following a guide.
_TODO_RE = re.compile(r"[ \t]*\(TODO:[^)]*\)|(?<![^\s(])TODO:(?:[^.\n]|\n(?!\n)|\.(?!\s|$))*(?:\.|$)")


def without_todos(md: str) -> str:
    """Markdown with the page's "TODO: ..." sentences (and "(TODO: ...)") taken out."""
    out = _TODO_RE.sub("", md)
    out = re.sub(r"(?<=\S)[ \t]{3,}(?=\S)", "  ", out)
    out = re.sub(r"[ \t]+\n", "\n", out)
    return _tidy(out)


def prose(text: str, ctx: PageContext) -> str:
    """A prose piece as guide markdown: the same for every setup, but for the
    slots of the reader's values ([[!value]]) that ``fill_values`` fills."""
    from xenhowto.ikiwiki.expand import expand  # not needed when the pieces come from the cache

    return without_todos(expand(text, PageContext(**{**ctx.__dict__, "target": GUIDE, "findings": [],
                                                     "state": {}, "meta": {}})))


def fill_values(text: str, values: dict) -> str:
    """A guide text with the slots of the reader's values filled."""
    from xenhowto.guide.matrix import fill, split

    return fill(split(text), values)


# `mkdocs serve` composes the same pieces again after each edit:
# (kind, directive, values, ids of the facts, setup model and templates, the
# template's source) -> the example, while the facts, model and templates are those
_EXAMPLES = KeptWhile(limit=4096)


def example_for(piece, values: dict, ctx: PageContext, facts=None) -> examples.Example:
    """A piece's example filled for a setup; a mistake in the page is a
    HowtoError naming its line (the page's build and check report it too)."""
    from xenhowto.facts import load_facts

    # what the example reads: the directive, the values, the facts and the
    # setup model (each read again only when its files change, so the same
    # objects while they do not; kept in the entry, so their ids stay theirs)
    # and the template's source as it is now
    from xenhowto import digest

    env, name = examples._env, piece.directive.get("template")
    try:
        facts = facts or load_facts()
        setup_model = model.load()
        source = None
        if name:  # read once per build (as the caches' keys read their files); every time outside one
            source = digest.once(("snippet-template", id(env), name),
                                 lambda: env.loader.get_source(env, name + ".j2")[0])
    except Exception:  # unreadable data or a missing template: from_directive says what is wrong
        return _filled(piece, values, ctx, facts)
    key = (piece.kind, piece.directive.raw, repr(sorted(values.items(), key=lambda kv: kv[0])),
           id(facts), id(setup_model), id(env), source)
    return copy.copy(_EXAMPLES.get_or_make(key, (facts, setup_model, env), lambda: _filled(piece, values, ctx, facts)))


def _filled(piece, values: dict, ctx: PageContext, facts) -> examples.Example:
    try:
        return examples.from_directive(piece.kind, piece.directive, overrides=values, facts=facts)
    except DirectiveError as e:
        raise HowtoError(f"{ctx.path}:{piece.directive.line}: [[!{piece.kind}]]: {e}; "
                         "the guides are made from the page, so fix it first") from None


def snippet_markdown(ex: examples.Example) -> str:
    label = ex.label[0].upper() + ex.label[1:]
    return f"*{label}:*\n\n{examples.as_indented_block(ex.content)}"


def snippet_script(ex: examples.Example) -> tuple[str, str | None]:
    """An example as the shell script has it, and its dom0 commands (or None)."""
    return script.snippet(ex.kind, ex.label, ex.content, ex.host, ex.path, ex.action if ex.kind == "file" else None)


def compose(setup: Setup, steps: list[Step], ctx: PageContext) -> Guide:
    from xenhowto.facts import load_facts

    values = setup.values
    facts = load_facts()  # once, not once per snippet (each load checks the data's files)
    out: list[GuideStep] = []
    for step in sorted(steps, key=lambda s: (s.order, s.line)):
        if not applies(step.when, values):
            continue
        parts, snippets, pieces = [], [], []
        for piece in step.pieces:
            if not applies(piece.when, values):
                continue
            if piece.text is not None:
                text = piece.markdown if piece.markdown is not None else prose(piece.text, ctx)
                if text:
                    parts.append(fill_values(text, values))
                    pieces.append(("prose", parts[-1]))
            else:
                ex = example_for(piece, dict(values, as_of=setup.as_of), ctx, facts=facts)
                snippets.append(ex.as_json())
                parts.append(snippet_markdown(ex))
                pieces.append(("example", ex))
        if parts:
            out.append(GuideStep(step.id, step.title, "\n\n".join(parts), snippets, pieces))
    return Guide(setup, out)


def step_inputs(step: Step, ctx: PageContext) -> tuple[str, ...]:
    """The setup values a step's text and snippets can depend on: the names its
    conditions test, the values its templates read (snippets.variables.DEPENDS),
    the slots of its prose and the <name> parts of its file paths.  A step of two
    setups that agree on these comes out the same (tests hold Composer to it)."""
    from xenhowto.guide.matrix import _MARK_RE
    from xenhowto.snippets.variables import DEPENDS

    names: set[str] = set(conditions.names(step.when)) if step.when else set()
    for piece in step.pieces:
        if piece.when:
            names |= conditions.names(piece.when)
        if piece.text is not None:
            text = piece.markdown if piece.markdown is not None else prose(piece.text, ctx)
            names |= {m.split("|")[0] for m in _MARK_RE.findall(text)}
            continue
        params = {k: v for k, v in piece.directive.params if k is not None}
        names |= set(re.findall(r"<(\w+)>", params.get("path", "")))
        if params.get("template"):
            names |= set(examples.CONTEXT_KEYS) | {"toolstack", "dom0_arch", "xen"}
            for var in examples.template_variables(params["template"]):
                names |= set(DEPENDS.get(var, (var,)))
    return tuple(sorted(names))


class Composer:
    """``compose`` for many setups of one page and date: each step is made once
    for each combination of the values it reads (``step_inputs``), so the
    thousands of setups of `--verify-all` or a test over every guide cost
    little more than their distinct steps."""

    def __init__(self, steps: list[Step], ctx: PageContext):
        self.steps, self.ctx = steps, ctx
        self._inputs = {id(s): step_inputs(s, ctx) for s in steps}
        self._made: dict[tuple, GuideStep | None] = {}

    def compose(self, setup: Setup) -> Guide:
        values = dict(setup.values, as_of=setup.as_of)
        out = []
        for step in sorted(self.steps, key=lambda s: (s.order, s.line)):
            key = (id(step), tuple(str(values.get(n)) for n in self._inputs[id(step)]))
            if key not in self._made:
                made = compose(setup, [step], self.ctx).steps
                self._made[key] = made[0] if made else None
            if self._made[key] is not None:
                out.append(self._made[key])
        return Guide(setup, out)


def _setup_lines(guide: Guide) -> list[str]:
    dims = model.load().dimensions
    v = guide.setup.values
    lines = [f"- {dims['xen'].label}: {v['xen']} ({guide.setup.package} and {guide.setup.tools})"]
    for name, dim in dims.items():
        if name == "xen" or v.get(name) in (None, ""):
            continue
        if dim.listed is not None and not conditions.evaluate(dim.listed, v):
            continue  # a value this setup does not use (serial port with a VGA console)
        value = ("yes" if v[name] else "no") if dim.kind == "flag" else v[name]
        lines.append(f"- {dim.label}: {value}")
    return lines


def _head(guide: Guide) -> list[str]:
    """The guide's title, its setup and its notes (markdown lines)."""
    v = guide.setup.values
    out = [f"# NetBSD/Xen guide: Xen {v['xen']} with {v['toolstack']} on a NetBSD {v['netbsd']} "
           f"{v['dom0_arch']} dom0", "",
           f"Generated from the NetBSD/Xen HOWTO as of {guide.setup.as_of.isoformat()} for this setup:", "",
           *_setup_lines(guide), ""]
    for note in guide.setup.notes:
        out += [f"**Note:** {note}", ""]
    return out


def to_markdown(guide: Guide) -> str:
    out = _head(guide)
    for i, step in enumerate(guide.steps, 1):
        out += [f"## {i}. {step.title}", "", step.text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def to_shell(guide: Guide) -> str:
    """The guide as a commented dom0 shell script (xenhowto.guide.script)."""
    return script.assemble("\n".join(_head(guide)), [(s.title, s.script) for s in guide.steps])


def dom0_commands(guide: Guide) -> str:
    """Every dom0 command of the guide by step: what the builder's "Copy all dom0 commands" copies."""
    return script.commands([(s.title, s.commands) for s in guide.steps])


def to_json(guide: Guide) -> str:
    return json.dumps({
        "as_of": guide.setup.as_of.isoformat(),
        "setup": guide.setup.as_json(),
        "notes": guide.setup.notes,
        "steps": [{"id": s.id, "title": s.title, "text": s.text, "snippets": s.snippets} for s in guide.steps],
    }, indent=2, sort_keys=False) + "\n"


def to_html(guide: Guide) -> str:
    from xenhowto.ikiwiki.limits import markdown_to_html

    body, _ = markdown_to_html(to_markdown(guide))  # the page's own problems fail its build and check
    title = html.escape(to_markdown(guide).split("\n", 1)[0].lstrip("# "))
    return (f"<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n"
            f"</head>\n<body>\n{body}\n</body>\n</html>\n")
