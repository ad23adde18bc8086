"""The site's guide pages: one page per named setup of data/setup.yaml, an
index of them, and the site-only box on the HOWTO that points to them and to
the guide builder."""
from __future__ import annotations

import datetime as dt
import html

from xenhowto.guide import compose, model
from xenhowto.guide.build import guide_for
from xenhowto.project import Project

INDEX = "guides/index.md"


def src_uri(named: model.Named) -> str:
    return f"guides/{named.id}.md"


def named_guides() -> tuple[model.Named, ...]:
    return model.load().named


def page_markdown(project: Project, named: model.Named, as_of: dt.date) -> str:
    day = dt.date.fromisoformat(named.as_of) if named.as_of else as_of
    guide = guide_for(project, dict(named.setup), day)
    text = compose.to_markdown(guide)
    title, _, rest = text.partition("\n")
    cli = " ".join(f"--{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in sorted(named.setup.items())
                   if v is not False)
    again = f"howto guide {cli} --as-of {day.isoformat()}".replace("  ", " ")
    return (f"# {named.title}\n{rest}\n\n---\n\nThe same guide from the command line: `{again}`; "
            "every step of it is executed in a sandboxed stand-in dom0 by the project's tests.\n")


def index_markdown(has_howto: bool = True, has_builder: bool = True) -> str:
    howto = "[Xen HOWTO](../ports/xen/howto.mdwn)" if has_howto else "Xen HOWTO"
    builder = "[build your guide](../guide-builder.md)" if has_builder else "build your guide"
    lines = ["# Tailored guides", "",
             f"Each guide holds only the steps of the {howto} that apply to one setup, with every file name, "
             f"kernel, boot line and config filled in.  For any other setup, {builder} or run "
             "`howto guide --help`.", ""]
    for named in named_guides():
        lines.append(f"- [{named.title}]({named.id}.md)")
    return "\n".join(lines) + "\n"


def howto_box(links: list[tuple[str, str]], builder_url: str | None) -> str:
    """HTML of the box on the site's HOWTO page (not part of the wiki page)."""
    items = "".join(f'<li><a href="{html.escape(url)}">{html.escape(title)}</a></li>' for title, url in links)
    builder = (f' <a href="{html.escape(builder_url)}">Build your guide</a> for your own setup, or read one of'
               if builder_url else " Read one of")
    return ('<div class="admonition tip site-only guide-links"><p class="admonition-title">'
            "Only the steps for your setup</p>"
            f"<p>This HOWTO covers every setup.{builder} these tailored guides:</p><ul>{items}</ul></div>")
