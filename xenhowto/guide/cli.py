"""`howto guide`: the tailored guide for one setup, the list of setup
dimensions, and the verification of guides.  Flags come from data/setup.yaml:
a dimension added there gets its flag here."""
from __future__ import annotations

import json
import sys

import yaml

from xenhowto import asof, atomic
from xenhowto.findings import HowtoError
from xenhowto.guide import model
from xenhowto.guide.setup import SetupError


class UsageError(HowtoError):
    """A mistake in how the command was called: exit 2."""


def add_parser(sub, common) -> None:
    g = sub.add_parser(
        "guide", help="a guide for your setup: only the steps that apply, filled in",
        description="Compose a tailored guide from the HOWTO for one setup.  Unset choices default to the "
                    "recommendation at the as-of date.  `howto guide --list` shows every choice and constraint.")
    common(g)
    m = model.load()
    for name, dim in m.dimensions.items():
        flag = dim.flag
        help_text = dim.help or dim.label
        if dim.kind == "flag":
            g.add_argument(flag, dest=name, action="store_const", const=True, default=None, help=help_text)
        elif dim.kind == "choice":
            g.add_argument(flag, dest=name, choices=dim.choices, help=help_text)
        else:
            g.add_argument(flag, dest=name, metavar=dim.kind.upper(), help=help_text)
    g.add_argument("--answers", metavar="FILE.yaml", help="the setup as a YAML mapping (flags override it)")
    g.add_argument("--format", choices=("md", "html", "json"), default="md")
    g.add_argument("-o", "--output", metavar="FILE", help="write the guide here instead of stdout")
    g.add_argument("--verify", action="store_true",
                   help="execute the guide's steps in a sandboxed stand-in dom0; exit 1 if they do not hang together")
    g.add_argument("--list", action="store_true", help="list every dimension, choice, default and constraint")
    g.add_argument("--verify-all", action="store_true",
                   help="generate every valid setup's guide and verify each distinct one (exit 1 on any failure)")
    g.add_argument("--sample", type=int, metavar="N", help="with --verify-all: verify a fixed random sample of N guides")
    g.add_argument("--jobs", type=int, metavar="N", help="with --verify-all: guides verified at once (default: the CPUs)")
    g.add_argument("--no-cache", action="store_true",
                   help="with --verify-all: verify every guide again, not reusing kept verdicts")
    g.set_defaults(func=run)


def _answers(path: str, m: model.SetupModel) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except OSError as e:
        raise UsageError(f"--answers {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise UsageError(f"--answers {path}: not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--answers {path}: write a mapping, e.g. `toolstack: xl`")
    out = {}
    for key, value in data.items():
        name = str(key).replace("-", "_")
        if name not in m.dimensions:
            raise UsageError(f"--answers {path}: {key!r} is not a setup option; known: {', '.join(m.dimensions)}")
        out[name] = value
    return out


def given_values(args) -> dict:
    m = model.load()
    values = _answers(args.answers, m) if args.answers else {}
    for name in m.dimensions:
        if getattr(args, name, None) is not None:
            values[name] = getattr(args, name)
    return values


def listing(fmt: str, as_of) -> str:
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View
    from xenhowto.guide.constraints import all_constraints

    from xenhowto.facts.recommend import recommend
    from xenhowto.guide import availability
    from xenhowto.guide.setup import recommended

    m = model.load()
    view = View(load_facts(), as_of)
    rec = recommend(view)
    unavailable = availability.unavailable(view)
    dims = []
    for name, d in m.dimensions.items():
        choices = list(d.choices)
        if name == "xen":
            choices = [p.xen for p in availability.packages(view)]
        if name == "netbsd":
            choices = availability.branches(view)
        default = recommended(name, rec) if d.default == "recommended" else d.default
        entry = {"name": name, "flag": d.flag, "kind": d.kind, "label": d.label, "help": d.help,
                 "choices": choices, "default": default}
        if unavailable.get(name):
            entry["unavailable"] = unavailable[name]
        dims.append(entry)
    cons = [{"id": c.id, "when": c.when, "require": c.require, "reason": c.reason, "fact": c.fact}
            for c in all_constraints(m, view)]
    if fmt == "json":
        return json.dumps({"as_of": as_of.isoformat(), "dimensions": dims, "constraints": cons}, indent=2) + "\n"
    from xenhowto.guide.conditions import to_text

    lines = [f"Setup dimensions (as of {as_of}):", ""]
    for d in dims:
        choices = ", ".join(map(str, d["choices"])) if d["choices"] else d["kind"]
        default = " or ".join(d["default"]) if isinstance(d["default"], list) else d["default"]
        lines.append(f"  {d['flag']:<16} {d['label']}: {choices} (default: {default})")
        for value, why in d.get("unavailable", {}).items():
            lines.append(f"      not offered: {value}: {why}")
    lines += ["", "Constraints:", ""]
    for c in cons:
        cond = f"when {to_text(c['when'])}: " if c["when"] else ""
        lines.append(f"  {c['id']}: {cond}{to_text(c['require'])}")
        lines.append(f"      {c['reason']} ({c['fact']})")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    from xenhowto.guide import compose
    from xenhowto.guide.build import guide_for
    from xenhowto.project import load

    try:
        when = asof.resolve(args.as_of)
        if args.list:
            text = listing("json" if args.format == "json" else "text", when)
            return _emit(text, args.output)
        if args.verify_all:
            from xenhowto.guide.every import verify_all

            summary = verify_all(load(args.config), when, sample=args.sample, jobs=args.jobs,
                                 cache=not args.no_cache)
            print(summary.text())
            return 1 if summary.failed else 0
        guide = guide_for(load(args.config), given_values(args), when)
    except (SetupError, UsageError) as e:
        print(f"howto guide: {e}", file=sys.stderr)
        return 2
    render = {"md": compose.to_markdown, "json": compose.to_json, "html": compose.to_html}[args.format]
    _emit(render(guide), args.output)
    if args.verify:
        from xenhowto.verify.runner import verify

        result = verify(json.loads(compose.to_json(guide)))
        for failure in result.failures:
            print(f"howto guide --verify: {failure}", file=sys.stderr)
        if not result.ok:
            return 1
        print(f"howto guide --verify: all {len(guide.steps)} steps ran and hang together", file=sys.stderr)
    return 0


def _emit(text: str, output: str | None) -> int:
    if output:
        atomic.write_text(output, text)
    else:
        sys.stdout.write(text)
    return 0
