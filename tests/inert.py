"""Is some HTML inert?  What a page may not hold once built: script-capable
elements, event handler attributes, URLs outside htmlscrubber's safe schemes."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

from xenhowto.ikiwiki.htmlscrubber import SAFE_URL, URL_ATTRIBUTES

ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "link",
               "meta", "svg", "math", "template", "noscript"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    p = _Tags()
    p.feed(html)
    p.close()
    return p.found


def problems(html: str) -> list[str]:
    """Why the HTML of a page's content is not inert (empty: it is)."""
    out = []
    for tag, attrs in tags(html):
        if tag in ACTIVE_TAGS:
            out.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                out.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None and not SAFE_URL.match(value.strip()):
                out.append(f"<{tag} {name}={value!r}>")
    return out


def _site_root() -> str:
    from conftest import ROOT
    from xenhowto.project import read_config

    return urlparse(read_config(str(ROOT / "mkdocs.yml"))["site_url"]).path


def theme_scripts(html: str) -> list[str]:
    """The <script> elements of a built page, with the page's depth taken out
    of relative paths (and the site's root out of 404.html's absolute ones):
    the same list on every page of the site."""
    root = _site_root()
    html = html.replace(f'"{root}"', '"."').replace(f'"{root}', '"')
    found = re.findall(r"<script\b[^>]*>.*?</script>", html, re.S)
    return [re.sub(r'(?<=")(?:\.\.(?:/\.\.)*|\.)(?=")|(?:\.\./)+', "", s) for s in found]


def page_content(html: str) -> str:
    """The part of a built page made from its source: the article, without
    what the theme adds there with its icons (buttons to the wiki and to the
    source, the "last update" line)."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    article = re.sub(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', "", article, flags=re.S)
    return re.sub(r'<aside class="md-source-file">.*?</aside>', "", article, flags=re.S)
