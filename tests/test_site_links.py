"""On the site, each wiki page links to its page on the NetBSD wiki and to its
source in the project (Material's repo_url/edit_uri buttons)."""
from __future__ import annotations

import re

from sync_helpers import PAGE, SOURCE


def links(html: str) -> dict[str, str]:
    """title -> href of the page's buttons."""
    return {m.group(2): m.group(1) for m in re.finditer(r'<a href="([^"]+)" title="([^"]+)"', html)}


def test_a_wiki_page_links_to_the_wiki_and_to_its_source(project, monkeypatch):
    monkeypatch.setenv("HOWTO_REPO_URL", "https://forge.example.org/netbsd/xen-howto")
    project.write(PAGE, SOURCE)
    site = project.build()
    page = links((site / "ports/xen/howto/index.html").read_text(encoding="utf-8"))
    assert page["This page on the NetBSD wiki"] == "https://wiki.netbsd.org/ports/xen/howto/"
    assert page["Edit this page"] == "https://forge.example.org/netbsd/xen-howto/blob/main/docs/ports/xen/howto.mdwn"
    assert page["View source of this page"] == \
        "https://forge.example.org/netbsd/xen-howto/raw/main/docs/ports/xen/howto.mdwn"
    home = links((site / "index.html").read_text(encoding="utf-8"))
    assert "This page on the NetBSD wiki" not in home  # index.md is the site's own page, not a wiki page
    assert home["Edit this page"] == "https://forge.example.org/netbsd/xen-howto/blob/main/docs/index.md"
