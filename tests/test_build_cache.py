"""The build's caches (xenhowto.buildcache, xenhowto.digest): a result is
reused only when nothing it depends on changed; a change of a data entry, a
template or the code recomputes exactly what depends on it; a build with warm
caches is byte for byte the build without them."""
from __future__ import annotations

import ast
import collections
import datetime as dt
import os
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from conftest import ROOT, MiniProject, tree

from xenhowto import buildcache, digest, diskcache

PAGE = "ports/xen/howto.mdwn"
# A small HOWTO with what the caches keep: fact directives, a template, a
# region, steps with template and literal examples (guides, the builder).
MINI = '''[[!meta title="Xen HowTo"]]

Introduction
============

Xen is a hypervisor.  [[!xen_recommendation]]

See [[!template id=man name="xl" section="1"]].

[[!when "toolstack == xm"]]
xm is the old toolstack.
[[!endwhen]]

[[!step id=install-xen title="Install the Xen packages" order=20]]
Install the packages:

[[!shell host=dom0 template=install-xen.sh]]
[[!endstep]]

[[!step id=daemons title="Enable the Xen daemons" order=50]]
Start the daemons at boot:

[[!file path=/etc/rc.conf action=append content="""
xencommons=YES
"""]]

[[!shell host=dom0 content="""
/etc/rc.d/xencommons start
"""]]
[[!endstep]]
'''
KINDS = ("expansion", "page-examples", "example-verdict", "builder", "builder-edition", "guide-page", "guides-index", "api", "history-site")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOWTO_AS_OF", "2026-11-25")
    return tmp_path / "cache"


def _build(project: MiniProject, site) -> tuple[dict, collections.Counter]:
    """The site's files, and what each cache kind computed (misses) and reused (hits)."""
    before = collections.Counter(diskcache.counts)
    project.build(site)
    after = collections.Counter(diskcache.counts)
    after.subtract(before)
    return tree(site), after


def _computed(counts, kind: str) -> int:
    return counts[kind, "miss"]


def _reused(counts, kind: str) -> int:
    return counts[kind, "hit"]


def _mini(tmp_path) -> MiniProject:
    root = tmp_path / "project"
    root.mkdir()
    p = MiniProject(root)
    p.write(PAGE, MINI)
    return p


def test_a_warm_build_reuses_everything_and_is_the_same_site(tmp_path, cache):
    project = _mini(tmp_path)
    cold, first = _build(project, tmp_path / "cold")
    warm, second = _build(project, tmp_path / "warm")
    assert warm == cold
    for kind in KINDS:
        assert _computed(first, kind) > 0, kind
        assert _computed(second, kind) == 0, kind
    # the warm build asked only for whole results: no example was judged, no day of the history made
    assert not second["example-verdict", "hit"] and not second["history", "miss"]
    assert "ports/xen/howto/history.json" in cold and "guide-builder/guide-builder.json" in cold


def test_a_data_entry_recomputes_what_reads_the_data_and_no_verdict(tmp_path, cache, monkeypatch):
    project = _mini(tmp_path)
    _build(project, tmp_path / "one")
    data = project.root / "data" / "xen_releases.yaml"
    data.write_text(data.read_text().replace('"xen.git tag RELEASE-3.0.0"', '"xen.git tag RELEASE-3.0.0 (re-read)"'))
    site, counts = _build(project, tmp_path / "two")
    assert "RELEASE-3.0.0 (re-read)" in site["api/xen-releases.json"].decode()
    for kind in ("expansion", "page-examples", "builder", "guide-page", "api", "history-site"):
        assert _computed(counts, kind) > 0, kind
    # the examples read the same: their verdicts are reused, shellcheck does not run again
    assert _computed(counts, "example-verdict") == 0 and _reused(counts, "example-verdict") > 0
    # and nothing stale: the same site as a build of the changed project with no cache at all
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    fresh, _ = _build(project, tmp_path / "three")
    assert fresh == site


def test_a_template_recomputes_what_expands_it_and_not_the_api(tmp_path, cache, monkeypatch):
    project = _mini(tmp_path)
    before, _ = _build(project, tmp_path / "one")
    template = project.root / "docs" / "templates" / "man.mdwn"
    template.write_text(template.read_text().replace("https://man.netbsd.org/", "https://man.NetBSD.org/"))
    site, counts = _build(project, tmp_path / "two")
    assert b"https://man.NetBSD.org/xl.1" in site["ports/xen/howto/index.html"]
    assert b"https://man.NetBSD.org/xl.1" not in before["ports/xen/howto/index.html"]
    for kind in ("expansion", "page-examples", "builder", "guide-page", "history-site"):
        assert _computed(counts, kind) > 0, kind
    assert _computed(counts, "api") == 0 and _reused(counts, "api") == 1
    assert _computed(counts, "example-verdict") == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    fresh, _ = _build(project, tmp_path / "three")
    assert fresh == site


def test_an_edit_outside_the_steps_keeps_the_builder_and_the_guides(tmp_path, cache):
    project = _mini(tmp_path)
    _build(project, tmp_path / "one")
    project.write(PAGE, MINI.replace("Xen is a hypervisor.", "Xen is a hypervisor,\nof type 1."))
    site, counts = _build(project, tmp_path / "two")
    assert b"of type 1." in site["ports/xen/howto/index.html"]
    assert _computed(counts, "expansion") and _computed(counts, "page-examples")
    # the builder's file names the page, but no day's edition is made again
    assert _computed(counts, "builder-edition") == 0 and _computed(counts, "guide-page") == 0
    assert _computed(counts, "api") == 0 and _computed(counts, "example-verdict") == 0


# -- the code ------------------------------------------------------------------------------------

def _rel(paths) -> set[str]:
    return {os.path.relpath(p, os.path.dirname(digest._PACKAGE_DIR)) for p in paths}


def test_the_code_of_a_result_is_what_it_imports():
    api = _rel(digest.modules_of("xenhowto.api.publish"))
    checks = _rel(digest.modules_of("xenhowto.checking.examples"))
    assert "xenhowto/api/feed.py" in api and "xenhowto/api/calendar.py" in api  # calendar: imported in a function
    assert not any(p.startswith("xenhowto/validators/") for p in api)
    assert "xenhowto/validators/shell.py" in checks and "xenhowto/validators/libxlutil.py" in checks
    assert not any(p.startswith("xenhowto/api/") for p in checks)
    # a module importing by computed names counts its whole package
    assert "xenhowto/validators/xm_domu.py" in _rel(digest.modules_of("xenhowto.validators"))


def test_imports_are_found_as_python_finds_them():
    """The text scan of digest.imports against Python's own parser, for every module."""
    for path in digest._walk(digest._PACKAGE_DIR, (".py",)):
        with open(path, encoding="utf-8") as f:
            tree_ = ast.parse(f.read())
        me = digest._module_name(path)
        package = me if path.endswith("__init__.py") else me.rpartition(".")[0]
        names: set[str] = set()
        for node in ast.walk(tree_):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    parts = package.split(".")
                    source = ".".join(parts[:len(parts) - node.level + 1] + ([source] if source else []))
                names |= {source} | {f"{source}.{a.name}" for a in node.names}
        ours = set()
        for n in names:
            parts = n.split(".")
            ours |= {".".join(parts[:i]) + digest.PARENT for i in range(1, len(parts))
                     if digest._module_file(".".join(parts[:i]))}
            ours |= {n} if digest._module_file(n) else set()
        assert digest.imports(path)[0] == ours, path


def test_a_package_that_is_only_a_parent_counts_what_its_init_runs():
    """Importing xenhowto.ikiwiki.syntax runs xenhowto/ikiwiki/__init__.py, whose
    functions import the extension only when called: the syntax's code is not
    the extension's (the API, which reads page dates with it, keeps its key)."""
    syntax = _rel(digest.modules_of("xenhowto.ikiwiki.syntax"))
    assert "xenhowto/ikiwiki/__init__.py" in syntax
    assert "xenhowto/ikiwiki/extension.py" not in syntax and "xenhowto/guide/matrix.py" not in syntax
    # imported as itself, the package's functions count
    assert "xenhowto/ikiwiki/extension.py" in _rel(digest.modules_of("xenhowto.ikiwiki"))


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package that the digests read instead (the tests change its files)."""
    copy = tmp_path / "src" / "xenhowto"
    shutil.copytree(digest._PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(digest, "_PACKAGE_DIR", str(copy))
    digest.forget()
    yield copy
    digest.forget()


RESULTS = {"api": ("xenhowto.api.publish", "xenhowto.api.docs"), "verdicts": ("xenhowto.validators.shell",),
           "page examples": ("xenhowto.checking.examples",), "builder": ("xenhowto.guide.editions",),
           "history": ("xenhowto.history.build", "xenhowto.ikiwiki.extension"),
           "history site": ("xenhowto.history.publish",)}


def _codes() -> dict[str, str]:
    digest.forget()  # a new process
    return {name: digest.code(*modules) for name, modules in RESULTS.items()}


@pytest.mark.parametrize("changed, touched", [
    ("validators/shell.py", {"verdicts", "page examples"}),
    ("api/feed.py", {"api"}),
    ("snippets/templates/install-xen.sh.j2", {"page examples", "builder", "history", "history site"}),
    # the page reads the builder's slot marker ([[!value]]), so its expansion depends on the builder's code
    ("guide/matrix.py", {"builder", "page examples", "history", "history site"}),
    ("history/publish.py", {"history site"}),
])
def test_a_change_of_the_code_changes_the_keys_of_exactly_its_results(package_copy, changed, touched):
    before = _codes()
    path = package_copy / changed
    path.write_text(path.read_text() + "\n# changed\n")
    after = _codes()
    assert {name for name in RESULTS if before[name] != after[name]} == touched
    assert _codes() == after  # and read again from disk, the same


# -- examples --------------------------------------------------------------------------------------

def test_only_new_or_changed_examples_are_judged(tmp_path, cache, monkeypatch):
    from xenhowto.checking import examples as checking
    from xenhowto.examples import Example
    from xenhowto.validators import libxlutil, shell

    judged, parsed = [], []
    real_shellcheck, real_parse = shell.run_shellcheck, libxlutil.validate_xlcfg_syntax
    monkeypatch.setattr(shell, "run_shellcheck", lambda snippets: judged.append([s.text for s in snippets])
                        or real_shellcheck(snippets))
    monkeypatch.setattr(libxlutil, "validate_xlcfg_syntax",
                        lambda text, *a, **k: parsed.append(text) or real_parse(text, *a, **k))

    def found(texts: list[str], xl: str = 'name = "web1"\nmemory = 512\n'):
        return [checking.Found(Example(kind="shell", content=t, line=10 * i + 1, host="dom0"), 10 * i + 1)
                for i, t in enumerate(texts)] + [
            checking.Found(Example(kind="file", content="xencommons=YES\nbad line\n", line=90,
                                   path="/etc/rc.conf", host="dom0"), 90),
            checking.Found(Example(kind="file", content=xl, line=100, path="/usr/pkg/etc/xen/web1",
                                   host="dom0", context={"xen": "4.18", "toolstack": "xl"}), 100)]

    texts = ["ls /\n", 'echo "unclosed\n', "cd /tmp\n"]
    uncached = checking._judge([(f.example, "page.mdwn", f.line) for f in found(texts)])
    judged.clear()
    parsed.clear()
    first = checking.validate(found(texts), "page.mdwn")
    assert sorted(first) == sorted(uncached) and any(f.line == 11 for f in first)  # the broken snippet, at its line
    assert judged == [texts] and (parsed or not libxlutil.available())
    parses = len(parsed)
    assert checking.validate(found(texts), "page.mdwn") == first and len(judged) == 1 and len(parsed) == parses
    texts[2] = "cd /var\n"
    again = checking.validate(found(texts), "page.mdwn")
    assert judged[-1] == ["cd /var\n"] and len(judged) == 2 and len(parsed) == parses
    assert again == checking._judge([(f.example, "page.mdwn", f.line) for f in found(texts)])
    shellchecks, parses = len(judged), len(parsed)
    changed = checking.validate(found(texts, xl='name = "web1"\nmemory = 1024\n'), "page.mdwn")
    # only the changed xl config is judged again
    assert len(judged) == shellchecks and (parsed[parses:] == ['name = "web1"\nmemory = 1024\n']
                                           or not libxlutil.available())
    assert changed == checking._judge([(f.example, "page.mdwn", f.line)
                                       for f in found(texts, xl='name = "web1"\nmemory = 1024\n')])


# -- the builder and the guides after an edit -----------------------------------------------------------

@pytest.mark.parametrize("where", ["in a step", "outside the steps"])
def test_the_builder_kept_by_pieces_is_the_builder_made_afresh(tmp_path, cache, where, monkeypatch):
    import json

    from xenhowto.guide import editions, pages
    from xenhowto.project import load

    root = tmp_path / "project"
    root.mkdir()
    MiniProject(root).write(PAGE, (ROOT / "docs" / PAGE).read_text(encoding="utf-8"))
    project = load(str(root / "mkdocs.yml"))
    as_of = dt.date(2026, 11, 25)
    buildcache.builder_json(project, as_of)  # the pieces of the page as it was
    text = (root / "docs" / PAGE).read_text(encoding="utf-8")
    line = {"in a step": "If you want to use RAIDframe for the dom0, there are no special issues",
            "outside the steps": "Xen is a hypervisor (or virtual machine monitor) for x86 hardware"}[where]
    assert text.count(line) == 1
    # a paragraph edited, and the lines after it moved
    (root / "docs" / PAGE).write_text(text.replace(line, line + " (edited)\nand a line more"), encoding="utf-8")
    before = collections.Counter(diskcache.counts)
    kept, _ = buildcache.builder_json(project, as_of)
    assert (diskcache.counts["builder-edition", "miss"] > before["builder-edition", "miss"]) == (where == "in a step")
    made = buildcache.guide_pages(project, as_of, True, True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))  # afresh: no cache at all
    assert json.loads(kept) == editions.builder_data(project, as_of)
    assert ("(edited)" in kept) == (where == "in a step")
    for named in pages.named_guides():
        assert made[pages.src_uri(named)] == pages.page_markdown(project, named, as_of), named.id


# -- the searches of the page's regions ----------------------------------------------------------------

def test_answers_shared_by_days_are_each_days_own_answers():
    """possible() shares answers between days on which the same setups are
    available; each is the answer a search of that day alone gives."""
    import random

    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View
    from xenhowto.guide import model, possible
    from xenhowto.history import candidates
    from xenhowto.ikiwiki.directives import when
    from xenhowto.ikiwiki.syntax import Directive, scan

    facts = load_facts(str(ROOT / "data"))
    text = (ROOT / "docs" / PAGE).read_text(encoding="utf-8")
    conds = [when.parse_condition(t) for t in scan(text) if isinstance(t, Directive) and t.name == "when"]
    days = candidates.days(facts, dt.date(2026, 11, 25))
    rng = random.Random(14)
    for day in rng.sample(days, 12):
        view = View(facts, day)
        alone = possible._Search(view, model.load())
        for cond in rng.sample(conds, 8):
            assert possible.possible(cond, view) == alone.find(cond), (day, cond)
            assert possible.always(cond, view) == (not alone.find(["not", cond])), (day, cond)


def test_the_setup_model_is_read_again_when_it_changes(tmp_path):
    from xenhowto.guide import model

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    first = model.load(str(data))
    path = data / "setup.yaml"
    path.write_text(path.read_text().replace("id: recommended", "id: recommended-again", 1))
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock
    again = model.load(str(data))
    assert [n.id for n in again.named] != [n.id for n in first.named]
    assert "recommended-again" in [n.id for n in again.named]


# -- what was made faster gives the same results ----------------------------------------------------------

def _line_map_by_character(text: str, cuts: list[list[int]]) -> list[int]:
    """The definition: each character kept, with the source line it is on."""
    kept = [(ch, text.count("\n", 0, i) + 1) for i, ch in enumerate(text)
            if not any(a <= i < b for a, b in cuts)]
    out, at_start = [], True
    for ch, line in kept:
        if at_start:
            out.append(line)
        at_start = ch == "\n"
    if at_start:  # the text ends on a new line: the source's last
        out.append(text.count("\n") + 1)
    return out


@given(st.text(alphabet="ab\n", max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=4))
def test_the_line_map_is_each_kept_lines_source_line(text, spans):
    from xenhowto.ikiwiki import regions

    cuts, pos = [], 0
    for a, b in sorted((min(a, b), max(a, b)) for a, b in spans):
        a, b = max(a, pos), min(max(a, b), len(text))
        if a < b and a <= len(text):
            cuts.append([a, b])
            pos = b + 1
    assert regions._line_map(text, cuts) == _line_map_by_character(text, cuts)


def test_prune_drops_the_unused_and_the_least_recently_used(cache):
    now = __import__("time").time()
    for name, age_days, size in (("old", 40, 10), ("lru", 2, 600), ("used", 3, 600), ("new", 0, 300)):
        diskcache.store("t", name, b"x" * size)
        os.utime(diskcache.directory(f"t-{name}.pickle"), (now - age_days * 86400,) * 2)
    assert diskcache.lookup("t", "used") == b"x" * 600  # reading it marks it used now
    assert diskcache.prune(max_age_days=30, max_bytes=1500, every_seconds=0) == 2
    assert diskcache.lookup("t", "old") is diskcache.MISSING  # unused for 40 days
    assert diskcache.lookup("t", "lru") is diskcache.MISSING  # beyond the size, least recently used
    assert diskcache.lookup("t", "used") == b"x" * 600 and diskcache.lookup("t", "new") == b"x" * 300
    assert diskcache.prune(max_age_days=0, max_bytes=0) == 0  # not again within a day


def test_prune_comes_sooner_when_a_quarter_of_the_budget_was_written(cache):
    """Within a day a prune runs again once more than a quarter of its byte
    budget was written since the last one (counted across processes in its
    marker); a marker that is not a regular file is replaced, never read."""
    assert diskcache.prune(max_bytes=4000, every_seconds=0) == 0  # a prune now: nothing written since
    diskcache.store("t", "a", b"x" * 600)
    assert diskcache.prune(max_age_days=0, max_bytes=4000) == 0  # about 600 bytes: not yet
    assert diskcache.lookup("t", "a") == b"x" * 600
    diskcache.store("t", "b", b"x" * 600)
    assert diskcache.prune(max_age_days=0, max_bytes=4000) == 2  # about 1,200 of 4,000: now
    marker = diskcache.directory(".pruned")
    diskcache.store("t", "c", b"x")
    os.unlink(marker)
    os.mkfifo(marker)
    assert diskcache.prune(max_age_days=0, max_bytes=4000) == 1  # not a marker of ours: a prune now
    diskcache.store("t", "d", b"x")
    assert os.path.isfile(marker) and diskcache.prune(max_age_days=0, max_bytes=4000) == 0  # and a marker again
    assert diskcache.lookup("t", "d") == b"x"


def test_a_kept_expansion_still_fails_the_strict_build_with_its_message(tmp_path, cache, caplog):
    import logging

    from mkdocs.exceptions import Abort

    project = _mini(tmp_path)
    project.write(PAGE, MINI + "\n[[!frobnicate x=1]]\n")
    caplog.set_level(logging.WARNING, logger="mkdocs")
    messages = []
    for attempt in ("made", "kept"):
        caplog.clear()
        before = collections.Counter(diskcache.counts)
        with pytest.raises(Abort):
            project.build(tmp_path / attempt)
        assert diskcache.counts["expansion", "hit"] - before["expansion", "hit"] == (attempt == "kept")
        messages.append([r.getMessage() for r in caplog.records if "frobnicate" in r.getMessage()])
    line = MINI.count("\n") + 2
    assert messages[0] == messages[1] and messages[0][0].startswith(f"docs/{PAGE}:{line}: error: unknown directive")


def test_the_same_data_elsewhere_keeps_its_own_paths(tmp_path, cache):
    """Facts say which file each came from: two copies of the same data (a
    test's project and the checkout) must not share one kept reading."""
    from xenhowto.facts import load_facts

    one, two = tmp_path / "one" / "data", tmp_path / "two" / "data"
    shutil.copytree(ROOT / "data", one)
    shutil.copytree(ROOT / "data", two)
    first = load_facts(str(one))
    second = load_facts(str(two))
    assert all(str(one) in p.where.path for p in first.packages)
    assert all(str(two) in p.where.path for p in second.packages)


# -- `mkdocs serve` ------------------------------------------------------------------------------------

def test_the_first_rebuild_of_a_serve_session_redoes_only_what_the_edit_changed(tmp_path, cache, monkeypatch):
    """`mkdocs serve`'s first build computes the page's results instead of
    reading them (buildcache.prepare_serve): the first rebuild after an edit
    in a step then parses again, per day, only the part of the page the edit
    is in, and fills as many examples as each later rebuild."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from xenhowto.guide import build as guide_build
    from xenhowto.guide import compose, fragments
    from xenhowto.ikiwiki import directives

    root = tmp_path / "project"
    root.mkdir()
    MiniProject(root).write(PAGE, (ROOT / "docs" / PAGE).read_text(encoding="utf-8"))
    monkeypatch.chdir(root)
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")), dirty=False)  # the caches warm
    # a new process: what this one kept is set aside while the session runs
    saved = [(m, dict(m)) for m in (fragments._PARTS, directives._RENDERED, compose._EXAMPLES,
                                    guide_build._PARSED, guide_build._PROSE, buildcache._PIECES)]
    for memo, _ in saved:
        memo.clear()
    done = collections.Counter()
    parse_part, fill = fragments._parse, compose._filled
    monkeypatch.setattr(fragments, "_parse", lambda *a: done.update(["part"]) or parse_part(*a))
    monkeypatch.setattr(compose, "_filled", lambda *a: done.update(["example"]) or fill(*a))
    page = root / "docs" / PAGE
    text = page.read_text(encoding="utf-8")
    line = "If you want to use RAIDframe for the dom0, there are no special issues"
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, dirty=False)
        rebuilds = []
        for i in range(3):
            page.write_text(text.replace(line, f"{line} (edit {i})"), encoding="utf-8")
            done.clear()
            build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")), dirty=False)
            rebuilds.append(dict(done))
    finally:
        for memo, kept in saved:
            memo.clear()
            memo.update(kept)
    days = 3  # the build's and the named setups' two (no history while serving)
    assert rebuilds[0] == rebuilds[1] == rebuilds[2], rebuilds
    assert rebuilds[0]["part"] == days and rebuilds[0].get("example", 0) < 50, rebuilds
