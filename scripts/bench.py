"""Benchmarks, side by side in one run; figures go to benchmarks/results.json
and benchmarks/RESULTS.md.  Run with scripts/bench (after scripts/setup).

1. Site build, medians of --runs each, each a fresh process:
   (a)  our `mkdocs build` with every hook (ikiwiki pages, example checks,
        guide pages, guide builder data);
   (a1) our build with the ikiwiki hook only (the cost of the .mdwn syntax);
   (b)  a plain `mkdocs build` of the same page already flattened to .md,
        no hooks, no project extensions;
   (c)  the real ikiwiki rendering our export of the page.
2. `howto check` over the whole site and the named guides: snippets per second.
3. One guide from a cold process (`howto guide`, markdown to stdout).
4. Every valid setup: how many, how many distinct guides, and the cost per
   verified guide for growing samples (it must stay flat).
5. The guide builder: shipped size and in-browser update time (when its
   benchmark module and a browser are available).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(cmd: list[str], cwd: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def copy_project(dest: str) -> None:
    for name in ("mkdocs.yml", "docs", "hooks", "data"):
        src = os.path.join(ROOT, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(dest, name))


def only_ikiwiki_hook(config: str) -> None:
    lines, out, skipping = open(config).read().split("\n"), [], False
    for line in lines:
        if line.startswith("hooks:"):
            out += [line, "  - hooks/ikiwiki_pages.py"]
            skipping = True
            continue
        if skipping and line.startswith("  - "):
            continue
        skipping = False
        out.append(line)
    open(config, "w").write("\n".join(out).replace("  - Build your guide: guide-builder.md\n", ""))
    builder = os.path.join(os.path.dirname(config), "docs", "guide-builder.md")
    if os.path.exists(builder):
        os.remove(builder)


def flattened_project(dest: str, as_of: dt.date) -> None:
    """The HOWTO expanded to plain markdown/HTML, built by MkDocs with no hooks."""
    from xenhowto.guide.build import page_context
    from xenhowto.ikiwiki.context import SITE
    from xenhowto.ikiwiki.expand import expand
    from xenhowto.project import load

    project = load(os.path.join(ROOT, "mkdocs.yml"))
    src = os.path.join(project.docs_dir, "ports/xen/howto.mdwn")
    text = expand(open(src, encoding="utf-8").read(), page_context(project, as_of, SITE))
    os.makedirs(os.path.join(dest, "docs/ports/xen"))
    open(os.path.join(dest, "docs/ports/xen/howto.md"), "w").write(text)
    open(os.path.join(dest, "docs/index.md"), "w").write("# Home\n")
    open(os.path.join(dest, "mkdocs.yml"), "w").write(
        "site_name: flattened\ntheme:\n  name: material\nplugins:\n  - search\n"
        "markdown_extensions:\n  - toc:\n      permalink: true\n")


def build_times(runs: int, as_of: dt.date, work: str) -> dict:
    from xenhowto.export import export
    from xenhowto.parity.ikiwiki_render import render
    from xenhowto.project import load

    ours, hook_only, flat = (os.path.join(work, n) for n in ("ours", "hook-only", "flat"))
    for d in (ours, hook_only, flat):
        os.makedirs(d)
    copy_project(ours)
    copy_project(hook_only)
    only_ikiwiki_hook(os.path.join(hook_only, "mkdocs.yml"))
    flattened_project(flat, as_of)
    env_as_of = ["env", f"HOWTO_AS_OF={as_of.isoformat()}"]
    build = lambda d: env_as_of + [PY, "-m", "mkdocs", "build", "-q", "-d", os.path.join(d, "site")]  # noqa: E731
    project = load(os.path.join(ROOT, "mkdocs.yml"))
    exported = os.path.join(work, "export")
    export(project, exported, as_of, force=True)

    def ikiwiki_once() -> float:
        dest = tempfile.mkdtemp(dir=work)
        t = time.perf_counter()
        render(exported, dest, templates_dir=project.templates_dir, known_wiki_pages=project.known_wiki_pages)
        return time.perf_counter() - t

    # interleaved, so that a slow moment of the machine hits every variant alike
    a, a1, b, c = [], [], [], []
    for _ in range(runs):
        a.append(timed(build(ours), ours, 1))
        a1.append(timed(build(hook_only), hook_only, 1))
        b.append(timed(build(flat), flat, 1))
        c.append(ikiwiki_once())
    med = {k: statistics.median(v) for k, v in (("a_ours_all_hooks", a), ("a1_ours_ikiwiki_hook_only", a1),
                                                 ("b_plain_flattened_md", b), ("c_ikiwiki_render_export", c))}
    med["ratio_a_over_b"] = med["a_ours_all_hooks"] / med["b_plain_flattened_md"]
    med["ratio_a1_over_b"] = med["a1_ours_ikiwiki_hook_only"] / med["b_plain_flattened_md"]
    med["ratio_c_over_b"] = med["c_ikiwiki_render_export"] / med["b_plain_flattened_md"]
    return med


def check_speed(as_of: dt.date) -> dict:
    from xenhowto.checking.run import run
    from xenhowto.project import load

    t = time.perf_counter()
    report = run(load(os.path.join(ROOT, "mkdocs.yml")), None, as_of)
    seconds = time.perf_counter() - t
    return {"snippets": report.snippets, "checked": len(report.checked), "seconds": seconds,
            "snippets_per_second": report.snippets / seconds, "errors": report.errors}


def cold_guide(runs: int) -> dict:
    howto = os.path.join(os.path.dirname(PY), "howto")
    subprocess.run([howto, "guide"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, check=True)  # caches warm
    return {"seconds_median": timed([howto, "guide"], ROOT, runs), "aim_seconds": 0.150}


def every_setup(as_of: dt.date, samples: list[int]) -> dict:
    from xenhowto.guide.every import valid_setups, verify_all
    from xenhowto.project import load

    project = load(os.path.join(ROOT, "mkdocs.yml"))
    t = time.perf_counter()
    count = len(valid_setups(project, as_of))
    enumerate_seconds = time.perf_counter() - t
    t = time.perf_counter()
    base = verify_all(project, as_of, sample=0, progress=False)
    compose_seconds = time.perf_counter() - t
    per_guide = {}
    for n in samples:
        s = verify_all(project, as_of, sample=n, progress=False)
        per_guide[str(n)] = s.verify_seconds / max(1, n)
        assert not s.failed, s.text()
    return {"valid_setups": count, "distinct_complete_guides": base.distinct,
            "left_out_incomplete": base.incomplete, "enumerate_seconds": enumerate_seconds,
            "enumerate_and_compose_seconds": compose_seconds, "verify_seconds_per_guide_by_sample": per_guide,
            "estimated_full_verify_minutes": base.distinct * statistics.median(per_guide.values()) / 60}


def builder_figures(site_dir: str | None) -> dict:
    try:
        from xenhowto.guide.bench_builder import measure
    except ImportError:
        return {"skipped": "the guide builder's benchmark module is not there"}
    try:
        return measure(site_dir)
    except Exception as e:  # a missing browser must not lose the other figures
        return {"skipped": f"{type(e).__name__}: {e}"}


def markdown_report(r: dict) -> str:
    b = r["build"]
    lines = [f"# Benchmark results ({r['when']}, as of {r['as_of']}, {r['machine']})", "",
             "Written by scripts/bench; every figure of a section measured in the same run.", "",
             "## Site build (median of fresh processes)", "",
             "| variant | seconds | vs (b) |", "|---|---|---|",
             f"| (a) our build, all hooks | {b['a_ours_all_hooks']:.2f} | {b['ratio_a_over_b']:.2f}x |",
             f"| (a1) our build, ikiwiki hook only | {b['a1_ours_ikiwiki_hook_only']:.2f} | {b['ratio_a1_over_b']:.2f}x |",
             f"| (b) plain MkDocs, page flattened to .md | {b['b_plain_flattened_md']:.2f} | 1.00x |",
             f"| (c) ikiwiki rendering the export | {b['c_ikiwiki_render_export']:.2f} | {b['ratio_c_over_b']:.2f}x |",
             "", "Aim: our hooks add at most 25% over (b), i.e. (a1)/(b) <= 1.25. (a) also validates every "
             "example with shellcheck and libxlutil and generates the guide pages and the builder's data.", "",
             "## howto check", "",
             f"{r['check']['snippets']} snippets in {r['check']['checked']} items: {r['check']['seconds']:.2f} s, "
             f"{r['check']['snippets_per_second']:.0f} snippets/s.", "",
             "## One guide from a cold process", "",
             f"{r['cold_guide']['seconds_median'] * 1000:.0f} ms median (aim: 150 ms).", "",
             "## Every valid setup", ""]
    e = r["every"]
    lines += [f"{e['valid_setups']} valid setups ({e['left_out_incomplete']} use choices whose instructions "
              f"the HOWTO leaves incomplete), {e['distinct_complete_guides']} distinct complete guides; "
              f"enumerating and composing them all takes {e['enumerate_and_compose_seconds']:.1f} s.", "",
              "| guides verified | seconds per guide |", "|---|---|"]
    lines += [f"| {n} | {s:.2f} |" for n, s in e["verify_seconds_per_guide_by_sample"].items()]
    lines += ["", f"Verifying all distinct guides: about {e['estimated_full_verify_minutes']:.0f} minutes.", "",
              "## Guide builder", "", "```", json.dumps(r["builder"], indent=2), "```", ""]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--as-of", default="2026-11-25")
    p.add_argument("--samples", default="4,8,16", help="verify-all sample sizes (comma-separated)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks"))
    args = p.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    with tempfile.TemporaryDirectory() as work:
        results = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "as_of": as_of.isoformat(), "machine": f"{os.cpu_count()} cores",
                   "build": build_times(args.runs, as_of, work)}
        site = os.path.join(work, "ours", "site")
        results["check"] = check_speed(as_of)
        results["cold_guide"] = cold_guide(args.runs)
        results["every"] = every_setup(as_of, [int(n) for n in args.samples.split(",")])
        results["builder"] = builder_figures(site if os.path.isdir(site) else None)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "RESULTS.md"), "w") as f:
        f.write(markdown_report(results))
    print(markdown_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
