"""Page text never becomes active markup on the site (issue 11): a real
MkDocs + Material build of hostile pages, read back whole: the title in
<title>, the header and the nav; the content; every page's scripts."""
from __future__ import annotations

import re

import inert

ATTACK = '''[[!meta title="<img src=x onerror=alert(1)>"]]

# Heading &lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;

<script>alert(3)</script>

<iframe src=javascript:alert(4)></iframe>

<b onclick="alert(5)">bold</b> <img src=x onerror=alert(6)> <a href="JaVaScRiPt:alert(7)">a</a>

[link](javascript:alert(8)) ![img](javascript:alert(9)) <a href="data:text/html,<script>alert(10)</script>">d</a>

[[!table data="""
a|b
<script>alert(11)</script>|<img src=x onerror=alert(12)>
"""]]

<svg><script>alert(13)</script></svg>
'''


def test_hostile_page_text_reaches_no_page_as_markup(project):
    project.write("ports/xen/attack.mdwn", ATTACK)
    project.write("ports/xen/plain.mdwn", "# <b>Bold</b> heading, no meta title\n\ntext\n")
    site = project.build()  # raw HTML is stripped as on the wiki: no error, the build passes
    pages = {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    attack = pages["ports/xen/attack/index.html"]

    # the meta title is text wherever the theme prints it
    assert "<title>&lt;img src=x onerror=alert(1)&gt; - " in attack
    for path, html in pages.items():
        for tag, attrs in inert.tags(html):
            assert not [a for a, _ in attrs if a.startswith("on")], f"{path}: <{tag} {attrs}>"
            assert tag not in ("iframe", "object", "embed", "frame"), f"{path}: <{tag}>"  # (the theme's icons are <svg>)
        assert inert.theme_scripts(html) == inert.theme_scripts(pages["index.html"]), path
    assert not re.search(r"alert\(\d+\)</script>|javascript:", attack, re.I)
    content = inert.page_content(attack)
    assert inert.problems(content) == []
    # kept as the wiki keeps them: the text, the bold, the table
    assert "<b>bold</b>" in content and "<td>" in content and "Heading &lt;/title&gt;" in content
    # a wiki page without [[!meta title]] is titled by its name, as on ikiwiki
    assert "<title>plain - " in pages["ports/xen/plain/index.html"]
