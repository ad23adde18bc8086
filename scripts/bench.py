"""Benchmarks, side by side in one run; figures go to benchmarks/results.json
and benchmarks/RESULTS.md.  Run with scripts/bench (after scripts/setup).

1. Site build and `mkdocs serve` rebuild against plain MkDocs building the
   same pages flattened to .md (scripts/bench_build.py): our build with warm
   and cold caches, without the history/api/last-updated hooks, the real
   ikiwiki, and the rebuild after a one-paragraph edit of the HOWTO.
2. `howto check` over the whole site and the named guides: snippets per second.
3. One guide from a cold process (`howto guide`, markdown to stdout).
4. Every valid setup: how many, how many distinct guides, and the cost per
   verified guide for growing samples (it must stay flat).
5. The guide builder: shipped size and in-browser update time (when its
   benchmark module and a browser are available).  ``--builder-only`` runs
   this part alone (see builder_main): the builder of this checkout's site,
   side by side with another site's (``--builder-against DIR``, e.g. main's
   site), figures in benchmarks/builder.json and benchmarks/BUILDER.md.
6. Sizes: the site compressed (gzip -6, source maps left out), the HOWTO's
   history and the api/ files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
import bench_build  # noqa: E402  (scripts/, next to this file)

PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(cmd: list[str], cwd: str, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def site_sizes(site: str) -> dict:
    """Bytes and gzip -6 bytes: the whole site (source maps left out), the
    HOWTO's history, the api/ files."""
    import gzip

    total = history = api = 0
    raw_history = 0
    for base, _, names in os.walk(site):
        for n in names:
            if n.endswith(".map"):
                continue
            path = os.path.join(base, n)
            with open(path, "rb") as f:
                body = f.read()
            packed = len(gzip.compress(body, 6))
            rel = os.path.relpath(path, site)
            if rel == "ports/xen/howto/history.json":
                history, raw_history = packed, len(body)
            else:
                total += packed
            if rel.startswith("api/"):
                api += packed
    return {"site_gzip_bytes_without_history": total, "history_bytes": raw_history, "history_gzip_bytes": history,
            "history_over_site": history / total if total else None, "api_gzip_bytes": api}


def _record(out: str, json_name: str, md_name: str, results: dict, report: str) -> None:
    """The figures as JSON and as the report, under benchmarks/; the report on stdout too."""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, json_name), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, md_name), "w") as f:
        f.write(report)
    print(report)


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
    """What verifying every guide costs: per guide alone (the old way), shared
    prefixes and in-sandbox stand-ins for growing sets (cold: no kept verdicts),
    the whole set cold, and again with every verdict kept."""
    from xenhowto.guide.every import Summary, distinct_guides, verify_all
    from xenhowto.project import load
    from xenhowto.verify import Sandbox
    from xenhowto.verify.runner import verify_many

    project = load(os.path.join(ROOT, "mkdocs.yml"))
    t = time.perf_counter()
    summary = Summary()
    guides = [doc for _, doc in distinct_guides(project, as_of, summary)]
    compose_seconds = time.perf_counter() - t
    order = random.Random(0).sample(guides, len(guides))
    jobs = os.cpu_count() or 1
    out = {"valid_setups": summary.setups, "distinct_complete_guides": summary.distinct,
           "left_out_incomplete": summary.incomplete, "enumerate_and_compose_seconds": compose_seconds,
           "jobs": jobs}
    with Sandbox() as sb:
        n = min(samples[0], len(order))
        t = time.perf_counter()
        verify_many(order[:n], jobs=1, sandbox=sb, share=False)
        out["alone_seconds_per_guide"] = (time.perf_counter() - t) / max(1, n)
        shared = {}
        for n in sorted({min(k, len(order)) for k in samples[1:]}):
            t = time.perf_counter()
            results = verify_many(order[:n], jobs=jobs, sandbox=sb)
            shared[str(n)] = (time.perf_counter() - t) / max(1, n)
            assert all(r.ok for r in results), [r.report() for r in results if not r.ok][:3]
        out["shared_seconds_per_guide_by_set_size"] = shared
    cold = verify_all(project, as_of, progress=False)
    assert not cold.failed, cold.text()
    warm = verify_all(project, as_of, progress=False)
    out.update(all_cold_seconds=cold.verify_seconds, all_cold_seconds_per_guide=cold.verify_seconds / max(1, cold.distinct),
               all_warm_seconds=warm.verify_seconds, warm_reused=warm.reused)
    return out


def builder_figures(site_dir: str | None) -> dict:
    try:
        from xenhowto.guide.bench_builder import measure
    except ImportError:
        return {"skipped": "the guide builder's benchmark module is not there"}
    try:
        return measure(site_dir)
    except Exception as e:  # a missing browser must not lose the other figures
        return {"skipped": f"{type(e).__name__}: {e}"}


# --- the guide builder alone (scripts/bench --builder-only) ----------------------------------

def builder_report(r: dict) -> str:
    labels = list(r["sites"])
    lines = [f"# Guide builder ({r['when']}, {r['machine']}, load average {r['load']})", "",
             "Written by `scripts/bench --builder-only`.  Each site in Debian's Chromium (Playwright), "
             f"{r['rounds']} rounds of {r['changes']} random changes of the selects, check boxes and typed values "
             "(a fresh page each round; the sites' rounds alternate), each timed from its event to the guide "
             "laid out again; figures are the median of the rounds'.  Aim: p95 under 16 ms.", "",
             "| | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    rows = [("site", lambda f: f["dir"]),
            ("update p95 (ms)", lambda f: f["update_ms_p95"]),
            ("p95 of each round (ms)", lambda f: ", ".join(map(str, f["update_ms_p95_by_round"]))),
            ("update median (ms)", lambda f: f["update_ms_median"]),
            ("update max (ms)", lambda f: f["update_ms_max"]),
            ("another day of the date switcher: median / p95 (ms)",
             lambda f: (f"{f['date_switch_ms'].get('median', '-')} / {f['date_switch_ms'].get('p95', '-')} "
                        f"({f['date_switch_ms'].get('days')} days)") if "date_switch_ms" in f else "-"),
            ("data shipped: bytes / gzip -9", lambda f: f"{f['data_bytes']:,} / {f['data_gzip_bytes']:,}"),
            ("builder in all (data, script, style): gzip -9", lambda f: f"{f['gzip_bytes']:,}")]
    for name, value in rows:
        lines.append(f"| {name} | " + " | ".join(str(value(r["sites"][k])) for k in labels) + " |")
    lines += ["", "By kind of change (this checkout, first round):", "", "```",
              json.dumps(r["sites"][labels[0]]["rounds"][0]["by_kind"], indent=2), "```", ""]
    return "\n".join(lines)


def builder_main(args) -> int:
    """The builder's update time and size, for this checkout's site (built
    as of --as-of into a scratch directory unless --builder-site names one)
    and, side by side, --builder-against's."""
    from xenhowto.guide.bench_builder import ROUNDS, measure_sites
    from xenhowto.site import build

    with tempfile.TemporaryDirectory() as work:
        site = args.builder_site or build(os.path.join(ROOT, "mkdocs.yml"), os.path.join(work, "site"),
                                          args.as_of, quiet=True)
        sites = {"this checkout": site}
        if args.builder_against:  # LABEL=DIR, or DIR
            label, _, path = args.builder_against.rpartition("=")
            sites[label or "against"] = path
        figures = measure_sites(sites, args.builder_changes, ROUNDS)
    for label, path in sites.items():
        figures[label]["dir"] = path if label != "this checkout" or args.builder_site else "(built as of " + args.as_of + ")"
    results = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": f"{os.cpu_count()} cores", "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
               "rounds": ROUNDS, "changes": args.builder_changes, "sites": figures}
    _record(args.out, "builder.json", "BUILDER.md", results, builder_report(results))
    return 0


def markdown_report(r: dict) -> str:
    b = r["build"]
    lines = [f"# Benchmark results ({r['when']}, as of {r['as_of']}, {r['machine']})", "",
             "Written by scripts/bench; every figure of a section measured in the same run.", "",
             *bench_build.markdown(b),
             "## Sizes (gzip -6)", "",
             f"Site without the history: {r['sizes']['site_gzip_bytes_without_history']:,} bytes; the HOWTO's "
             f"history: {r['sizes']['history_gzip_bytes']:,} bytes ({r['sizes']['history_bytes']:,} raw), "
             f"{100 * r['sizes']['history_over_site']:.0f}% of the site (aim: under 100%); api/: "
             f"{r['sizes']['api_gzip_bytes']:,} bytes.", "",
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
              f"Verifying a guide alone, one at a time: {e['alone_seconds_per_guide']:.3f} s per guide.", "",
              f"Sharing the steps guides begin with, {e['jobs']} at a time (no kept verdicts):", "",
              "| guides verified | seconds per guide |", "|---|---|"]
    lines += [f"| {n} | {s:.3f} |" for n, s in e["shared_seconds_per_guide_by_set_size"].items()]
    lines += ["", f"All {e['distinct_complete_guides']} distinct guides, as CI does (no kept verdicts): "
              f"{e['all_cold_seconds']:.0f} s ({e['all_cold_seconds_per_guide']:.3f} s per guide; aim: all within "
              f"300 s). Again with every verdict kept: {e['all_warm_seconds']:.1f} s "
              f"({e['warm_reused']} reused).", "",
              "## Guide builder", "", "```", json.dumps(r["builder"], indent=2), "```", ""]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--as-of", default="2026-11-25")
    p.add_argument("--samples", default="20,100,400,1600",
                   help="guides verified alone (the first), then shared sets of growing size (comma-separated)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks"))
    p.add_argument("--builder-only", action="store_true", help="only the guide builder (builder_main)")
    p.add_argument("--builder-site", help="with --builder-only: this checkout's site, already built")
    p.add_argument("--builder-against", metavar="[LABEL=]DIR",
                   help="with --builder-only: another built site, side by side (e.g. 'main=../main/site')")
    p.add_argument("--builder-changes", type=int, default=200, help="with --builder-only: changes per round")
    args = p.parse_args()
    if args.builder_only:
        return builder_main(args)
    as_of = dt.date.fromisoformat(args.as_of)
    with tempfile.TemporaryDirectory() as work:
        ENV["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"] = os.path.join(work, "cache")  # the bench's own caches
        results = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "as_of": as_of.isoformat(), "machine": f"{os.cpu_count()} cores",
                   "build": bench_build.build_section(args.runs, as_of, work)}
        site = os.path.join(work, "ours", "site")
        results["sizes"] = site_sizes(site)
        results["check"] = check_speed(as_of)
        results["cold_guide"] = cold_guide(args.runs)
        results["every"] = every_setup(as_of, [int(n) for n in args.samples.split(",")])
        results["builder"] = builder_figures(site if os.path.isdir(site) else None)
    _record(args.out, "results.json", "RESULTS.md", results, markdown_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
