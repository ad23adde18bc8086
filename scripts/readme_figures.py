"""Write the figures of benchmarks/results.json (scripts/bench) into the
README's "Builds and their caches" table, so the README says what the last
run measured:  .venv/bin/python scripts/readme_figures.py"""
from __future__ import annotations

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "| what | ours | plain MkDocs | ratio | aim |", "\n## Layout"


def figures(r: dict) -> str:
    b, e, rb = r["build"], r["every"], r["build"]["rebuild"]
    rows = [START, "|---|---|---|---|---|",
            f"| full build, caches warm (all {b['pages']} pages) | {b['a_howto_build_warm']:.2f} s | "
            f"{b['b_plain_mkdocs_flattened']:.2f} s | {b['ratio_warm']:.2f}x | <= {b['aim_build_ratio']}x |",
            f"| full build, every cache empty | {b['a0_howto_build_cold']:.1f} s | | {b['ratio_cold']:.0f}x | |"]
    for where, label in (("inside_step", "inside a step"), ("outside_step", "outside the steps")):
        x = rb[where]
        rows.append(f"| `mkdocs serve` rebuild, a paragraph {label} | {x['ours_seconds']:.2f} s | "
                    f"{x['plain_seconds']:.2f} s | {x['ratio']:.2f}x | <= {b['aim_rebuild_ratio']}x |")
    rows += ["", f"Measured {r['when']} on {r['machine']}.  Verifying every distinct complete guide "
             f"({e['distinct_complete_guides']:,}) with no kept verdicts: {e['all_cold_seconds']:.0f} s "
             f"({e['all_cold_seconds_per_guide']:.3f} s per guide; one guide alone "
             f"{e['alone_seconds_per_guide']:.3f} s); with every verdict kept {e['all_warm_seconds']:.1f} s.  "
             f"The builder's update p95: {r['builder']['update_ms_p95']} ms (aim: under 16 ms).", ""]
    return "\n".join(rows)


def main() -> None:
    with open(os.path.join(ROOT, "benchmarks", "results.json"), encoding="utf-8") as f:
        r = json.load(f)
    path = os.path.join(ROOT, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    at, end = text.index(START), text.index(END)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:at] + figures(r) + text[end:])


if __name__ == "__main__":
    main()
