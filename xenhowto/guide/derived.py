"""Derived values: what follows from a reader's choices and data/ without
being chosen, e.g. whether the chosen NetBSD release's dom0 kernel is
multiprocessor (``dom0_smp``).  Conditions in the page test them like
dimensions; a guide, the builder and the page's availability rule all compute
them from the same table."""
from __future__ import annotations

from xenhowto.guide import availability, model


def _feature(view, branch_name: str, feature: str) -> str:
    branches = [b for b in view.facts.branches if view.branch_exists(b)]
    if branch_name == availability.CURRENT:
        br = branches[-1] if branches else None  # -current: as the newest branch, as far as the facts go
    else:
        br = view.branch(branch_name)
    f = view.feature(br, feature) if br is not None else None
    if f is None:
        return "unknown"
    return "yes" if f.value else "no"


def tables(view, m: model.SetupModel | None = None) -> dict[str, dict]:
    """{derived name: {"from": dimension, "table": {dimension value: yes|no|unknown}}}
    for every value of the dimension known at the as-of date."""
    m = m or model.load()
    out = {}
    for name, d in m.derived.items():
        if d.source != "netbsd":
            raise ValueError(f"derived value {name} follows {d.source}; only netbsd is supported")
        keys = [b.name for b in view.facts.branches if view.branch_exists(b)] + [availability.CURRENT]
        out[name] = {"from": d.source, "table": {k: _feature(view, k, d.feature) for k in keys}}
    return out


def add(values: dict, derived_tables: dict) -> dict:
    """The values with every derived value they determine."""
    out = dict(values)
    for name, t in derived_tables.items():
        if t["from"] in values:
            out[name] = t["table"].get(str(values[t["from"]]), "unknown")
    return out
