"""Figures for the "Build your guide" page: the compressed size of what the
site ships for it, and the time from a change of a control to the updated
guide, measured in a real browser (Debian's Chromium driven by Playwright).

    figures = measure()                       # builds the site into a scratch dir
    figures = measure(site_dir="site")        # an already built site
    python -m xenhowto.guide.bench_builder [--site DIR] [--changes N]

Update times: ROUNDS rounds of ``changes`` random changes of the selects,
check boxes and typed values, each from its event to the guide laid out
again (figures: the median of the rounds' median, p95 and maximum); and the
time to show the guide as of another day of the date switcher.

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
ROUNDS = 5  # figures: the median of the rounds' own
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


# In the page: random changes of the controls a reader uses (a select's
# enabled choice other than the current one, a check box, a typed value other
# than the current one, as a paste gives it), each timed from its event to
# the guide laid out again.
_TIMING_JS = """async ([n, seed0]) => {
  const g = window.guideBuilder;
  const guide = document.querySelector('.gb-guide');
  let seed = seed0;
  // a linear congruential generator in 32-bit integers (a product of doubles would lose its low bits)
  const rand = (k) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 16) % k; };
  const typed = {name: ['web1', 'db.example', 'x9'], memory: ['512', '1024', '2048'], disk_size: ['8192', '20480'],
                 mac: ['00:16:3e:0a:0b:0c', 'aa:00:00:d1:00:0a'], dom0_mem: ['1G', '2G', '768M']};
  const controls = Array.from(document.querySelectorAll('.gb-fields select:not(#gb-as_of), .gb-fields input'))
    .filter(c => c.type === 'checkbox' || c.tagName === 'SELECT' || typed[c.id.replace(/^gb-/, '')]);
  const times = [], kinds = {};
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const c = controls[rand(controls.length)];
    const name = c.id.replace(/^gb-/, '');
    // a dimension the guide does not show now (serial_port with a VGA console) changes nothing
    const dim = g.ed.dims[name];
    if (c.disabled || (dim && dim.listed && !window.GuideBuilder.evaluate(dim.listed, g.values))) { i--; continue; }
    let kind, event;
    if (c.tagName === 'SELECT') {
      const options = Array.from(c.options).filter(o => !o.disabled && o.value !== c.value);
      if (!options.length) { i--; continue; }
      c.value = options[rand(options.length)].value;
      kind = 'select'; event = 'change';
    } else if (c.type === 'checkbox') {
      c.checked = !c.checked;
      kind = 'checkbox'; event = 'change';
    } else {
      const values = typed[name].filter(v => v !== c.value);
      c.value = values[rand(values.length)];
      kind = 'typed'; event = 'input';
    }
    const before = g.markdown;
    const t0 = performance.now();
    c.dispatchEvent(new Event(event, { bubbles: true }));
    void guide.offsetHeight;  // style and layout of the updated guide
    const t = performance.now() - t0;
    times.push(t);
    (kinds[kind] = kinds[kind] || []).push(t);
    if (kind === 'typed') c.dispatchEvent(new Event('change', { bubbles: true }));  // leaving the field
    if (g.markdown !== before) changed++;
    else if (c.type === 'checkbox') { c.checked = !c.checked; }  // a disabled flag's change was refused
    if (i % 20 === 19) await new Promise(r => requestAnimationFrame(() => r()));
  }
  return { times, kinds, changed };
}"""


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"median": round(statistics.median(times), 2), "p95": round(times[int(0.95 * (len(times) - 1))], 2),
            "max": round(times[-1], 2)}


def time_updates(page, changes: int = 200, seed: int = 12345) -> dict:
    """On a page showing the builder: the update times of ``changes`` changes."""
    result = page.evaluate(_TIMING_JS, [changes, seed])
    whole = _percentiles(result["times"])
    return {
        "changes": len(result["times"]),
        "guide_changed": result["changed"],
        "update_ms_median": whole["median"],
        "update_ms_p95": whole["p95"],
        "update_ms_max": whole["max"],
        "by_kind": {k: dict(_percentiles(v), changes=len(v)) for k, v in sorted(result["kinds"].items())},
    }


# Changing the day the builder is read as of (a bigger change: another edition).
_DAYS_JS = """async (days) => {
  const s = document.querySelector('#gb-as_of'), guide = document.querySelector('.gb-guide');
  const times = [];
  for (const day of days) {
    s.value = day;
    const t0 = performance.now();
    s.dispatchEvent(new Event('change', { bubbles: true }));
    void guide.offsetHeight;
    times.push(performance.now() - t0);
    await new Promise(r => requestAnimationFrame(() => r()));
  }
  return times;
}"""


def time_days(page, count: int = 20) -> dict:
    """The time to show the guide as of another day, for ``count`` days of the date switcher."""
    days = page.eval_on_selector_all("#gb-as_of option", "os => os.map(o => o.value)")
    if len(days) < 2:
        return {"days": len(days)}
    step = max(1, len(days) // count)
    picked = (days[1::step] + [days[0]])[:count + 1]
    return dict(_percentiles(page.evaluate(_DAYS_JS, picked)), days=len(days), changes=len(picked))


def _round(browser, base: str, changes: int, seed: int, days: bool) -> dict:
    """One round on a fresh page: ``changes`` timed changes (and the date switcher's days)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base + PAGE)
        page.wait_for_selector(".gb-guide h1")
        out = time_updates(page, changes, seed=seed)
        if days:
            out["date_switch_ms"] = time_days(page)
        return out
    finally:
        page.close()


def _summary(rounds: list[dict]) -> dict:
    out: dict = {key: round(statistics.median(r[key] for r in rounds), 2)
                 for key in ("update_ms_median", "update_ms_p95", "update_ms_max")}
    out["update_ms_p95_by_round"] = [r["update_ms_p95"] for r in rounds]
    out["changes"] = sum(r["changes"] for r in rounds)
    out["guide_changed"] = sum(r["guide_changed"] for r in rounds)
    if "date_switch_ms" in rounds[0]:
        out["date_switch_ms"] = rounds[0]["date_switch_ms"]
    out["rounds"] = rounds
    return out


def measure_sites(sites: dict[str, str], changes: int = 200, rounds: int = ROUNDS) -> dict:
    """Built sites side by side ({label: site dir}): the rounds alternate
    between them, so that a slow moment of the machine falls on each alike."""
    from playwright.sync_api import sync_playwright

    done: dict[str, list] = {label: [] for label in sites}
    out: dict = {label: sizes(site) for label, site in sites.items()}
    with contextlib.ExitStack() as stack:
        bases = {label: stack.enter_context(serve(site)) for label, site in sites.items()}
        pw = stack.enter_context(sync_playwright())
        browser = launch(pw)
        stack.callback(browser.close)
        for r in range(rounds):
            for label, base in bases.items():
                done[label].append(_round(browser, base, changes, 12345 + r, days=r == 0))
    for label in sites:
        out[label].update(_summary(done[label]))
    return out


def measure(site_dir: str | None = None, changes: int = 200, config: str = "mkdocs.yml",
            as_of: str | None = None) -> dict:
    """The builder's figures: shipped sizes (bytes, gzip) and update times (ms)."""
    with contextlib.ExitStack() as stack:
        if site_dir is None:
            from xenhowto.site import build

            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="howto-bench-builder-"))
            site_dir = build(config, os.path.join(scratch, "site"), as_of, quiet=True)
        figures = measure_sites({"site": site_dir}, changes)["site"]
        figures["by_kind"] = figures.pop("rounds")[0]["by_kind"]  # the first round's, by kind of change
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
