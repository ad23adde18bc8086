"""The site build and the `mkdocs serve` rebuild, side by side with plain
MkDocs building the same pages (scripts/bench's build section).

The baseline, (b): every page of our site (the HOWTO, the guides, the
history page, api/'s page, the others) as the markdown our build renders it
from after the ikiwiki expansion (scripts/bench_flatten_hook.py writes them),
built by MkDocs and Material with the site's nav and theme settings, the
search plugin and no hooks.  Against it, in fresh processes:

- (a)  `howto build`, caches warm; (a0) the same with every cache of the
  project emptied first (cold); (a2) `mkdocs build` without the history,
  api/ and last-updated hooks, caches warm; (c) the real ikiwiki rendering
  our export of the HOWTO;
- rebuilds as `mkdocs serve` makes them: one process builds once, then after
  each one-paragraph edit of the HOWTO loads the configuration anew and
  builds again in the same process (MkDocs' serve builder, without the HTTP
  server); ours edits docs/ports/xen/howto.mdwn, plain MkDocs the same line
  of the flattened howto.md.  Two edits: a paragraph outside any guide step,
  and one inside a step (guides and the builder's data read it).

Run as a script it is the rebuild worker:
    python scripts/bench_build.py rebuild CONFIG PAGE LINE START COUNT
prints the seconds of COUNT rebuilds as JSON.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable
HOWTO = "ports/xen/howto.mdwn"
FLAT_HOWTO = "ports/xen/howto.md"
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "data", "overrides")
FEWER_HOOKS = ("hooks/howto_history.py", "hooks/facts_api.py", "hooks/last_updated.py")
SERVE_URL = "http://127.0.0.1:8000/netbsd-xen-howto/"
EDITS_PER_PROCESS = 3


def _env(as_of: str) -> dict:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", HOWTO_AS_OF=as_of)


def _cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(cmd: list[str], cwd: str, env: dict) -> tuple[float, float]:
    """(Wall seconds, CPU seconds) of a command."""
    t, c = time.perf_counter(), _cpu_of_children()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, _cpu_of_children() - c


def copy_project(dest: str) -> None:
    os.makedirs(dest, exist_ok=True)
    for name in PROJECT_PARTS:
        src = os.path.join(ROOT, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, name), ignore=shutil.ignore_patterns("__pycache__"))
        elif os.path.exists(src):
            shutil.copy(src, os.path.join(dest, name))


def _with_hooks(config: str, out: str, drop: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> None:
    """A copy of mkdocs.yml without the hooks ``drop`` and with ``add`` after the others."""
    lines = [ln for ln in open(config, encoding="utf-8").read().split("\n")
             if ln.strip() not in {f"- {h}" for h in drop}]
    at = lines.index("hooks:") + 1
    while at < len(lines) and lines[at].startswith("  - "):
        at += 1
    lines[at:at] = [f"  - {h}" for h in add]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def empty_caches(cache_home: str) -> None:
    """Every on-disk cache of the project (facts, steps, templates, history, ...)."""
    shutil.rmtree(os.path.join(cache_home, "xenhowto"), ignore_errors=True)


def flatten(ours: str, dest: str, as_of: str) -> None:
    """Our build, once, writing every page as plain markdown (the hook), then
    the plain project around them: the site's nav and theme, no hooks."""
    import yaml

    from xenhowto.project import read_config

    config = os.path.join(ours, "mkdocs.flatten.yml")
    _with_hooks(os.path.join(ours, "mkdocs.yml"), config, add=(os.path.join(ROOT, "scripts", "bench_flatten_hook.py"),))
    env = dict(_env(as_of), HOWTO_BENCH_FLATTEN=dest)
    subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-f", config, "-d", os.path.join(ours, "site.flatten")],
                   cwd=ours, env=env, check=True, stdout=subprocess.DEVNULL)
    os.remove(config)
    shutil.rmtree(os.path.join(ours, "site.flatten"))
    ours_cfg = read_config(os.path.join(ours, "mkdocs.yml"))
    theme = {k: v for k, v in ours_cfg["theme"].items() if k != "custom_dir"}  # custom_dir: our template
    with open(os.path.join(dest, "nav.json"), encoding="utf-8") as f:
        nav = json.load(f)
    os.remove(os.path.join(dest, "nav.json"))
    plain = {k: ours_cfg[k] for k in ("site_name", "site_description", "site_url", "repo_url", "repo_name", "edit_uri",
                                      "extra_css", "extra_javascript") if k in ours_cfg}
    plain.update(theme=theme, nav=nav, plugins=["search"], markdown_extensions=[{"toc": {"permalink": True}}])
    with open(os.path.join(dest, "mkdocs.yml"), "w", encoding="utf-8") as f:
        yaml.safe_dump(plain, f, sort_keys=False, allow_unicode=True)


def pick_edit_lines(mdwn: str, flat: str) -> dict[str, str]:
    """A prose line of the HOWTO outside any step and one inside a step, each
    found once in the source and once, as is, in the flattened page."""
    src_lines, flat_lines = mdwn.split("\n"), flat.split("\n")
    inside, found = False, {}
    for line in src_lines:
        if line.startswith("[[!step "):
            inside = True
        elif line.startswith("[[!endstep"):
            inside = False
        where = "inside_step" if inside else "outside_step"
        if where in found or len(line) < 60 or not line[:1].isupper() or "[[" in line or "<" in line:
            continue
        if src_lines.count(line) == 1 and flat_lines.count(line) == 1:
            found[where] = line
    return found


def _rebuilds(config: str, page: str, line: str, start: int, count: int) -> list[tuple[float, float]]:
    """What `mkdocs serve` does: build once, then after each edit load the
    configuration anew and build again, in this process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tempfile.mkdtemp(prefix="bench-serve-")
    nonce = f"{os.getpid()}-{time.time_ns()}"
    path = os.path.join(os.path.dirname(os.path.abspath(config)), "docs", page)
    original = open(path, encoding="utf-8").read()

    def get_config():
        c = load_config(config_file=config, site_dir=site)
        c.site_url = SERVE_URL
        return c

    cfg = get_config()
    cfg.plugins.on_startup(command="serve", dirty=False)
    times = []
    try:
        build(cfg, serve_url=SERVE_URL, dirty=False)
        for i in range(start, start + count):
            with open(path, "w", encoding="utf-8") as f:
                # a text no earlier run made: the caches cannot know the edited page
                f.write(original.replace(line, f"{line} Edited for the benchmark ({i}, {nonce}).", 1))
            t, c = time.perf_counter(), time.process_time()
            build(get_config(), serve_url=SERVE_URL, dirty=False)
            times.append((time.perf_counter() - t, time.process_time() - c))
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        shutil.rmtree(site, ignore_errors=True)
    return times


def _rebuild_process(project: str, page: str, line: str, start: int, as_of: str) -> list[list[float]]:
    out = subprocess.run([PY, os.path.abspath(__file__), "rebuild", os.path.join(project, "mkdocs.yml"), page, line,
                          str(start), str(EDITS_PER_PROCESS)], cwd=project, env=_env(as_of), check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_section(runs: int, as_of, work: str) -> dict:
    """Every figure of the build section, medians of interleaved runs."""
    from xenhowto.export import export
    from xenhowto.parity.ikiwiki_render import render
    from xenhowto.project import load

    as_of = as_of.isoformat()
    ours, fewer, flat = (os.path.join(work, n) for n in ("ours", "fewer", "flat"))
    copy_project(ours)
    copy_project(fewer)
    _with_hooks(os.path.join(fewer, "mkdocs.yml"), os.path.join(fewer, "mkdocs.yml"), drop=FEWER_HOOKS)
    os.makedirs(flat)
    flatten(ours, flat, as_of)
    env = _env(as_of)
    cache_home = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    howto = [os.path.join(os.path.dirname(PY), "howto"), "build", "-d"]
    mkdocs = [PY, "-m", "mkdocs", "build", "-q", "-d"]
    project = load(os.path.join(ROOT, "mkdocs.yml"))
    exported = os.path.join(work, "export")
    import datetime as dt

    export(project, exported, dt.date.fromisoformat(as_of), force=True)

    def ikiwiki_once() -> tuple[float, float]:
        dest = tempfile.mkdtemp(dir=work)
        t, c = time.perf_counter(), _cpu_of_children() + time.process_time()
        render(exported, dest, templates_dir=project.templates_dir, known_wiki_pages=project.known_wiki_pages)
        return time.perf_counter() - t, _cpu_of_children() + time.process_time() - c

    # interleaved, so that a slow moment of the machine hits every variant alike
    _run(howto + [os.path.join(ours, "site")], ours, env)  # caches warm
    series: dict[str, list[tuple[float, float]]] = {k: [] for k in ("a", "a0", "a2", "b", "c")}
    for _ in range(runs):
        series["a"].append(_run(howto + [os.path.join(ours, "site")], ours, env))
        empty_caches(cache_home)
        series["a0"].append(_run(howto + [os.path.join(ours, "site.cold")], ours, env))
        series["a2"].append(_run(mkdocs + [os.path.join(fewer, "site")], fewer, env))
        series["b"].append(_run(mkdocs + [os.path.join(flat, "site")], flat, env))
        series["c"].append(ikiwiki_once())
    _run(howto + [os.path.join(ours, "site")], ours, env)  # leaves the site with warm caches for the size figures

    mdwn = open(os.path.join(ours, "docs", HOWTO), encoding="utf-8").read()
    flat_text = open(os.path.join(flat, "docs", FLAT_HOWTO), encoding="utf-8").read()
    lines = pick_edit_lines(mdwn, flat_text)
    rebuild: dict[str, dict] = {}
    edit = 0
    for where, line in sorted(lines.items()):
        r_ours, r_plain = [], []
        for _ in range(runs):
            r_ours += _rebuild_process(ours, HOWTO, line, edit, as_of)
            r_plain += _rebuild_process(flat, FLAT_HOWTO, line, edit, as_of)
            edit += EDITS_PER_PROCESS
        ours_wall, ours_cpu = _medians(r_ours)
        plain_wall, plain_cpu = _medians(r_plain)
        rebuild[where] = {"line": line, "ours_seconds": ours_wall, "plain_seconds": plain_wall,
                          "ratio": ours_wall / plain_wall, "ours_cpu_seconds": ours_cpu,
                          "plain_cpu_seconds": plain_cpu, "ratio_cpu": ours_cpu / plain_cpu,
                          "ours_all": r_ours, "plain_all": r_plain}

    wall = {k: _medians(v)[0] for k, v in series.items()}
    cpu = {k: _medians(v)[1] for k, v in series.items()}
    return {
        "pages": sum(1 for base, _, names in os.walk(os.path.join(flat, "docs")) for n in names if n.endswith(".md")),
        "a_howto_build_warm": wall["a"], "a0_howto_build_cold": wall["a0"],
        "a2_without_history_api_warm": wall["a2"], "b_plain_mkdocs_flattened": wall["b"],
        "c_ikiwiki_render_export": wall["c"],
        "ratio_warm": wall["a"] / wall["b"], "ratio_cold": wall["a0"] / wall["b"], "ratio_a2": wall["a2"] / wall["b"],
        "ratio_c": wall["c"] / wall["b"],
        "cpu_seconds": cpu, "ratio_cpu": {k: cpu[k] / cpu["b"] for k in cpu},
        "aim_build_ratio": 1.5, "aim_rebuild_ratio": 1.25,
        "rebuild": rebuild, "runs": {k: v for k, v in series.items()},
    }


def _medians(pairs) -> tuple[float, float]:
    """The medians of the wall and of the CPU seconds."""
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def markdown(b: dict) -> list[str]:
    lines: list[str] = [
        "## Site build (median of fresh processes)", "",
        f"(b) is plain MkDocs + Material, no hooks, building all {b['pages']} pages of the site flattened to .md "
        "(our build's markdown after the ikiwiki expansion: the HOWTO, the guides, the history page, api/'s page, "
        "the others).", "",
        "| variant | seconds | vs (b) | CPU seconds | vs (b) |", "|---|---|---|---|---|",
    ]
    for key, field, ratio, label in (
            ("a", "a_howto_build_warm", "ratio_warm", "(a) `howto build`, caches warm"),
            ("a0", "a0_howto_build_cold", "ratio_cold", "(a0) `howto build`, every cache empty"),
            ("a2", "a2_without_history_api_warm", "ratio_a2",
             "(a2) our build without the history, api/ and last updated, caches warm"),
            ("b", "b_plain_mkdocs_flattened", None, "(b) plain MkDocs, every page flattened to .md"),
            ("c", "c_ikiwiki_render_export", "ratio_c", "(c) ikiwiki rendering the export of the HOWTO")):
        lines.append(f"| {label} | {b[field]:.2f} | {b[ratio] if ratio else 1:.2f}x | {b['cpu_seconds'][key]:.2f} | "
                     f"{b['ratio_cpu'][key]:.2f}x |")
    lines += [
        "", f"Aim: (a)/(b) <= {b['aim_build_ratio']}.  CPU seconds (the processes' user and system time) vary "
        "less than wall seconds on a machine others share.", "",
        "## `mkdocs serve` rebuild after a one-paragraph edit of the HOWTO (median)", "",
        "In one process, as `mkdocs serve` does: the configuration loaded anew, then a build; our HOWTO's "
        ".mdwn and the flattened howto.md get the same edit of the same line.  Under `mkdocs serve` our site's "
        "history page is a placeholder (the history is made by builds only); plain MkDocs renders the flattened "
        "history page.", "",
        "| edit | ours (s) | plain MkDocs (s) | ratio | ours (CPU s) | plain (CPU s) | ratio (CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for where, r in sorted(b["rebuild"].items()):
        lines.append(f"| a paragraph {where.replace('_', ' ')} | {r['ours_seconds']:.2f} | "
                     f"{r['plain_seconds']:.2f} | {r['ratio']:.2f}x | {r['ours_cpu_seconds']:.2f} | "
                     f"{r['plain_cpu_seconds']:.2f} | {r['ratio_cpu']:.2f}x |")
    lines += ["", f"Aim: ratio <= {b['aim_rebuild_ratio']}.", ""]
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["rebuild"]:
        cfg, page, line, start, count = sys.argv[2:7]
        sys.path.insert(0, ROOT)
        print(json.dumps(_rebuilds(cfg, page, line, int(start), int(count))))
    else:
        sys.exit(__doc__)
