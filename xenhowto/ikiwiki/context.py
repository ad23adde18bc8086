"""What a directive or wikilink needs to know about the page being rendered."""
from __future__ import annotations

import datetime as _dt
import posixpath
from dataclasses import dataclass, field, replace

from xenhowto.findings import MAX_PER_FILE as MAX_FINDINGS
from xenhowto.findings import Finding, shorten
# ikiwiki reports a "preprocessing loop" past this depth of directives
# expanding into directives (IkiWiki.pm, preprocess).
MAX_NESTING = 8


class DirectiveError(Exception):
    """Bad arguments to a directive: the message says what to write instead."""


SITE = "site"  # rendering for the MkDocs site: everything becomes HTML/markdown
WIKI = "wiki"  # exporting for the NetBSD wiki: wiki-native syntax is kept verbatim
GUIDE = "guide"  # a tailored guide: like the site, but links are absolute markdown links


@dataclass
class PageContext:
    path: str  # source file as shown in messages, e.g. docs/ports/xen/howto.mdwn
    page: str  # wiki page name, e.g. ports/xen/howto
    target: str = SITE
    # wiki page name -> URL of that page relative to the site root ("ports/xen/howto/")
    site_pages: dict[str, str] = field(default_factory=dict)
    # pages of the wider NetBSD wiki that links may point to (not held by the site)
    known_wiki_pages: frozenset[str] = frozenset()
    wiki_url: str = "https://wiki.netbsd.org/"
    templates_dir: str | None = None  # where templates/<id>.mdwn live
    as_of: _dt.date | None = None
    findings: list[Finding] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # per-page scratch space for directives that pair up ([[!when]]...[[!endwhen]])
    state: dict = field(default_factory=dict)
    nesting: int = 0  # how deep in directives' own output this text is
    # severities of findings past MAX_FINDINGS, summed up by summarize()
    dropped: list[str] = field(default_factory=list)
    # while the export renders a directive: the data entries and templates it read
    # (xenhowto.ikiwiki.sourcemap); None when nobody asks
    sources: list | None = None

    def record(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(replace(finding, message=shorten(finding.message, 1000)))
        else:
            self.dropped.append(finding.severity)

    def error(self, line: int, message: str) -> None:
        self.record(Finding(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.record(Finding(self.path, line, message, "warning"))

    def summarize(self) -> None:
        """One last finding for those past MAX_FINDINGS."""
        if self.dropped:
            errors = self.dropped.count("error")
            self.findings.append(Finding(
                self.path, max(f.line for f in self.findings),
                f"{len(self.dropped)} more problem(s) ({errors} error(s)) not listed: "
                f"fix the first {MAX_FINDINGS} and check again", "error" if errors else "warning"))
            self.dropped.clear()

    def note_source(self, *sources) -> None:
        """Say that the directive being rendered read these (sourcemap.Source)."""
        if self.sources is not None:
            self.sources.extend(sources)

    def url_from_here(self, site_url: str) -> str:
        """A site-root-relative URL made relative to this page's URL."""
        here = self.site_pages.get(self.page, self.page + "/")
        base = posixpath.dirname(here.rstrip("/") + "/x") if here.endswith("/") else posixpath.dirname(here)
        rel = posixpath.relpath(site_url or ".", base or ".")
        if site_url.endswith("/") and not rel.endswith("/"):
            rel += "/"
        return rel
