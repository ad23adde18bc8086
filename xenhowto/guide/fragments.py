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


def _flattened(text: str, ctx: PageContext, depth: int = 0, line: int | None = None):
    """The page with data directives replaced by what they generate, so that
    the examples and regions they generate are seen by the step parser: as
    its text between structure and example directives (str) and those
    directives, in order.  Generated text is read three levels deep.  A
    directive found in generated text is given the page line of the
    directive that generated it.  (A fact directive's output is kept by
    ``directives.render``: a rebuild after an edit renders again only the
    directives the edit changed.)"""
    import dataclasses

    from xenhowto.ikiwiki import directives

    pos = 0
    for token in scan(text):
        if not isinstance(token, Directive):
            continue
        if token.name in STRUCTURE + EXAMPLE_KINDS:
            yield text[pos:token.start]
            yield token if line is None else dataclasses.replace(token, line=line)
            pos = token.end
            continue
        module = directives.REGISTRY.get(token.name)
        if module is None or module.WIKI_NATIVE or depth > 3:
            continue
        try:
            generated = directives.render(module, token, ctx)
        except DirectiveError:
            continue  # the page build reports it; a guide leaves the directive to fail there
        yield text[pos:token.start]
        yield from _flattened(generated, ctx, depth + 1, token.line if line is None else line)
        pos = token.end
    yield text[pos:]


def parse(text: str, ctx: PageContext) -> list[Step]:
    """The steps of the page, in page order."""
    from xenhowto.ikiwiki.directives import step as step_directive
    from xenhowto.ikiwiki.directives import when as when_directive

    steps: list[Step] = []
    current: Step | None = None
    stack: list[list] = []
    buf: list[str] = []

    def flush():
        if current is not None and "".join(buf).strip():
            current.pieces.append(Piece(when=_and(stack), text="".join(buf)))
        buf.clear()

    for token in _flattened(text, ctx):
        if isinstance(token, str):
            buf.append(token)
            continue
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
    flush()
    return steps


def applies(cond: list | None, values: dict) -> bool:
    return cond is None or conditions.evaluate(cond, values)
