"""A tailored guide: the steps of the page that apply to one setup, in the
doer's order, with every example filled in for that setup.

    guide = compose(setup, steps, ctx)       # steps from fragments.parse
    to_markdown(guide) / to_json(guide) / to_html(guide)
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from xenhowto import examples
from xenhowto.guide import model
from xenhowto.guide.fragments import Step, applies
from xenhowto.guide.setup import Setup
from xenhowto.findings import HowtoError
from xenhowto.ikiwiki.context import GUIDE, DirectiveError, PageContext


@dataclass
class GuideStep:
    id: str
    title: str
    text: str  # markdown, snippets included
    snippets: list[dict] = field(default_factory=list)


@dataclass
class Guide:
    setup: Setup
    steps: list[GuideStep]


def _tidy(md: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", md).strip()


def prose(text: str, ctx: PageContext) -> str:
    """A prose piece as guide markdown: it does not depend on the setup."""
    from xenhowto.ikiwiki.expand import expand  # not needed when the pieces come from the cache

    return _tidy(expand(text, PageContext(**{**ctx.__dict__, "target": GUIDE, "findings": [], "state": {},
                                             "meta": {}})))


def example_for(piece, values: dict, ctx: PageContext) -> examples.Example:
    """A piece's example filled for a setup; a mistake in the page is a
    HowtoError naming its line (the page's build and check report it too)."""
    try:
        return examples.from_directive(piece.kind, piece.directive, overrides=values)
    except DirectiveError as e:
        raise HowtoError(f"{ctx.path}:{piece.directive.line}: [[!{piece.kind}]]: {e}; "
                         "the guides are made from the page, so fix it first") from None


def snippet_markdown(ex: examples.Example) -> str:
    label = ex.label[0].upper() + ex.label[1:]
    return f"*{label}:*\n\n{examples.as_indented_block(ex.content)}"


def compose(setup: Setup, steps: list[Step], ctx: PageContext) -> Guide:
    values = setup.values
    out: list[GuideStep] = []
    for step in sorted(steps, key=lambda s: (s.order, s.line)):
        if not applies(step.when, values):
            continue
        parts, snippets = [], []
        for piece in step.pieces:
            if not applies(piece.when, values):
                continue
            if piece.text is not None:
                text = piece.markdown if piece.markdown is not None else prose(piece.text, ctx)
                if text:
                    parts.append(text)
            else:
                ex = example_for(piece, values, ctx)
                snippets.append(ex.as_json())
                parts.append(snippet_markdown(ex))
        if parts:
            out.append(GuideStep(step.id, step.title, "\n\n".join(parts), snippets))
    return Guide(setup, out)


def _setup_lines(guide: Guide) -> list[str]:
    dims = model.load().dimensions
    v = guide.setup.values
    lines = [f"- {dims['xen'].label}: {v['xen']} ({guide.setup.package} and {guide.setup.tools})"]
    for name, dim in dims.items():
        if name == "xen" or v.get(name) in (None, ""):
            continue
        if name.startswith("serial_") and v.get("console") != "serial":
            continue  # only read with a serial console
        value = ("yes" if v[name] else "no") if dim.kind == "flag" else v[name]
        lines.append(f"- {dim.label}: {value}")
    return lines


def to_markdown(guide: Guide) -> str:
    v = guide.setup.values
    out = [f"# NetBSD/Xen guide: Xen {v['xen']} with {v['toolstack']} on a NetBSD {v['netbsd']} "
           f"{v['dom0_arch']} dom0", "",
           f"Generated from the NetBSD/Xen HOWTO as of {guide.setup.as_of.isoformat()} for this setup:", "",
           *_setup_lines(guide), ""]
    for note in guide.setup.notes:
        out += [f"**Note:** {note}", ""]
    for i, step in enumerate(guide.steps, 1):
        out += [f"## {i}. {step.title}", "", step.text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


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
