"""The whole check: data, every page (or the given .mdwn files), the named
guides, and stale "as of" claims."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from xenhowto.checking import examples as page_examples
from xenhowto.findings import Finding, HowtoError, capped
from xenhowto.ikiwiki.context import SITE, PageContext
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
    report.findings += stale_mentions(text, ctx.path, as_of, window_months)
    found = page_examples.collect(text, ctx)
    for line, body in page_examples.untyped_blocks(text):
        typed = page_examples.typed_from_block(line, body)
        if typed is None:
            report.findings.append(Finding(ctx.path, line, "untyped example whose kind is unclear: say what it is "
                                           "with [[!shell host=...]], [[!file path=...]] or [[!output]]", "warning"))
        else:
            found.append(typed)
    report.findings += page_examples.validate(found, ctx.path)
    report.snippets += len(found)
    report.checked.append(ctx.path)


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
    report.findings = capped(report.findings)
    return report
