"""[[!when "CONDITION"]] ... [[!endwhen]]: text that applies only to some
setups (xenhowto.guide.conditions).  The full HOWTO shows the text with a label
naming the condition; a tailored guide keeps it only when its setup matches.
Regions may nest; every [[!when]] needs its [[!endwhen]]."""
from __future__ import annotations

from xenhowto.guide import conditions, labels
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive
from xenhowto.memo import KeptWhile

WIKI_NATIVE = False
STACK = "when_stack"


# [[!when]]'s text -> (the setup model it was checked against, its condition):
# the site, the examples and each day's guides read the same regions.  The
# condition is shared by its readers, who never change it (as with the scan's tokens).
_PARSED = KeptWhile(limit=4096)


def parse_condition(d: Directive) -> conditions.Cond:
    from xenhowto.findings import HowtoError
    from xenhowto.guide import model

    try:
        setup_model = model.load()
    except HowtoError:
        return _parse_condition(d)  # labels.check says what is wrong
    return _PARSED.get_or_make(d.raw, (setup_model,), lambda: _parse_condition(d))  # a DirectiveError is not kept


def _parse_condition(d: Directive) -> conditions.Cond:
    args = d.bare() or [v for k, v in d.params if k == "if"]
    extra = [k for k in d.keys() if k not in ("if",) and k not in d.bare()]
    if len(args) != 1 or extra:
        raise DirectiveError('when takes one condition, e.g. [[!when "toolstack == xl and xen >= 4.5"]]')
    try:
        cond = conditions.parse(args[0])
    except conditions.ConditionError as e:
        raise DirectiveError(str(e)) from None
    problems = labels.check(cond)
    if problems:
        raise DirectiveError("; ".join(problems))
    return cond


def render(d: Directive, ctx: PageContext) -> str:
    cond = parse_condition(d)
    ctx.state.setdefault(STACK, []).append(d.line)
    return f"\n\n*{labels.describe(cond)}:*\n\n"


def finish(ctx: PageContext) -> None:
    for line in ctx.state.pop(STACK, []):
        ctx.error(line, "[[!when]] is never closed: end the region with [[!endwhen]]")
