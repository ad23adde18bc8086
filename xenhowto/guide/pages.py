"""The site's guide pages: one page per named setup of data/setup.yaml, an
index of them, and the site-only box on the HOWTO that points to them and to
the guide builder.

A named setup may carry its own as-of date; its guide is the HOWTO of that
date, and the site says so.  A guide whose Xen package or NetBSD branch is no
longer offered at the build's date is historical: its page says what ended
when, and the index lists it apart from the current ones."""
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


def guide_date(named: model.Named, as_of: dt.date) -> dt.date:
    """The as-of date of a named guide: its own, or the build's."""
    return dt.date.fromisoformat(named.as_of) if named.as_of else as_of


def ended(project: Project, named: model.Named, as_of: dt.date) -> list[str]:
    """Why the guide's Xen package or NetBSD branch is not offered at
    ``as_of`` (the build's date); empty for a current guide."""
    from xenhowto.facts import load_facts
    from xenhowto.facts.view import View
    from xenhowto.guide import availability
    from xenhowto.guide.setup import resolve

    setup = resolve(dict(named.setup), guide_date(named, as_of))
    view = View(load_facts(), as_of)
    out = []
    problem = availability.package_problem(view, view.package(setup.package))
    if problem:
        out.append(problem)
    br = view.branch(str(setup.values["netbsd"]))
    if br is not None:
        problem = availability.branch_problem(view, br)
        if problem:
            out.append(problem)
    return out


def page_markdown(project: Project, named: model.Named, as_of: dt.date) -> str:
    day = guide_date(named, as_of)
    guide = guide_for(project, dict(named.setup), day)
    text = compose.to_markdown(guide)
    title, _, rest = text.partition("\n")
    why = ended(project, named, as_of)
    if why:
        items = "\n".join(f"    - {w}" for w in why)
        rest = (f"\n\n!!! warning \"Historical guide: the HOWTO as of {day.isoformat()}\"\n\n"
                f"    As of {as_of.isoformat()} this setup is no longer offered:\n\n{items}\n" + rest)
    elif named.as_of:
        rest = f"\n\n*The HOWTO as of {day.isoformat()}.*\n" + rest
    cli = " ".join(f"--{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in sorted(named.setup.items())
                   if v is not False)
    again = f"howto guide {cli} --as-of {day.isoformat()}".replace("  ", " ")
    return (f"# {named.title}\n{rest}\n\n---\n\nThe same guide from the command line: `{again}`; "
            "every step of it is executed in a sandboxed stand-in dom0 by the project's tests.\n")


def index_markdown(has_howto: bool = True, has_builder: bool = True, project: Project | None = None,
                   as_of: dt.date | None = None) -> str:
    howto = "[Xen HOWTO](../ports/xen/howto.mdwn)" if has_howto else "Xen HOWTO"
    builder = "[build your guide](../guide-builder.md)" if has_builder else "build your guide"
    lines = ["# Tailored guides", "",
             f"Each guide holds only the steps of the {howto} that apply to one setup, with every file name, "
             f"kernel, boot line and config filled in.  For any other setup, {builder} or run "
             "`howto guide --help`.", ""]
    current, historical = [], []
    for named in named_guides():
        old = project is not None and as_of is not None and ended(project, named, as_of)
        day = f" (as of {named.as_of})" if named.as_of else ""
        (historical if old else current).append(f"- [{named.title}]({named.id}.md){day}")
    lines += current
    if historical:
        lines += ["", "## Historical guides", "",
                  "The HOWTO as of an earlier date, for setups no longer offered today (each page says what "
                  "ended when):", ""] + historical
    return "\n".join(lines) + "\n"


def howto_box(links: list[tuple[str, str]], builder_url: str | None) -> str:
    """HTML of the box on the site's HOWTO page (not part of the wiki page)."""
    items = "".join(f'<li><a href="{html.escape(url)}">{html.escape(title)}</a></li>' for title, url in links)
    builder = (f' <a href="{html.escape(builder_url)}">Build your guide</a> for your own setup, or read one of'
               if builder_url else " Read one of")
    return ('<div class="admonition tip site-only guide-links"><p class="admonition-title">'
            "Only the steps for your setup</p>"
            f"<p>This HOWTO covers every setup.{builder} these tailored guides:</p><ul>{items}</ul></div>")
