"""``howto versions``: the facts and the recommendation as of a date, as
markdown or JSON, and the differences between two dates."""
from __future__ import annotations

import datetime as dt
import json

from xenhowto.facts import prose
from xenhowto.facts.model import Facts
from xenhowto.facts.recommend import RULE_SUMMARY, recommend
from xenhowto.facts.view import View


def as_dict(facts: Facts, as_of: dt.date) -> dict:
    """Everything ``howto versions --format json`` prints (sorted, stable)."""
    view = View(facts, as_of)
    rec = recommend(view)
    packages = []
    for p in view.packages():
        rel = view.release(p.xen)
        support = view.support(rel)
        sec = view.security(p)
        packages.append({
            "name": p.name,
            "tools": p.tools,
            "xen": p.xen,
            "added": p.added.text,
            "status": view.status(rel),
            "xen_released": rel.released.text,
            "general_support_end": support.general.text if support.general else None,
            "security_support_end": support.security.text if support.security else None,
            "support_amended": support.amended_text,
            "security_patches": ({"observed": sec.date.text, "patches": sec.value} if sec else None),
            "dom0_archs": list(p.dom0_archs),
            "domu_archs": list(p.domu_archs),
            "toolstacks": view.toolstacks_for(p.xen),
            "rcd_toolstack": view.rcd_toolstack(p),
            "recommended": p in rec.packages,
        })
    prod, learn = view.newest_released_branch(), view.newest_branch()
    return {
        "as_of": as_of.isoformat(),
        "recommendation": {
            "packages": rec.names,
            "tools": rec.tools,
            "toolstack": rec.toolstack,
            "netbsd_branch": rec.netbsd_branch,
            "dom0_arch": rec.dom0_arch,
            "domu_archs": list(rec.domu_archs),
            "basis": rec.basis,
            "rule": RULE_SUMMARY,
        },
        "packages": packages,
        "xen_not_in_pkgsrc": [
            {"xen": r.version, "released": r.released.text, "status": view.status(r)} for r in view.not_in_pkgsrc()
        ],
        "netbsd": {
            "branches": [
                {"name": b.name, "released": view.branch_released(b), "release_date": b.released.shown(),
                 "end_of_life": b.end_of_life.text if b.end_of_life else None}
                for b in view.branches()
            ],
            "production": prod.name if prod else None,
            "learning": learn.name if learn else None,
        },
    }


def to_json(facts: Facts, as_of: dt.date) -> str:
    return json.dumps(as_dict(facts, as_of), indent=2, sort_keys=True) + "\n"


def to_markdown(facts: Facts, as_of: dt.date) -> str:
    view = View(facts, as_of)
    return (
        f"# Xen on NetBSD as of {as_of.isoformat()}\n\n"
        + prose.versions_markdown(view)
        + "\nRecommended packages are in bold.\n\n"
        + prose.not_in_pkgsrc(view)
        + "\n## Recommendation\n\n"
        + prose.recommendation(view)
        + "\n## NetBSD\n\n"
        + prose.netbsd(view)
    )


def _flatten(d: dict) -> dict[str, object]:
    """Facts keyed by a stable name: packages by name, branches by number."""
    out: dict[str, object] = {}
    for k, v in d["recommendation"].items():
        if k != "rule":
            out[f"recommendation.{k}"] = v
    for p in d["packages"]:
        out[f"pkgsrc.{p['name']}"] = f"in pkgsrc (Xen {p['xen']}, {p['status']})"
        for k, v in p.items():
            if k == "security_patches" and v:
                v = f"{v['patches']} (observed {v['observed']})"
            if k != "name":
                out[f"pkgsrc.{p['name']}.{k}"] = v
    for r in d["xen_not_in_pkgsrc"]:
        out[f"upstream_not_in_pkgsrc.{r['xen']}"] = f"released {r['released']}"
    for b in d["netbsd"]["branches"]:
        out[f"netbsd.netbsd-{b['name']}"] = "released" if b["released"] else "branched, not yet released"
        out[f"netbsd.netbsd-{b['name']}.end_of_life"] = b["end_of_life"]
    out["netbsd.production"] = d["netbsd"]["production"]
    out["netbsd.learning"] = d["netbsd"]["learning"]
    return out


def _shown(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def diff(facts: Facts, first: dt.date, second: dt.date) -> list[dict]:
    """[{key, from, to}] for every fact or recommendation that differs."""
    a, b = _flatten(as_dict(facts, first)), _flatten(as_dict(facts, second))
    out = []
    for key in sorted(set(a) | set(b), key=lambda k: (not k.startswith("recommendation"), k)):
        parent = key.rsplit(".", 1)[0]
        if parent in a or parent in b:
            if parent not in a or parent not in b:
                continue  # the whole item appears or goes: its own line says so
        if a.get(key) != b.get(key):
            out.append({"key": key, "from": a.get(key, "(absent)") if key in a else "(absent)",
                        "to": b.get(key) if key in b else "(absent)"})
    return out


def diff_markdown(facts: Facts, first: dt.date, second: dt.date) -> str:
    changes = diff(facts, first, second)
    head = f"# Differences from {first.isoformat()} to {second.isoformat()}\n\n"
    if not changes:
        return head + "No fact or recommendation differs.\n"
    lines = [f"- {c['key']}: {_shown(c['from'])} → {_shown(c['to'])}" for c in changes]
    return head + "\n".join(lines) + "\n"


def diff_json(facts: Facts, first: dt.date, second: dt.date) -> str:
    return json.dumps({"from": first.isoformat(), "to": second.isoformat(),
                       "changes": diff(facts, first, second)}, indent=2, sort_keys=True) + "\n"
