"""[[!step id=ID title="..." order=N when="CONDITION"]]: the start of one step
of a tailored guide.  The step runs to the next [[!step]], [[!endstep]] or the
end of the page; text outside steps is reference material that guides leave
out.  ``order`` sorts steps in a guide (the page's order is the reader's, the
guide's the doer's).  In the full HOWTO a step marker shows nothing."""
from __future__ import annotations

import re

from xenhowto.guide import conditions, labels
from xenhowto.ikiwiki.context import DirectiveError, PageContext
from xenhowto.ikiwiki.syntax import Directive

WIKI_NATIVE = False
SEEN = "step_ids"
_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def parse(d: Directive) -> dict:
    known = {"id", "title", "order", "when"}
    unknown = [k for k in d.keys() if k not in known]
    if unknown:
        raise DirectiveError(f"step takes id=, title=, order= and when=, not {', '.join(unknown)}")
    step_id, title, order = d.get("id"), d.get("title"), d.get("order")
    if not step_id or not _ID.match(step_id):
        raise DirectiveError(f"step needs id=lowercase-words (got {step_id!r})")
    if not title:
        raise DirectiveError('step needs title="What this step does"')
    if not order or not order.isdigit():
        raise DirectiveError(f"step needs order=N, a whole number that sorts steps in a guide (got {order!r})")
    cond = None
    if d.get("when"):
        try:
            cond = conditions.parse(d.get("when"))
        except conditions.ConditionError as e:
            raise DirectiveError(str(e)) from None
        problems = labels.check(cond)
        if problems:
            raise DirectiveError("; ".join(problems))
    return {"id": step_id, "title": title, "order": int(order), "when": cond}


def render(d: Directive, ctx: PageContext) -> str:
    step = parse(d)
    seen = ctx.state.setdefault(SEEN, {})
    if step["id"] in seen:
        raise DirectiveError(f"step id={step['id']} is already used on line {seen[step['id']]}")
    seen[step["id"]] = d.line
    return ""


def finish(ctx: PageContext) -> None:
    ctx.state.pop(SEEN, None)
