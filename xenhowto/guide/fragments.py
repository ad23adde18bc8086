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
from xenhowto.memo import KeptWhile

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


def _flattened(text: str, ctx: PageContext, depth: int = 0, line: int | None = None, tokens=None,
               start: int = 0, stop: int | None = None, kept_ctx=None):
    """The page (``text[start:stop]``, whose tokens are ``tokens``; all of it
    by default) with data directives replaced by what they generate, so that
    the examples and regions they generate are seen by the step parser: as
    its text between structure and example directives (str) and those
    directives, in order.  Generated text is read three levels deep.  A
    directive found in generated text is given the page line of the
    directive that generated it.  (A fact directive's output is kept by
    ``directives.render``: a rebuild after an edit renders again only the
    directives the edit changed.)"""
    import dataclasses

    from xenhowto.ikiwiki import directives

    pos = start
    for token in scan(text) if tokens is None else tokens:
        if not isinstance(token, Directive):
            continue
        if token.name in STRUCTURE + EXAMPLE_KINDS:
            yield text[pos:token.start]
            # its page line; not where in which text it was (each edit above it would move that)
            yield dataclasses.replace(token, line=token.line if line is None else line, start=0, end=len(token.raw))
            pos = token.end
            continue
        module = directives.REGISTRY.get(token.name)
        if module is None or module.WIKI_NATIVE or depth > 3:
            continue
        try:
            generated = directives.render(module, token, ctx, kept_ctx)
        except DirectiveError:
            continue  # the page build reports it; a guide leaves the directive to fail there
        yield text[pos:token.start]
        yield from _flattened(generated, ctx, depth + 1, token.line if line is None else line, kept_ctx=kept_ctx)
        pos = token.end
    yield text[pos:stop]


def _parts(text: str, tokens: tuple):
    """(start, stop, tokens) of the parts of ``text`` that each end with a
    [[!endstep]] of the page (the last: the rest).  After an [[!endstep]] the
    parser's state is empty whatever came before, so each part parses alone
    as it does within the page."""
    start, first = 0, 0
    for i, token in enumerate(tokens):
        if isinstance(token, Directive) and token.name == "endstep":
            yield start, token.end, tokens[first:i + 1]
            start, first = token.end, i + 1
    yield start, len(text), tokens[first:]


# (a part's text, the context's key, shared_as) -> (the part's first line, its
# steps), while the facts and setup model are those: after an edit a rebuild
# parses again only the part it is in
_PARTS = KeptWhile(limit=512)


def parse(text: str, ctx: PageContext, shared_as: str | None = None) -> list[Step]:
    """The steps of the page, in page order.  The steps of a part of the page
    parsed before in the same context are the same objects (their readers
    never change them); ``shared_as``: a digest of what else the caller
    fills in them (``guide.build``: the prose's markdown), so that only
    parses that fill in the same share them."""
    from xenhowto.ikiwiki import directives

    kept_ctx = directives.kept_context(ctx)
    tokens = tuple(scan(text))
    steps: list[Step] = []
    line, counted = 1, 0
    for start, stop, part in _parts(text, tokens):
        if kept_ctx is None:
            steps += _parse(_flattened(text, ctx, tokens=part, start=start, stop=stop))
            continue
        line += text.count("\n", counted, start)
        counted = start
        key, made_from = (text[start:stop], kept_ctx[0], shared_as), kept_ctx[1:]
        at, found = _PARTS.get_or_make(key, made_from, lambda: (line, _parse(_flattened(
            text, ctx, tokens=part, start=start, stop=stop, kept_ctx=kept_ctx))))
        if at != line:  # lines were added or removed above the part
            found = _moved(found, line - at)
            _PARTS.replace(key, made_from, (line, found))
        steps += found
    return steps


def _moved(steps: list[Step], by: int) -> list[Step]:
    """``steps`` as found ``by`` lines further down the page."""
    import dataclasses

    def piece(p: Piece) -> Piece:
        if p.directive is None:
            return p
        return dataclasses.replace(p, directive=dataclasses.replace(p.directive, line=p.directive.line + by))

    return [dataclasses.replace(s, line=s.line + by, pieces=[piece(p) for p in s.pieces]) for s in steps]


def _parse(flattened) -> list[Step]:
    """The steps of a flattened page (``_flattened``)."""
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

    for token in flattened:
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
