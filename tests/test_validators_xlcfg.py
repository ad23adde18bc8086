"""xl config syntax: libxlutil (Xen's parser, via ctypes) and the pure-Python twin agree.

The libxlutil half needs libxlutil.so (Debian libxenmisc4.17); it is installed
by scripts/setup and in CI, and skipped with the reason only where missing.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xenhowto.validators import libxlutil, xlcfg_grammar
from xenhowto.validators.xlcfg_grammar import parse, validate_xlcfg_syntax

CORPUS = sorted((Path(__file__).parent / "corpus" / "xl").glob("*.cfg"))
needs_libxlutil = pytest.mark.skipif(not libxlutil.available(),
                                     reason=f"libxlutil not available: {libxlutil.reason()}")

# Pieces from which random configs are built: the grammar's tokens and its traps.
PIECES = ["a", "b", "memory", "disk", "x.y", "=", "+=", " ", "\t", "\n", "\n", ";", ",", ",", "[", "[",
          "]", "]", '"', "'", "#", "# c\n", "1", "0x1f", "09", "1e5", "0xFF", "True", "-", ".", "(", ")",
          "\\", "\\x41", "\\101", "\\1 5", "\\q", "\r", "A", '"str"', "'s'", '"a\\"b"', "'it\\'s'", "é",
          "\x01", "\x7f"]
config_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def key(errors):
    return [(e.line, e.reported_line, e.message) for e in errors]


def test_corpus_is_there():
    assert len([p for p in CORPUS if p.name.startswith("ok-")]) >= 10
    assert len([p for p in CORPUS if p.name.startswith("bad-")]) >= 15


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_pure_parser_judges_the_corpus_by_its_name(path):
    result = parse(path.read_bytes())
    assert result.ok == path.name.startswith("ok-"), [str(e) for e in result.errors]
    assert bool(result.errors) == (not result.ok)


@needs_libxlutil
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_libxlutil_and_pure_parser_agree_on_the_corpus(path):
    data = path.read_bytes()
    lib, pure = libxlutil.parse(data), parse(data)
    assert lib.ok == path.name.startswith("ok-"), lib.output
    assert (lib.ok, key(lib.errors)) == (pure.ok, key(pure.errors))


@needs_libxlutil
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config_text)
def test_libxlutil_and_pure_parser_agree_on_random_configs(text):
    lib, pure = libxlutil.parse(text), parse(text)
    assert (lib.ok, key(lib.errors)) == (pure.ok, key(pure.errors))


def _value_strategy():
    atom = st.sampled_from(["1", "0x10", "512", '"s"', "'t'", '"a,b"', '"\\n"', '"x\\101y"', "'q\\'q'",
                            "09", '"é"'])
    return st.recursive(atom, lambda inner: st.lists(inner, max_size=3).map(
        lambda items: "[" + ",\n".join(items) + "]"), max_leaves=6)


@needs_libxlutil
@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "disk"]), st.sampled_from(["=", "+="]),
                          _value_strategy()), max_size=5))
def test_values_agree_with_libxlutils_getters(assignments):
    text = "".join(f"{k} {op} {v}\n" for k, op, v in assignments)
    pure = parse(text)
    with libxlutil.open_config(text) as lib:
        assert lib.ok == pure.ok
        if not lib.ok:
            return
        for name in ("a", "b", "disk"):
            setting = pure.get(name)
            if setting is None:
                assert lib.get_string(name) is None and lib.get_list(name) is None
            elif isinstance(setting.value, list):
                assert lib.get_list(name) == [v if isinstance(v, str) else None for v in setting.value]
            else:
                assert lib.get_string(name) == setting.value


@needs_libxlutil
def test_deep_nesting_runs_out_of_bisons_stack_at_the_same_depth():
    def ok(f, n):
        return f("a = " + "[" * n + "]" * n + "\n").ok
    for f in (libxlutil.parse, parse):
        assert ok(f, 4996) and not ok(f, 4997)
    assert key(libxlutil.parse("a = " + "[" * 6000).errors) == key(parse("a = " + "[" * 6000).errors)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_pure_parser_never_raises_on_random_bytes(data):
    result = parse(data)
    assert result.ok == (not result.errors)
    for e in result.errors:
        assert e.line >= 1 and e.reported_line >= 0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_syntax_validator_never_raises_and_counts_from_first_line(text):
    for finding in validate_xlcfg_syntax(text, "page.mdwn", first_line=100):
        assert finding.path == "page.mdwn" and finding.line >= 100


def test_errors_after_a_newline_are_reported_one_line_early_by_libxlutil():
    # libxlutil prints "1:" for a value missing on line 2; we keep both numbers.
    (error,) = parse("memory = 64\nkernel =\n").errors
    assert (error.line, error.reported_line, error.near) == (2, 1, "<newline>")
    findings = validate_xlcfg_syntax("memory = 64\nkernel =\n", "p", first_line=10)
    assert [f.line for f in findings] == [11]


def test_messages_explain_the_historic_mistakes():
    def message(text):
        (finding,) = validate_xlcfg_syntax(text, "p")
        return finding.message
    assert "write 1 or 0 instead of True" in message("autorestart = True\n")
    assert 'quote it' in message("on_reboot = restart\n")
    assert "DOS" in message("memory = 64\r\n")
    assert "lower-case digits" in message("memory = 0xFF\n")
    assert "Python" in message("memory = 256 * 2\n")


def test_lone_bad_byte_at_the_very_end_is_accepted_like_libxlutil():
    assert parse("memory = 64\n+").ok
    assert not parse("memory = 64\n++").ok


def test_nul_bytes_are_refused_before_reaching_libxlutil():
    # A NUL inside a quoted string aborts the process in xlu__cfgl_dequote.
    with pytest.raises(ValueError):
        libxlutil.open_config('name = "a\0b"\n')


def test_missing_library_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(libxlutil, "_lib", None)
    monkeypatch.setattr(libxlutil, "_reason", None)
    monkeypatch.setattr(libxlutil, "_candidates", lambda: ["/nonexistent/libxlutil.so.4.17"])
    assert not libxlutil.available()
    assert "libxlutil" in libxlutil.reason() and "/nonexistent" in libxlutil.reason()
    with pytest.raises(RuntimeError):
        libxlutil.open_config("memory = 64\n")


def test_env_variable_names_the_library(monkeypatch):
    monkeypatch.setenv("HOWTO_LIBXLUTIL", "/some/where/libxlutil.so")
    assert libxlutil._candidates() == ["/some/where/libxlutil.so"]


def test_grammar_tables_have_no_conflicts_and_defaults_like_bison():
    states = xlcfg_grammar._tables()
    # bison's libxlu_cfg_y.c has 32 states; ours are the same automaton.
    assert len(states) == 32
    assert sum(s.accept for s in states) == 1
    assert [s.default for s in states] == [s.default for s in xlcfg_grammar._tables.__wrapped__()]
