"""Resolving [[page]] the way ikiwiki's bestlink does: relative to the linking
page, trying its subpages first, then each parent directory up to the root.
A link resolves to a page of the site, or to a page of the wider NetBSD wiki
listed as known in the configuration (rendered as a link to wiki.netbsd.org)."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

from xenhowto.findings import shorten
from xenhowto.ikiwiki.context import GUIDE, PageContext
from xenhowto.ikiwiki.syntax import WikiLink

_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://|^mailto:", re.I)
# What a wikilink may point to outside the wiki: a link is data, never code.
SCHEMES = ("http", "https", "ftp", "mailto")


def linkpage(link: str) -> str:
    """ikiwiki's linkpage(): spaces become _, other odd characters __NN__."""
    return re.sub(
        r"[^-A-Za-z0-9+/.:_]",
        lambda m: "_" if m.group(0) == " " else f"__{ord(m.group(0))}__",
        link,
    )


def pagetitle(name: str) -> str:
    """ikiwiki's pagetitle(): _ is a space, __NN__ a character."""
    return re.sub(r"__(\d+)__|_", lambda m: " " if m.group(0) == "_" else chr(int(m.group(1))), name)


def candidates(page: str, link: str) -> list[str]:
    """Page names bestlink() tries, in order."""
    cwd = page
    if link.startswith("/"):
        link = link.lstrip("/")
        cwd = ""
    link = link.rstrip("/")
    out = []
    while True:
        out.append(f"{cwd}/{link}" if cwd else link)
        if not cwd:
            return out
        cwd = cwd.rsplit("/", 1)[0] if "/" in cwd else ""


def bestlink(page: str, link: str, pages) -> str | None:
    lower = {p.lower(): p for p in pages}
    for c in candidates(page, link):
        if c in pages:
            return c
        if c.lower() in lower:
            return lower[c.lower()]
    return None


def resolve(link: WikiLink, ctx: PageContext) -> str | None:
    """The href for ``link`` on the site, or None when it resolves to nothing."""
    target = link.target.strip()
    anchor = f"#{link.anchor}" if link.anchor else ""
    if _URL_RE.match(target):
        return target + anchor
    name = linkpage(target)
    found = bestlink(ctx.page, name, ctx.site_pages)
    if found is not None:
        if found == ctx.page and anchor:
            return anchor
        return ctx.url_from_here(ctx.site_pages[found]) + anchor
    found = bestlink(ctx.page, name, ctx.known_wiki_pages)
    if found is not None:
        return wiki_page_url(ctx.wiki_url, found) + anchor
    return None


def wiki_page_url(wiki_url: str, page: str) -> str:
    """The address of a page on the wiki: https://wiki.netbsd.org/ports/xen/howto/"""
    return wiki_url.rstrip("/") + "/" + quote(page) + "/"


def absolute(href: str, link: WikiLink, ctx: PageContext) -> str:
    """For a guide read on its own: every page of the site is also a wiki page."""
    if _URL_RE.match(href):
        return href
    name = bestlink(ctx.page, linkpage(link.target.strip()), ctx.site_pages) or ctx.page
    anchor = f"#{link.anchor}" if link.anchor else ""
    return wiki_page_url(ctx.wiki_url, name) + anchor


def link_text(link: WikiLink) -> str:
    if link.text is not None:
        return pagetitle(link.text)
    return pagetitle(link.target.strip().rstrip("/").rsplit("/", 1)[-1])


def render(link: WikiLink, ctx: PageContext) -> str:
    if _URL_RE.match(link.target.strip()):
        scheme = link.target.strip().split(":", 1)[0].lower()
        if scheme not in SCHEMES:
            ctx.error(link.line, f"wikilink [[{shorten(link.raw[2:-2])}]] points to a {scheme}: URL; "
                                 f"a link may be to a wiki page or a URL starting {', '.join(s + ':' for s in SCHEMES)}")
            return html.escape(link_text(link))
    href = resolve(link, ctx)
    if href is None:
        shown = shorten(", ".join(candidates(ctx.page, linkpage(link.target.strip()))), 200)
        ctx.error(
            link.line,
            f"wikilink [[{shorten(link.target)}]] resolves to no page (tried {shown}); "
            "fix the name, or add the wiki page to known_wiki_pages in mkdocs.yml",
        )
        return html.escape(link_text(link))
    if ctx.target == GUIDE:
        return f"[{link_text(link)}]({absolute(href, link, ctx)})"
    return f'<a href="{html.escape(href)}">{html.escape(link_text(link), quote=False)}</a>'
