"""The site in a real browser (Debian's Chromium driven by Playwright), as a
reader on a desktop and on a 390 px phone sees it:

- the HOWTO shows the wiki's title, its [[!toc]] folded, its first section
  and the guides box within the first screen;
- every table fits or scrolls in its own box with a visible cue, and the
  version table fits a desktop;
- the date switcher: the page as of a day of its history and what changed
  since another, there and back, and a hostile address changes nothing;
- the site asks no other host for scripts, styles or fonts (the wiki's own
  image links are answered here, see browser_helpers);
- axe-core (from npm, tests/package-lock.json) finds no serious or critical
  accessibility violation, light and dark.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import axe_serious, stub_other_hosts

from xenhowto.guide.bench_builder import serve

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' installs playwright")

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
AS_OF = dt.date(2026, 12, 1)
HOWTO = "ports/xen/howto/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PAGES = {"landing": "", "howto": HOWTO, "guide": "guides/recommended/", "builder": "guide-builder/",
         "editors": "editors/", "api": "api/", "history": "history/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from xenhowto.site import build

    return Path(build(str(ROOT / "mkdocs.yml"), str(tmp_path_factory.mktemp("site-browser") / "site"),
                      AS_OF.isoformat(), quiet=True))


@pytest.fixture(scope="module")
def base(site):
    with serve(str(site)) as url:
        yield url


@pytest.fixture(scope="module")
def history(site):
    return json.loads((site / HOWTO / "history.json").read_text(encoding="utf-8"))


class Reader:
    """A browser tab whose console errors and dialogs are kept, every other
    host answered by the stub."""

    def __init__(self, browser, base: str, viewport: dict, color_scheme: str = "light"):
        self.base = base
        self.context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        self.hosts = stub_other_hosts(self.context, base)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def top(self, selector: str) -> float:
        return self.page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")


@pytest.fixture
def reader(browser, base):
    made: list[Reader] = []

    def make(viewport: dict = DESKTOP, color_scheme: str = "light") -> Reader:
        made.append(Reader(browser, base, viewport, color_scheme))
        return made[-1]

    yield make
    errors = [e for r in made for e in r.errors]
    for r in made:
        r.context.close()
    assert errors == [], f"the browser console shows errors: {errors}"


# --- the HOWTO as the wiki shows it -------------------------------------------------------

@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_title_folded_contents_and_first_section_within_a_screen(reader, viewport):
    r = reader(viewport)
    r.open(HOWTO)
    page = r.page
    assert page.inner_text("article h1.wiki-title") == "Xen HowTo"
    assert r.top("article h1.wiki-title") < 250
    assert page.eval_on_selector("details.toc", "e => e.open") is False
    assert r.top(".guide-links") < viewport["height"], "the guides box is below the first screen"
    assert r.top("article h1[id]") < 1.5 * viewport["height"]
    sections = page.eval_on_selector_all("article h1[id], article h2[id]", "es => es.length")
    page.click("details.toc > summary")
    assert page.eval_on_selector("details.toc", "e => e.open") is True
    assert page.eval_on_selector_all("details.toc li", "es => es.length") == sections


def _tables(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.md-typeset table:not([class])')).map(t => {
        const box = t.closest('.md-typeset__scrollwrap') || t;
        const r = box.getBoundingClientRect();
        return {scroll: box.scrollWidth, client: box.clientWidth, left: r.left, right: r.right,
                cue: box.getAttribute('data-scroll'), tabindex: box.getAttribute('tabindex'),
                shadow: getComputedStyle(box).boxShadow, label: box.getAttribute('aria-label')};
    })""")


@pytest.mark.parametrize("name", ["howto", "editors", "api"])
def test_every_table_is_readable_on_a_phone(reader, name):
    r = reader(PHONE)
    r.open(PAGES[name])
    page = r.page
    page.wait_for_timeout(100)  # the scroll cue is set on the next animation frame
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    tables = _tables(page)
    assert tables, f"{name} has no table; the test shows nothing"
    for t in tables:
        assert t["left"] >= -1 and t["right"] <= PHONE["width"] + 1, t
        if t["scroll"] > t["client"] + 1:  # wider than the screen: it scrolls in its box, and says so
            assert t["cue"] == "right" and t["shadow"] != "none", t
            assert t["tabindex"] == "0" and t["label"], t
        else:
            assert t["cue"] is None, t


def test_a_wide_table_shows_which_side_has_more(reader):
    r = reader(PHONE)
    r.open(HOWTO)
    page = r.page
    page.wait_for_timeout(100)
    box = ".md-typeset__scrollwrap[data-scroll]"
    assert page.get_attribute(box, "data-scroll") == "right"
    page.focus(box)
    page.keyboard.press("End")  # a keyboard scrolls it: it is focusable
    page.eval_on_selector(box, "e => e.scrollLeft = e.scrollWidth")
    page.wait_for_function(f"document.querySelector('{box}').getAttribute('data-scroll') === 'left'")
    page.eval_on_selector(box, "e => e.scrollLeft = 40")
    page.wait_for_function(f"document.querySelector('{box}').getAttribute('data-scroll') === 'both'")


def test_the_version_table_fits_a_desktop(reader):
    r = reader(DESKTOP)
    r.open(HOWTO)
    first = _tables(r.page)[0]
    assert first["scroll"] <= first["client"] + 1 and first["cue"] is None, first


# --- the date switcher ----------------------------------------------------------------------------

def _day_text(page, history: dict, day: str) -> str:
    """The text of the page of ``day`` as its fragments make it."""
    return page.evaluate("""([data, day]) => {
        const d = data.days.find(x => x.day === day);
        const ids = []; d.runs.forEach(([first, count]) => { for (let k = 0; k < count; k++) ids.push(first + k); });
        const t = document.createElement('template');
        t.innerHTML = ids.map(i => data.fragments[i]).join('');
        return t.content.textContent.replace(/\\s+/g, ' ').trim();
    }""", [history, day])


def _body_text(page) -> str:
    return page.evaluate("""() => {
        const body = document.querySelector('.howto-history__page').cloneNode(true);
        body.querySelectorAll('.howto-history__diff').forEach(e => e.remove());
        return body.textContent.replace(/\\s+/g, ' ').trim();
    }""")


def test_date_switcher_round_trip(reader, history):
    days = [d["day"] for d in history["days"]]
    older, newer = "2015-01-04", "2016-12-20"  # the seed revisions' days
    assert older in days and newer in days
    r = reader(DESKTOP)
    r.open(HOWTO)
    page = r.page
    today = _body_text(page)
    page.select_option(".howto-history select[name=as_of]", newer)
    page.select_option(".howto-history select[name=compare]", older)
    page.click(".howto-history button[type=submit]")
    page.wait_for_url(re.compile(rf"\?as_of={newer}&compare={older}$"))
    page.wait_for_selector(".howto-history[data-shown]")
    assert _body_text(page) == _day_text(page, history, newer)
    assert page.is_visible(".howto-history__diff")
    status = page.inner_text(".howto-history__status")
    assert newer in status and "Read today's page" in status
    # what changed: every fact of the days in between, and the blocks that went and came
    listed = page.eval_on_selector_all(".howto-history__diff > ul:first-of-type li", "es => es.map(e => e.textContent)")
    between = [f"{d['day']}: {e['text']} ({e['date']})" for d in history["days"] if older < d["day"] <= newer
               for e in d["events"]]
    assert listed == between
    assert page.eval_on_selector_all(".howto-history__hunk", "es => es.length") > 0
    came = page.eval_on_selector(".howto-history__came", "e => e.textContent")
    shown = re.sub(r"\s+", "", came.split(":", 1)[1])  # less its label, "After, as of DAY:"
    assert shown and shown[:200] in re.sub(r"\s+", "", _day_text(page, history, newer))
    # and back to today's page, and forth again with the history
    page.click(".howto-history__status a")
    page.wait_for_url(re.compile(r"/ports/xen/howto/$"))
    page.wait_for_selector(".guide-links")
    assert _body_text(page) == today and not page.is_visible(".howto-history__diff")
    page.go_back()
    page.wait_for_url(re.compile(rf"as_of={newer}"))
    page.wait_for_selector(".howto-history[data-shown]")
    assert _body_text(page) == _day_text(page, history, newer)


def test_a_day_between_two_changes_shows_the_earlier(reader, history):
    first, second = history["days"][10]["day"], history["days"][11]["day"]
    between = (dt.date.fromisoformat(second) - dt.timedelta(days=1)).isoformat()
    assert first < between < second
    r = reader(DESKTOP)
    r.open(f"{HOWTO}?as_of={between}")
    r.page.wait_for_selector(".howto-history[data-shown]")
    assert _body_text(r.page) == _day_text(r.page, history, first)
    assert r.page.eval_on_selector(".howto-history select[name=as_of]", "e => e.value") == first


@pytest.mark.parametrize("query", ["?as_of=__proto__&compare=constructor", "?as_of=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
                                   "?compare=toString", "?as_of=9999-12-31"])
def test_a_hostile_address_changes_nothing(reader, query):
    r = reader(DESKTOP)
    r.open(HOWTO)
    today = _body_text(r.page)
    r.open(HOWTO + query)
    r.page.wait_for_timeout(200)
    assert _body_text(r.page) == today
    assert r.page.evaluate("document.querySelectorAll('.howto-history__page img[src=x]').length") == 0
    assert not r.page.is_visible(".howto-history__diff")


def test_a_day_before_the_history_says_so(reader, history):
    r = reader(DESKTOP)
    r.open(f"{HOWTO}?as_of=1990-01-01")
    r.page.wait_for_selector(".howto-history[data-shown]")
    assert f"starts on {history['days'][0]['day']}" in r.page.inner_text(".howto-history__status")


# --- no other host ----------------------------------------------------------------------------------

class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and not {"canonical", "alternate", "prev", "next"} & set(rel):
            self.urls.append(a["href"])  # stylesheets, icons, preloads, fonts


def test_the_pages_ask_no_other_host_for_scripts_styles_or_fonts(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 8
    for html in pages:
        p = _Resources()
        p.feed(html.read_text(encoding="utf-8"))
        for url in p.urls:
            assert not urlsplit(url).netloc and not url.startswith("//"), f"{html.relative_to(site)} loads {url}"
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"""(url\(\s*['"]?(https?:)?//|@import\s+(url\()?['"]?(https?:)?//)""", text), css


def test_in_the_browser_only_the_wikis_own_images_come_from_elsewhere(reader):
    r = reader(DESKTOP)
    for path in PAGES.values():
        r.open(path)
    assert all(kind == "image" for _, kind in r.hosts.asked), r.hosts.asked
    assert any("netbsd.org" in url for url, _ in r.hosts.asked), "the HOWTO's screenshot was not asked for?"


# --- accessibility -----------------------------------------------------------------------------------

AXE_PAGES = {"landing": "", "howto": HOWTO, "guide": "guides/recommended/", "builder": "guide-builder/",
             "howto-as-of": f"{HOWTO}?as_of=2016-12-20&compare=2015-01-04"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_violation(reader, name, scheme):
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run scripts/setup (npm ci --prefix tests)")
    r = reader(DESKTOP, color_scheme=scheme)
    r.open(AXE_PAGES[name])
    page = r.page
    if name == "builder":
        page.wait_for_selector(".gb-guide h1")
    if "as_of" in AXE_PAGES[name]:
        page.wait_for_selector(".howto-history[data-shown]")
    want = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == want
    serious = axe_serious(page)
    assert serious == [], json.dumps(serious, indent=2)
