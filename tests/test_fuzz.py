"""Hostile input, fuzzed (issue 11): the corpus of tests/hostile.py and
hypothesis-drawn text, fed to every reader of pages, data, answers and domU
configs.  For each: no exception escapes, every problem is a finding with a
line, the time stays bounded, and a page's HTML is inert.

The normal run is kept to a few seconds; scripts/fuzz runs the same tests at
larger sizes and with many more examples (HOWTO_FUZZ_SCALE, HOWTO_FUZZ_EXAMPLES)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
import inert
from conftest import ROOT
from xenhowto.checking.run import Report, check_page, render
from xenhowto.findings import HowtoError
from xenhowto.guide import build as guide_build
from xenhowto.ikiwiki.context import WIKI, PageContext
from xenhowto.ikiwiki.expand import expand
from xenhowto.project import load

SCALE = int(os.environ.get("HOWTO_FUZZ_SCALE", "1"))
EXAMPLES = int(os.environ.get("HOWTO_FUZZ_EXAMPLES", "60"))
# Far above what linear work takes here, even on a loaded machine, and far
# below what the exponential and quadratic cases took (20 s to minutes).
LIMIT = 15 * SCALE
AS_OF = dt.date(2025, 6, 1)
PROJECT = load(str(ROOT / "mkdocs.yml"))


@contextlib.contextmanager
def within(seconds: float, what: str):
    """Fail, rather than hang, when ``what`` takes longer than ``seconds``."""
    def alarm(signum, frame):
        raise TimeoutError(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _ctx(target=WIKI) -> PageContext:
    return guide_build.page_context(PROJECT, AS_OF, target=target)


def every_reader_of_a_page(path: Path) -> tuple[str, list]:
    """The page through `howto check` (which renders it as the build does),
    the export and the guides' parser: its HTML and all findings."""
    report = Report()
    check_page(PROJECT, str(path), AS_OF, 12, report)
    text = path.read_text(encoding="utf-8", errors="replace")
    site = _ctx("site")
    html = render(text, site)
    expand(text, _ctx(WIKI))
    try:
        guide_build._parse(PROJECT, text, AS_OF)
    except HowtoError:
        pass  # a page whose examples cannot be filled: a sentence, reported by the check
    return html, report.findings + site.findings


def assert_sane(findings, html: str | None = None) -> None:
    for f in findings:
        assert f.line >= 1 and f.path and f.message, f
        assert len(f.message) <= 1000, f"a finding too long to read: {f.message[:100]}..."
        assert "Traceback" not in f.message
    if html is not None:
        assert inert.problems(html) == [], inert.problems(html)


# --- pages ------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(hostile.PAGES))
def test_a_hostile_page_is_findings_and_inert_html(tmp_path, case):
    page = tmp_path / "howto.mdwn"
    page.write_text(hostile.PAGES[case](SCALE), encoding="utf-8")
    with within(LIMIT, case):
        html, findings = every_reader_of_a_page(page)
    assert_sane(findings, html)


@pytest.mark.parametrize("case", sorted(hostile.PAGE_BYTES))
def test_a_page_that_is_not_text_is_a_finding(tmp_path, case):
    page = tmp_path / "howto.mdwn"
    page.write_bytes(hostile.PAGE_BYTES[case](SCALE))
    report = Report()
    with within(LIMIT, case):
        check_page(PROJECT, str(page), AS_OF, 12, report)
    assert_sane(report.findings)


_FRAGMENTS = [
    "[[", "]]", "[[!", "\\", "|", "#", '"', '"""', "'''", "=", " ", "\n", "\n\n", "    ", "\t", "<<EOF\n", "EOF",
    "toc", "meta title=", "table data=", "template id=man name=", "shell host=dom0 content=", "file path=/boot.cfg ",
    "template=boot.cfg", "when ", "endwhen", "step id=a title=t order=1", "endstep", "page", "javascript:",
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='", "'>", "&lt;", "&#", "*", "_", "`", "> ",
    "- ", "1. ", "# ", "[x](", ")", "![", "<", ">", "x", "\u00e9", "\x00", "\r",
]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=80).map("".join))
def test_drawn_pages_are_findings_and_inert_html(tmp_path, text):
    page = tmp_path / "howto.mdwn"
    page.write_text(text, encoding="utf-8", errors="surrogateescape")
    with within(LIMIT, "a drawn page"):
        html, findings = every_reader_of_a_page(page)
    assert_sane(findings, html)


# --- data, setup.yaml and answers ------------------------------------------------------

def _yaml_cases():
    return [(k, lambda n, g=g: g(n).encode()) for k, g in sorted(hostile.YAML.items())] + \
        sorted(hostile.YAML_BYTES.items())


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(ROOT / "data", root / "data")
    return root / "data"


@pytest.mark.parametrize("case,make", _yaml_cases(), ids=[c for c, _ in _yaml_cases()])
def test_hostile_yaml_is_a_finding_in_every_reader(tmp_path, data_copy, case, make):
    from xenhowto.facts import load as data_load
    from xenhowto.guide import cli as guide_cli
    from xenhowto.guide import model

    raw = make(SCALE)
    yaml_file = tmp_path / "x.yaml"
    yaml_file.write_bytes(raw)
    with within(LIMIT, case):
        # a data file
        _, findings = data_load.read(str(yaml_file))
        assert_sane(findings)
        # data/setup.yaml
        (data_copy / "setup.yaml").write_bytes(raw)
        setup_model, findings = model._checked(str(data_copy))
        assert setup_model is None and findings, "a hostile setup.yaml was accepted"
        assert_sane(findings)
        # an answers file: a dict of strings, or a usage error
        try:
            answers = guide_cli._answers(str(yaml_file), model.load(str(ROOT / "data")))
            assert all(isinstance(v, str) for v in answers.values())
        except guide_cli.UsageError as e:
            assert "Traceback" not in str(e) and str(yaml_file) in str(e)


_YAML_FRAGMENTS = ["a", ":", " ", "\n", "  ", "- ", "&x ", "*x", "[", "]", "{", "}", ",", "? ", "!!str ",
                   "'", '"', "#", "|", ">", "---", "...", "%YAML 1.1\n", "\t", "4.20", "~", "<<: "]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(_YAML_FRAGMENTS), max_size=60).map("".join))
def test_drawn_yaml_never_raises(text):
    from xenhowto import yamlfiles

    for loader in (yamlfiles.SafeLoader, yamlfiles.TextLoader):
        with within(LIMIT, "drawn YAML"):
            try:
                yamlfiles.parse(text, loader)
            except yamlfiles.YamlProblem as e:
                assert e.line >= 1 and e.message


# --- domU configs ------------------------------------------------------------------------

def _config_cases():
    return [(k, lambda n, g=g: g(n).encode()) for k, g in sorted(hostile.CONFIGS.items())] + \
        sorted(hostile.CONFIG_BYTES.items())


@pytest.mark.parametrize("case,make", _config_cases(), ids=[c for c, _ in _config_cases()])
def test_hostile_configs_are_findings(tmp_path, capsys, case, make):
    from xenhowto.cli import main

    cfg = tmp_path / "domu.cfg"
    cfg.write_bytes(make(SCALE))
    for argv in (["--xen", "4.18"], ["--xen", "4.18", "--parser", "python"], ["--xen", "4.2", "--toolstack", "xm"]):
        with within(LIMIT, case):
            code = main(["check-config", str(cfg), *argv])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2) and "Traceback" not in out + err


_XL_FRAGMENTS = ["name", " = ", '"', "'", "[", "]", ",", "\n", "#", "disk", "vif", "memory", "0x1", "1",
                 "file:/a", "w", "=", "+=", "\\x41", "\\", "(", ")", " ", "\t", "kernel"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(_XL_FRAGMENTS), max_size=60).map("".join))
def test_drawn_configs_never_raise(text):
    from xenhowto.validators.xl_domu import validate_xl_domu
    from xenhowto.validators.xm_domu import validate_xm_domu

    with within(LIMIT, "a drawn config"):
        for findings in (validate_xl_domu(text, "c", 1, xen=(4, 18)),
                         validate_xl_domu(text, "c", 1, xen=(4, 18), parser="python"),
                         validate_xm_domu(text, "c", 1, xen=(4, 2))):
            assert_sane(findings)
