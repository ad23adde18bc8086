"""The whole check: data, every page (or the given .mdwn files), the named
guides and every distinct guide at the date, stale claims, and names the
facts of the date contradict (``claims``)."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from xenhowto.checking import examples as page_examples
from dataclasses import replace

from xenhowto.findings import Finding, HowtoError, capped
from xenhowto.ikiwiki.context import SITE, DirectiveError, PageContext
from xenhowto.ikiwiki.expand import code_warnings
from xenhowto.pages import page_name, read_page, site_url, wiki_sources
from xenhowto.project import Project


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was checked (files, guides)
    snippets: int = 0

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)


def _context(project: Project, path: str, as_of: dt.date) -> PageContext:
    sources = wiki_sources(project.docs_dir)
    docs = os.path.abspath(project.docs_dir)
    absolute = os.path.abspath(path)
    src = os.path.relpath(absolute, docs) if absolute.startswith(docs + os.sep) else os.path.basename(path)
    return PageContext(
        path=os.path.relpath(path), page=page_name(src.replace(os.sep, "/")), target=SITE,
        site_pages={page_name(s): site_url(s) for s in sources},
        known_wiki_pages=project.known_wiki_pages, wiki_url=project.wiki_url,
        templates_dir=project.templates_dir, as_of=as_of,
    )


def render(text: str, ctx: PageContext) -> str:
    """The page through the same markdown pass as the site's build (the ikiwiki
    extension and its limits), so that what fails the build fails the check;
    its findings go to ``ctx``.  Returns the page's HTML."""
    import markdown

    from xenhowto.ikiwiki.extension import IkiwikiExtension

    return markdown.Markdown(extensions=[IkiwikiExtension(context=ctx)]).convert(text)


def check_page(project: Project, path: str, as_of: dt.date, window_months: int, report: Report,
               outside_project: bool = False) -> None:
    from xenhowto.facts.staleness import stale_mentions

    text, problems = read_page(path)
    report.findings += problems
    if problems and not text:
        return
    ctx = _context(project, path, as_of)
    if outside_project:
        # a page from a wikisrc checkout: its links point into the whole wiki
        ctx.known_wiki_pages = frozenset()
    render(text, ctx)
    if outside_project:
        ctx.findings = [f for f in ctx.findings if "resolves to no page" not in f.message]
    code_warnings(text, ctx)
    report.findings += ctx.findings
    report.findings += page_claims(text, ctx, as_of, window_months)
    found = page_examples.collect(text, ctx)
    for line, body in page_examples.untyped_blocks(text):
        typed = page_examples.typed_from_block(line, body)
        if typed is None:
            report.findings.append(Finding(ctx.path, line, "untyped example whose kind is unclear: say what it is "
                                           "with [[!shell host=...]], [[!file path=...]] or [[!output]]", "warning"))
        else:
            found.append(typed)
    report.findings += page_examples.validate(found, ctx.path)
    report.findings += example_files(found, ctx.path, as_of)
    report.snippets += len(found)
    report.checked.append(ctx.path)


def hand_text(text: str) -> str:
    """The page's own prose: directives blanked (their output is generated or
    is an example or table), except a [[!dated]] claim's words; indented code
    blocks blanked; every line where it was."""
    from xenhowto.ikiwiki.syntax import Directive, code_block_lines, scan

    out, pos = [], 0
    for token in scan(text):
        if not isinstance(token, Directive):
            continue
        out.append(text[pos:token.start])
        raw = token.raw
        kept = token.get("text") if token.name == "dated" else None
        if kept is not None:
            out.append(kept.replace("\n", " ") + "\n" * raw.count("\n"))
        else:
            out.append("\n" * raw.count("\n"))
        pos = token.end
    out.append(text[pos:])
    lines = "".join(out).split("\n")
    for n in code_block_lines("".join(out)):
        if 0 < n <= len(lines):
            lines[n - 1] = ""
    return "\n".join(lines)


def page_claims(text: str, ctx: PageContext, as_of: dt.date, window_months: int) -> list[Finding]:
    """Stale claims and contradicted names of the page as built at ``as_of``."""
    from xenhowto.checking import claims
    from xenhowto.facts.staleness import stale_mentions
    from xenhowto.ikiwiki import regions
    from xenhowto.ikiwiki.directives import _facts

    reduced, lines = regions.reduce(text, ctx)

    def at(line: int) -> int:
        return lines[min(max(line, 1), len(lines)) - 1]

    out = [replace(f, line=at(f.line)) for f in stale_mentions(reduced, ctx.path, as_of, window_months)]
    try:
        view = _facts.view(ctx)
    except DirectiveError:
        return out  # the data's own findings say why
    problems = claims.judge_page(claims.mentions(hand_text(reduced)), view)
    return out + [Finding(ctx.path, at(line), message) for line, message in problems]


def example_files(found, path: str, as_of: dt.date) -> list[Finding]:
    """boot.cfg examples load kernels NetBSD has and Xen files packages install."""
    from xenhowto.checking import claims
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View

    view = View(load_facts(), as_of)
    out = []
    for f in found:
        ex = f.example
        if ex.kind == "file" and ex.path == "/boot.cfg":
            out += [Finding(path, f.line + n - 1, message) for n, message in claims.bootcfg_files(ex.content, view)]
    return out


def guide_claims(guide, where: str) -> list[Finding]:
    """Names a composed guide gets wrong for its setup, and its stale claims;
    the line is the line of the guide's markdown."""
    from xenhowto.checking import claims
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View
    from xenhowto.guide import compose

    text = compose.to_markdown(guide)
    view = View(load_facts(), guide.setup.as_of)
    package = view.package(guide.setup.package)
    problems = claims.judge_guide(claims.mentions(text), view, guide.setup.values, package, guide.setup.tools)
    # stale claims are the page's, reported there once, not in each guide
    return [Finding(where, line, message) for line, message in problems]


def check_every_guide(project: Project, as_of: dt.date, report: Report) -> None:
    """The text of every distinct guide of the setups valid at the date."""
    from xenhowto.facts import load_facts
    from xenhowto.guide import compose
    from xenhowto.guide.build import page_context, steps
    from xenhowto.guide.every import valid_setups
    from xenhowto.guide.setup import SetupError, resolve

    facts = load_facts()
    # each step made once per the values it reads (the same guides as compose.compose)
    composer = compose.Composer(steps(project, as_of), page_context(project, as_of))
    seen: set[str] = set()
    for given in valid_setups(project, as_of):
        try:
            guide = composer.compose(resolve(given, as_of, facts))
        except SetupError:
            continue
        key = "\n".join(s.text for s in guide.steps)
        if key in seen:
            continue
        seen.add(key)
        flags = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in sorted(given.items()) if v not in (None, "", False))
        report.findings += guide_claims(guide, f"guide:{flags or 'default'}")
    report.checked.append(f"{len(seen)} distinct guides as of {as_of.isoformat()}")


def check_guides(project: Project, as_of: dt.date, report: Report) -> None:
    """Every snippet of every named guide, judged for that guide's setup."""
    from xenhowto.guide import model
    from xenhowto.guide.build import guide_for
    from xenhowto.guide.setup import SetupError
    from xenhowto.validators import bootcfg, rcconf, shell, xl_domu, xm_domu

    try:
        named_setups = model.load().named
    except HowtoError:
        return  # data/setup.yaml's own problems are reported with the data
    for named in named_setups:
        day = dt.date.fromisoformat(named.as_of) if named.as_of else as_of
        where = f"guide:{named.id}"
        try:
            guide = guide_for(project, dict(named.setup), day)
        except SetupError as e:
            report.findings.append(Finding(where, 1, f"named setup {named.id!r} is impossible: {e}"))
            continue
        except HowtoError as e:
            report.findings.append(Finding(where, 1, f"named setup {named.id!r} cannot be composed: {e}"))
            continue
        report.findings += guide_claims(guide, where)
        v = guide.setup.values
        arch = v["dom0_arch"]
        batch = []
        for n, step in enumerate(guide.steps, 1):
            label = f"{where} step {n} ({step.title})"
            for s in step.snippets:
                text = s["content"]
                if s["kind"] == "shell":
                    batch.append(shell.Snippet(text, label, 1))
                elif s.get("path") == "/boot.cfg":
                    report.findings += bootcfg.validate_bootcfg(text, label, 1, arch=arch, xen=v["xen"])
                elif s.get("path") == "/etc/rc.conf" and s.get("host") != "domU":
                    report.findings += rcconf.validate_rcconf(text, label, 1, xen=v["xen"], toolstack=v["toolstack"])
                elif str(s.get("path", "")).startswith("/usr/pkg/etc/xen/"):
                    fn = xm_domu.validate_xm_domu if v["toolstack"] == "xm" else xl_domu.validate_xl_domu
                    report.findings += fn(text, label, 1, xen=v["xen"])
                report.snippets += 1
        if batch:
            report.findings += shell.validate_shell_batch(batch)
        report.checked.append(where)


def run(project: Project, paths: list[str] | None, as_of: dt.date, window_months: int = 12,
        guides: bool = True) -> Report:
    from xenhowto.facts import check_data

    from xenhowto.guide import model

    report = Report()
    report.findings += check_data() + model.problems()
    report.checked.append("data/")
    if paths:
        for p in paths:
            if os.path.isdir(p):
                for root, dirs, files in os.walk(p):
                    dirs.sort()
                    for name in sorted(files):
                        if name.endswith(".mdwn"):
                            check_page(project, os.path.join(root, name), as_of, window_months, report, True)
            else:
                inside = os.path.abspath(p).startswith(os.path.abspath(project.docs_dir) + os.sep)
                check_page(project, p, as_of, window_months, report, not inside)
    else:
        for src in wiki_sources(project.docs_dir):
            check_page(project, os.path.join(project.docs_dir, src), as_of, window_months, report)
        if guides:
            check_guides(project, as_of, report)
            check_every_guide(project, as_of, report)
    report.findings = capped(report.findings)
    return report
