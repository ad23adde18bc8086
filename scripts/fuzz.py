"""The long fuzzing run; see scripts/fuzz.

1. tests/test_fuzz.py with HOWTO_FUZZ_SCALE and HOWTO_FUZZ_EXAMPLES raised:
   the corpus of tests/hostile.py at --scale times its size, and --examples
   drawn pages, YAML files and domU configs per reader.
2. Growth: every page case of the corpus rendered as the site renders it and
   expanded as the export does, at sizes n, 2n and 4n (best of three runs
   each).  Linear work about doubles per doubling; a case whose time grows
   more than 2.6x per doubling from n to 4n (past a noise floor) is reported
   and fails the run.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

NOISE = 0.05  # seconds: below this a ratio says nothing


def fuzz(scale: int, examples: int) -> int:
    env = dict(os.environ, HOWTO_FUZZ_SCALE=str(scale), HOWTO_FUZZ_EXAMPLES=str(examples))
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            os.path.join(ROOT, "tests", "test_fuzz.py")], cwd=ROOT, env=env)


def growth(scale: int) -> list[str]:
    import datetime as dt
    import logging

    import hostile
    from xenhowto.checking.run import render
    from xenhowto.guide.build import page_context
    from xenhowto.ikiwiki.context import WIKI
    from xenhowto.ikiwiki.expand import expand
    from xenhowto.project import load

    logging.disable(logging.CRITICAL)
    project = load(os.path.join(ROOT, "mkdocs.yml"))
    day = dt.date(2025, 6, 1)

    def once(text: str) -> float:
        """The best of three: the machine may be busy with something else."""
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            render(text, page_context(project, day, target="site"))
            expand(text, page_context(project, day, target=WIKI))
            best = min(best, time.perf_counter() - t)
        return best

    slow = []
    print(f"\n{'page case':36} {'n':>9} {'2n':>9} {'4n':>9}  growth per doubling")
    for case, make in sorted(hostile.PAGES.items()):
        times = [once(make(scale * k)) for k in (1, 2, 4)]
        # over two doublings, so that one busy moment of the machine does not decide:
        # linear work grows about 4x from n to 4n, quadratic work 16x
        growth = (times[2] / times[0]) ** 0.5 if times[0] > NOISE else None
        flag = "  <- faster than linear" if growth and growth > 2.6 else ""
        shown = f"{growth:.1f}x" if growth else "(too fast to tell)"
        print(f"{case:36} {times[0]:8.3f}s {times[1]:8.3f}s {times[2]:8.3f}s  {shown}{flag}")
        if flag:
            slow.append(case)
    return slow


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=int, default=4, help="corpus size, in multiples of the tests' (default 4)")
    p.add_argument("--examples", type=int, default=2000, help="drawn examples per reader (default 2000)")
    args = p.parse_args()
    failed = fuzz(args.scale, args.examples)
    slow = growth(args.scale)
    if slow:
        print(f"\ngrowing faster than linearly: {', '.join(slow)}")
    print("\nfuzz: " + ("FAILED" if failed or slow else "all inputs handled, in linear time"))
    return 1 if failed or slow else 0


if __name__ == "__main__":
    sys.exit(main())
