"""The ikiwiki syntax layer: directive arguments, wikilinks, bestlink, and that
no input, however odd, makes the scanner or the expansion raise."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xenhowto.ikiwiki.context import SITE, WIKI, PageContext
from xenhowto.ikiwiki.expand import code_warnings, expand
from xenhowto.ikiwiki.syntax import Directive, Escaped, Unclosed, WikiLink, parse_params, scan
from xenhowto.ikiwiki.wikilinks import candidates, linkpage, pagetitle

PAGES = {"index": "", "ports/xen/howto": "ports/xen/howto/", "ports/xen": "ports/xen/"}


def ctx(target=SITE, **kw) -> PageContext:
    return PageContext(path="docs/ports/xen/howto.mdwn", page="ports/xen/howto", target=target,
                       site_pages=PAGES, known_wiki_pages=frozenset({"guide/inst"}),
                       templates_dir="docs/templates", **kw)


def test_parameters_are_split_like_ikiwiki():
    params = parse_params('title="Xen HowTo" levels=2 bare \'\'\'single\'\'\' data="""\na|b\n1|2\n"""')
    assert params == [("title", "Xen HowTo"), ("levels", "2"), (None, "bare"), (None, "single"),
                      ("data", "a|b\n1|2")]


def test_heredoc_parameter():
    assert parse_params("data=<<EOF\nline one\nline two\nEOF") == [("data", "line one\nline two")]


def test_directive_spanning_lines_reports_its_first_line():
    text = 'para\n\n[[!table data="""\na|b\n1|2\n"""]]\n[[!toc]]\n'
    tokens = [t for t in scan(text) if isinstance(t, Directive)]
    assert [(t.name, t.line) for t in tokens] == [("table", 3), ("toc", 7)]


def test_wikilink_forms():
    links = [t for t in scan("[[page]] [[text|a/b#anchor]] [[with space]]") if isinstance(t, WikiLink)]
    assert [(w.text, w.target, w.anchor) for w in links] == [
        (None, "page", None), ("text", "a/b", "anchor"), (None, "with space", None)]


def test_escapes_and_unclosed():
    tokens = list(scan('\\[[!toc]] \\[[page]] [[!meta title="x'))
    assert isinstance(tokens[0], Escaped) and tokens[0].literal == "[[!toc]]"
    assert isinstance(tokens[1], Escaped) and tokens[1].literal == "[[page]]"
    assert isinstance(tokens[2], Unclosed) and tokens[2].name == "meta"


def test_bestlink_tries_subpages_then_parents_then_root():
    assert candidates("ports/xen/howto", "foo") == [
        "ports/xen/howto/foo", "ports/xen/foo", "ports/foo", "foo"]
    assert candidates("ports/xen/howto", "/foo") == ["foo"]


def test_linkpage_and_pagetitle_follow_ikiwiki():
    assert linkpage("with space") == "with_space"
    assert linkpage("a&b") == "a__38__b"
    assert pagetitle("a__38__b_c") == "a&b c"


def test_wikilink_to_parent_site_page_is_relative():
    out = expand("[[ports/xen]] and [[here|guide/inst]]", ctx())
    assert '<a href="../">xen</a>' in out
    assert '<a href="https://wiki.netbsd.org/guide/inst/">here</a>' in out


def test_site_expansion_drops_the_escape_backslash_export_keeps_it():
    assert expand("\\[[page]]", ctx()) == "[[page]]"
    assert expand("\\[[page]]", ctx(WIKI)) == "\\[[page]]"


def test_directive_inside_code_is_expanded_like_ikiwiki_and_the_checker_warns():
    text = "para\n\n    code [[guide/inst]]\n"
    c = ctx()
    assert "https://wiki.netbsd.org/guide/inst/" in expand(text, c)
    code_warnings(text, c)
    assert [(f.line, f.severity) for f in c.findings] == [(3, "warning")]


def test_errors_carry_their_lines():
    c = ctx()
    expand("ok\n[[!nosuch]]\n[[missing]]\n[[!toc levels=x]]\n[[!meta\n", c)
    assert [f.line for f in c.findings] == [2, 3, 4, 5]
    assert "unknown directive [[!nosuch]]" in c.findings[0].message
    assert "resolves to no page" in c.findings[1].message
    assert "levels" in c.findings[2].message
    assert "never closed" in c.findings[3].message


# ikiwiki's directive pattern (IkiWiki.pm, prefix_directives) with each
# parameter in an atomic group (?>...), and its link pattern (Plugin/link.pm):
# the meaning syntax.scan implements without backtracking (see its docstring).
_REFERENCE_DIRECTIVE = re.compile(r"""
    (?P<escape>\\?) \[\[! (?P<name>[-\w]+)
    (?P<params>\s+(?:(?>(?:[-.\w]+=)?(?:\"\"\".*?\"\"\"|"[^"]*?"|'''.*?'''
                     |<<(?P<heredoc>[a-zA-Z]+)\n(?:.*?)\n(?P=heredoc)|[^"\s\]]+))\s*)*)?
    \]\]""", re.S | re.X)
_REFERENCE_LINK = re.compile(r"""
    (?P<escape>\\?) \[\[(?=[^!]) (?:(?P<text>[^\]\|]+)\|)? (?P<target>[^\n\r\]\#]+)
    (?:\#(?P<anchor>[^\s\]]+))? \]\]""", re.X)


def _reference_scan(text: str) -> list[tuple]:
    """The scan written with the regular expressions (slow: small inputs only)."""
    out, pos = [], 0
    while (at := text.find("[[", pos)) >= 0:
        start = at - 1 if at > pos and text[at - 1] == "\\" else at
        regex = _REFERENCE_DIRECTIVE if text.startswith("[[!", at) else _REFERENCE_LINK
        m = regex.match(text, start)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            if m.group("escape"):
                out.append(("Escaped", m.group(0)[1:]))
            elif regex is _REFERENCE_LINK:
                out.append(("WikiLink", m["text"], m["target"], m["anchor"], line))
            else:
                out.append(("Directive", m["name"], parse_params((m["params"] or "").strip()), line))
            pos = m.end()
            continue
        if regex is _REFERENCE_DIRECTIVE and start == at:
            out.append(("Unclosed", re.match(r"\[\[!([-\w]*)", text[at:]).group(1), text.count("\n", 0, at) + 1))
        pos = at + (3 if regex is _REFERENCE_DIRECTIVE else 2)
    return out


def _tokens(text: str) -> list[tuple]:
    out = []
    for t in scan(text):
        if isinstance(t, Escaped):
            out.append(("Escaped", t.literal))
        elif isinstance(t, WikiLink):
            out.append(("WikiLink", t.text, t.target, t.anchor, t.line))
        elif isinstance(t, Directive):
            out.append(("Directive", t.name, t.params, t.line))
        else:
            out.append(("Unclosed", t.name, t.line))
    return out


_syntax = st.lists(st.sampled_from(
    ["[[", "]]", "[[!", "x", "a=", '"', '"""', "'''", "<<EOF\n", "\nEOF", " ", "\n", "|", "#", "\\",
     "]", "[", "!", "b c", "k=v", "\r"]), max_size=16).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_syntax)
@example("[[a#]] [[#a]] [[|a]] [[a|]] [[a\nb|c]] [[a|b\nc]] [[a#b c]] [[a|b|c#d#e]] [[a\rb]]")
@example('[[!x a="""b"""c]] [[!x a="b"c]] [[!x a= b]] [[!x a=]] [[!x """]] [[!x "]]"]]')
@example("[[!x d=<<EOF\n\nEOF]] [[!x d=<<EOF\nEOF]] [[!x d=<<EOF\na\nEOFX]] [[!x \'\'\'a\'\'\'b]]")
@example('\\[[!x]] \\\\[[a]] \\[[!x "]] [[!]] [[!-]] [[!x\n]]')
def test_the_linear_scan_means_what_the_reference_patterns_mean(text):
    assert _tokens(text) == _reference_scan(text)


@settings(max_examples=1500, deadline=None)
@given(_syntax, st.integers(min_value=1, max_value=3))
@example("[[!x d=<<EOF", 1)
@example("[[!x a=\"\"\"b", 2)
def test_line_breaks_at_the_end_change_no_token(text, breaks):
    """scan() gives a text the tokens of the text without its last line breaks
    (it scans the page as read and as Python-Markdown hands it over once)."""
    from xenhowto.ikiwiki.syntax import _scan

    assert list(_scan(text + "\n" * breaks)) == list(_scan(text.rstrip("\n")))
    assert list(scan(text + "\n" * breaks)) == list(_scan(text + "\n" * breaks))


def test_an_unclosed_directive_is_read_once_not_backtracked():
    # ikiwiki's pattern would try every way to split these lines (minutes for 25);
    # each parameter position is read at most once
    text = '[[!shell host=dom0 content="""\n' * 2000
    tokens = list(scan(text))
    assert [t.line for t in tokens] == list(range(1, 2001))
    assert all(isinstance(t, Unclosed) and t.name == "shell" for t in tokens)


# Text made of the characters that matter to the scanner, with real fragments mixed in.
_odd = st.lists(
    st.sampled_from(["[[", "]]", "[[!", "\\", "!", "|", "#", '"', '"""', "'''", "=", " ", "\n",
                     "    ", "<<EOF\n", "EOF", "toc", "meta", "table", "template", "page",
                     "title=", "data=", "levels=2", "id=man", "`", "x"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_odd, st.text(max_size=200)))
def test_odd_input_never_raises(text):
    for target in (SITE, WIKI):
        c = ctx(target)
        out = expand(text, c)
        assert isinstance(out, str)
        assert all(f.line >= 1 for f in c.findings)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_odd, st.text(max_size=200)))
def test_export_keeps_wiki_syntax_verbatim(text):
    # Every directive the wiki has, and every wikilink, must come out of the
    # export exactly as written: the export may only expand the project's own.
    assert expand(text, ctx(WIKI)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ019 ,.()/:+'-", max_size=30))
@example(" - ")
@example("--- ")
@example("    a")
@example(" 1. x")
def test_table_cells_skip_markdown_only_where_it_would_change_nothing(cell):
    import markdown

    from xenhowto.ikiwiki.directives.table import _PLAIN, _cell

    md = markdown.Markdown()
    slow = md.reset().convert(cell)
    if slow.startswith("<p>") and slow.endswith("</p>") and slow.count("<p>") == 1:
        slow = slow[3:-4]
    if _PLAIN.match(cell):
        assert _cell(md, cell) == slow
