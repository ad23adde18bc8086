"""Figures for the "Build your guide" page: the compressed size of what the
site ships for it, and the time from a change of a control to the updated
guide, measured in a real browser (Debian's Chromium driven by Playwright).

    figures = measure()                       # builds the site into a scratch dir
    figures = measure(site_dir="site")        # an already built site
    python -m xenhowto.guide.bench_builder [--site DIR] [--changes N]

Also the helpers the browser tests share: ``serve`` (the site on 127.0.0.1)
and ``launch`` (Chromium, headless, never downloaded).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE = "guide-builder/"
SHIPPED = ("guide-builder/guide-builder.json", "javascripts/guide-builder.js", "stylesheets/guide-builder.css")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(site_dir: str):
    """The site over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_Quiet, directory=os.path.abspath(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def launch(playwright):
    """Debian's Chromium, headless; Playwright's own browsers are never used."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def sizes(site_dir: str) -> dict:
    """Bytes and gzip -9 bytes of each file the builder ships, and in all."""
    out: dict = {"files": {}}
    raw = packed = 0
    for rel in SHIPPED:
        with open(os.path.join(site_dir, rel), "rb") as f:
            body = f.read()
        gz = len(gzip.compress(body, 9))
        out["files"][rel] = {"bytes": len(body), "gzip_bytes": gz}
        raw, packed = raw + len(body), packed + gz
    out["bytes"], out["gzip_bytes"] = raw, packed
    data = out["files"][SHIPPED[0]]
    out["data_bytes"], out["data_gzip_bytes"] = data["bytes"], data["gzip_bytes"]
    return out


# In the page: random changes of the selects (an enabled choice other than the
# current one), each timed from the change event to the guide laid out again.
_TIMING_JS = """async (n) => {
  const g = window.guideBuilder;
  const guide = document.querySelector('.gb-guide');
  let seed = 12345;
  const rand = (k) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
  const selects = Array.from(document.querySelectorAll('.gb-fields select'));
  const times = [];
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const s = selects[rand(selects.length)];
    const options = Array.from(s.options).filter(o => !o.disabled && o.value !== s.value);
    // a dimension the guide does not show now (serial_port with a VGA console) changes nothing
    const dim = g.ed.dims[s.id.replace(/^gb-/, '')];
    const hidden = dim && dim.listed && !window.GuideBuilder.evaluate(dim.listed, g.values);
    if (!options.length || hidden) { i--; continue; }
    const before = g.markdown;
    s.value = options[rand(options.length)].value;
    const t0 = performance.now();
    s.dispatchEvent(new Event('change', { bubbles: true }));
    void guide.offsetHeight;  // style and layout of the updated guide
    times.push(performance.now() - t0);
    if (g.markdown !== before) changed++;
    if (i % 20 === 19) await new Promise(r => requestAnimationFrame(() => r()));
  }
  return { times, changed };
}"""


def time_updates(page, changes: int = 200) -> dict:
    """On a page showing the builder: the update times of ``changes`` changes."""
    result = page.evaluate(_TIMING_JS, changes)
    times = sorted(result["times"])
    return {
        "changes": len(times),
        "guide_changed": result["changed"],
        "update_ms_median": round(statistics.median(times), 2),
        "update_ms_p95": round(times[int(0.95 * (len(times) - 1))], 2),
        "update_ms_max": round(times[-1], 2),
    }


def measure(site_dir: str | None = None, changes: int = 200, config: str = "mkdocs.yml",
            as_of: str | None = None) -> dict:
    """The builder's figures: shipped sizes (bytes, gzip) and update times (ms)."""
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        if site_dir is None:
            from xenhowto.site import build

            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="howto-bench-builder-"))
            site_dir = build(config, os.path.join(scratch, "site"), as_of, quiet=True)
        figures = sizes(site_dir)
        base = stack.enter_context(serve(site_dir))
        pw = stack.enter_context(sync_playwright())
        browser = launch(pw)
        stack.callback(browser.close)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + PAGE)
        page.wait_for_selector(".gb-guide h1")
        figures.update(time_updates(page, changes))
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m xenhowto.guide.bench_builder", description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", help="an already built site (default: build one into a scratch directory)")
    ap.add_argument("--changes", type=int, default=200, help="how many control changes to time")
    ap.add_argument("--as-of", help="the build's as-of date (when building)")
    args = ap.parse_args(argv)
    json.dump(measure(args.site, args.changes, as_of=args.as_of), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
