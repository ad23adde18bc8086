"""What a reader can choose at an as-of date, and why the rest is refused.

A Xen package is offered while it is in pkgsrc (not before it was added, not
after it left, and not while nobody recorded whether it is still there); a
NetBSD branch while it is released and supported (its announced end of life,
or NetBSD's support policy).  Every refusal is one sentence naming what ended
when, with the fact it rests on and the ``--as-of`` date whose guide had it.
The CLI, ``--list`` and the guide builder's data all take their sentences
from here.
"""
from __future__ import annotations

import datetime as dt

from xenhowto.facts.model import Branch, Package
from xenhowto.facts.view import GONE, NOT_YET, PRESENT, UNKNOWN_PRESENCE, View

CURRENT = "current"


def _day(d: dt.date) -> str:
    return d.isoformat()


def packages(view: View) -> list[Package]:
    """The Xen packages a guide may use at the as-of date, oldest Xen first."""
    return sorted(view.packages(), key=lambda p: p.key)


def package_problem(view: View, pkg: Package) -> str | None:
    """Why ``pkg`` cannot be chosen at the as-of date, or None."""
    state = view.presence(pkg)
    name = f"{pkg.name} (Xen {pkg.xen})"
    where = f"{pkg.where.path}:{pkg.where.line}"
    if state == PRESENT:
        return None
    if state == NOT_YET:
        return (f"{name} was added to pkgsrc on {pkg.added.shown()}, after {_day(view.as_of)} "
                f"({where}); choose a Xen package pkgsrc had then, or a later --as-of")
    removed = pkg.removed
    last = removed.after.latest if removed.after is not None else None
    then = f"; for the guide of that time use --as-of {_day(last)}" if last else ""
    if state == GONE:
        return f"{name} left pkgsrc {removed.shown()} ({where}){then}"
    assert state == UNKNOWN_PRESENCE
    notes = [n.value for n in view.notes(pkg.notes) if n.extra.get("topic") == "removal"]
    said = f" ({notes[-1].rstrip('.')})" if notes else ""
    return (f"whether {name} is still in pkgsrc after {removed.after.shown()} is not recorded{said}, "
            f"so no guide offers it ({where}){then}")


def branches(view: View) -> list[str]:
    """The NetBSD branches a guide may use at the as-of date, oldest first,
    then -current."""
    return [b.name for b in view.branches() if view.branch_released(b)] + [CURRENT]


def branch_problem(view: View, br: Branch) -> str | None:
    """Why netbsd-N cannot be chosen at the as-of date, or None."""
    where = f"{br.where.path}:{br.where.line}"
    if not view.branch_released(br):
        if view.branch_exists(br):
            return (f"netbsd-{br.name} exists, but NetBSD {br.name}.0 was not released by {_day(view.as_of)} "
                    f"({where}); a guide follows a release")
        return f"NetBSD {br.name}.0 was released {br.released.shown()}, after {_day(view.as_of)} ({where})"
    ended = view.branch_end(br)
    if ended is None:
        return None
    day, how = ended
    then = f"for the guide of that time use --as-of {_day(day - dt.timedelta(days=1))}"
    if how == "announced":
        return f"NetBSD {br.name} reached its end of life on {br.end_of_life.shown()} ({where}); {then}"
    policy = view.facts.support_policy
    newer = br.key + policy.supported_majors
    return (f"NetBSD {br.name} is out of support since NetBSD {newer}.0 was released on {_day(day)}: under "
            f"NetBSD's support policy (announced {policy.announced.shown()}), {policy.text}; no end-of-life "
            f"date was announced for it ({where}); {then}")


def unavailable(view: View) -> dict[str, dict[str, str]]:
    """{dimension: {value: sentence}} for the values known by the as-of date
    that a guide does not offer then (for --list and the guide builder)."""
    xen = {}
    for p in sorted(view.facts.packages, key=lambda p: p.key):
        if p.added.earliest > view.as_of:
            continue
        problem = package_problem(view, p)
        if problem:
            xen.setdefault(p.xen, problem)
    netbsd = {}
    for b in view.facts.branches:
        if view.branch_exists(b):
            problem = branch_problem(view, b)
            if problem:
                netbsd[b.name] = problem
    return {"xen": xen, "netbsd": netbsd}
