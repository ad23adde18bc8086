"""The page as guide material: its steps ([[!step]]) and, in each, pieces of
prose and typed examples, each with the condition ([[!when]] regions) under
which it applies.

Data directives (xen_daemons, ...) are first replaced by what they generate,
so the typed examples they produce become pieces too.  Text outside steps is
reference material and is not part of any guide.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xenhowto.guide import conditions
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive, scan

# The directive modules are imported when a page is parsed, not when parsed
# steps are only read back (a cold `howto guide` with its steps cached).

EXAMPLE_KINDS = ("shell", "file", "output")
STRUCTURE = ("step", "endstep", "when", "endwhen")


@dataclass
class Piece:
    when: list | None  # condition (data form) or None: always
    text: str | None = None  # ikiwiki source of prose
    kind: str | None = None  # example kind
    directive: Directive | None = None  # the example's directive
    markdown: str | None = None  # the prose as guide markdown (the same for every setup)


@dataclass
class Step:
    id: str
    title: str
    order: int
    when: list | None
    line: int
    pieces: list[Piece] = field(default_factory=list)


def _and(conds: list) -> list | None:
    out = None
    for c in conds:
        out = c if out is None else ["and", out, c]
    return out


def flatten(text: str, ctx: PageContext, depth: int = 0) -> str:
    """Replace data directives by their ikiwiki output, so that examples and
    regions they generate are seen by the step parser."""
    from xenhowto.ikiwiki import directives

    out, pos = [], 0
    for token in scan(text):
        if not isinstance(token, Directive):
            continue
        module = directives.REGISTRY.get(token.name)
        if module is None or module.WIKI_NATIVE or token.name in STRUCTURE + EXAMPLE_KINDS:
            continue
        try:
            generated = module.render(token, ctx)
        except DirectiveError:
            continue  # the page build reports it; a guide leaves the directive to fail there
        out.append(text[pos:token.start])
        out.append(flatten(generated, ctx, depth + 1) if depth < 3 else generated)
        pos = token.end
    out.append(text[pos:])
    return "".join(out)


def parse(text: str, ctx: PageContext) -> list[Step]:
    from xenhowto.ikiwiki.directives import step as step_directive
    from xenhowto.ikiwiki.directives import when as when_directive

    text = flatten(text, ctx)
    steps: list[Step] = []
    current: Step | None = None
    stack: list[list] = []
    buf: list[str] = []
    pos = 0

    def flush():
        if current is not None and "".join(buf).strip():
            current.pieces.append(Piece(when=_and(stack), text="".join(buf)))
        buf.clear()

    for token in scan(text):
        if not isinstance(token, Directive) or token.name not in STRUCTURE + EXAMPLE_KINDS:
            continue
        buf.append(text[pos:token.start])
        pos = token.end
        flush()
        try:
            if token.name == "step":
                info = step_directive.parse(token)
                current = Step(line=token.line, **info)
                steps.append(current)
                stack = []
            elif token.name == "endstep":
                current, stack = None, []
            elif token.name == "when":
                stack.append(when_directive.parse_condition(token))
            elif token.name == "endwhen":
                if stack:
                    stack.pop()
            elif current is not None:
                current.pieces.append(Piece(when=_and(stack), kind=token.name, directive=token))
        except DirectiveError:
            continue  # reported by the page build with its line
    buf.append(text[pos:])
    flush()
    return steps


def applies(cond: list | None, values: dict) -> bool:
    return cond is None or conditions.evaluate(cond, values)
