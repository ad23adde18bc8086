"""Shared by the browser tests: the site on 127.0.0.1 with every request to
another host answered here, so that no test depends on the network.  The
HOWTO's markup (as on the wiki) shows a screenshot from www.netbsd.org: an
image request elsewhere gets a 1x1 PNG, any other request elsewhere fails
at once; each is recorded for the tests that say the site asks no other host.
Also axe-core's verdict on a page, and the contrast of two colours."""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

# a valid 1x1 transparent PNG
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@dataclass
class OtherHosts:
    asked: list[tuple[str, str]] = field(default_factory=list)  # (url, resource type)

    def handle(self, route) -> None:
        request = route.request
        self.asked.append((request.url, request.resource_type))
        if request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            route.abort()


def stub_other_hosts(context, *local: str) -> OtherHosts:
    """Route every request of the context whose URL does not start with one
    of ``local`` to the stub; returns the record of what was asked."""
    hosts = OtherHosts()
    context.route(lambda url: not url.startswith(local), hosts.handle)
    return hosts


# --- accessibility ---------------------------------------------------------------------

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_serious(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now
    (axe from npm, tests/package-lock.json, injected into the page)."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run scripts/setup (npm ci --prefix tests)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(0, 3).join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def rgb(css: str) -> tuple[float, float, float, float]:
    """A computed CSS colour ("rgb(r, g, b)" or "rgba(r, g, b, a)") as (r, g, b, a)."""
    m = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css.strip())
    if not m:
        raise ValueError(f"not a computed colour: {css!r}")
    return float(m[1]), float(m[2]), float(m[3]), float(m[4]) if m[4] is not None else 1.0


def _luminance(c: tuple) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two opaque computed colours."""
    la, lb = sorted((_luminance(rgb(a)), _luminance(rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)
