"""The "Build your guide" page in a real browser (issue 6): Debian's Chromium
driven by Playwright, against the site built once for the session and served
on 127.0.0.1.

- every named setup and a sample of others show the CLI's guide: the page's
  markdown is `howto guide`'s, and its text is that markdown rendered by
  Python-Markdown;
- forbidden choices are disabled, with their constraint's reason;
- the selection lives in the address: a round trip restores it and Back
  steps through selections; keyboard alone changes it;
- a hostile address changes nothing, runs nothing and says what it ignored;
- Material's instant navigation, copy buttons, dark scheme and printing;
- on a 390 px phone the guide starts within a screen of the controls, a
  button reaches it from anywhere in them, and every table and code block
  fits or scrolls in its own box with a visible cue;
- a value that is not accepted is marked (at least 3:1 against the page,
  light and dark) and the guide says that it is not up to date;
- the named setup shown is marked; "Copy all dom0 commands" copies the
  CLI's commands; the guide downloads as `howto guide` prints it, as
  Markdown and as the shell script (which passes shellcheck);
- each step has a link to itself; the builder can be read as of every day
  of the HOWTO's history, there and back;
- axe-core finds no serious violation in the builder's states;
- no page shows a console error; a screenshot goes to test-artifacts/.

Speed is measured by scripts/bench (benchmarks/), not here.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import markdown
import pytest

from browser_helpers import axe_serious, contrast, stub_other_hosts

from conftest import howto_bin
from xenhowto.guide import compose
from xenhowto.guide.bench_builder import serve, sizes, time_updates
from xenhowto.guide.build import guide_for
from xenhowto.guide.editions import unpack
from xenhowto.guide.matrix import GivenError, forbidden, resolve_given
from xenhowto.project import load

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' installs playwright")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AS_OF = dt.date(2025, 6, 1)
PAGE = "guide-builder/"
SAMPLES = 8  # per edition sampled, besides the named setups
SAMPLED_DAYS = (AS_OF.isoformat(), "2016-12-20", "2012-09-17")
PHONE = {"width": 390, "height": 844}


# --- fixtures ------------------------------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory):
    from xenhowto.site import build

    return Path(build(str(ROOT / "mkdocs.yml"), str(tmp_path_factory.mktemp("builder") / "site"),
                      AS_OF.isoformat(), quiet=True))


@pytest.fixture(scope="session")
def data(site):
    return json.loads((site / PAGE / "guide-builder.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def base(site):
    with serve(str(site)) as url:
        yield url


class Watched:
    """A page whose console errors, uncaught exceptions and dialogs are kept."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and not self.blocked(m) and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    @staticmethod
    def blocked(message) -> bool:
        """A load of another host's resource (the HOWTO's screenshot on
        www.netbsd.org) that the test itself aborts: not an error of the site."""
        url = (message.location or {}).get("url", "")
        return message.text.startswith("Failed to load resource") and not re.match(
            r"^https?://(127\.0\.0\.1|localhost|example\.invalid)[:/]", url)

    def open(self, base: str, query: str = "") -> None:
        self.page.goto(base + PAGE + query)
        self.page.wait_for_selector(".gb-guide h1")

    @property
    def markdown(self) -> str:
        return self.page.evaluate("window.guideBuilder.markdown")

    def value(self, name: str):
        return self.page.eval_on_selector(f"#gb-{name}", "e => e.type === 'checkbox' ? e.checked : e.value")


@pytest.fixture
def watched(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    w = Watched(context)
    yield w
    errors, dialogs = list(w.errors), list(w.dialogs)
    context.close()
    assert errors == [], f"the browser console shows errors: {errors}"
    assert dialogs == [], f"a dialog opened (script ran?): {dialogs}"


# --- what the CLI says -----------------------------------------------------------

def _cli(given: dict, as_of: str) -> str:
    return compose.to_markdown(guide_for(load(str(ROOT / "mkdocs.yml")), given, dt.date.fromisoformat(as_of)))


def _query(given: dict, as_of: str | None = None) -> str:
    pairs = [("as_of", as_of)] if as_of and as_of != AS_OF.isoformat() else []
    pairs += [(k, "yes" if v is True else "no" if v is False else str(v)) for k, v in given.items()]
    return "?" + urlencode(pairs) if pairs else ""


class _Blocks(HTMLParser):
    """(tag, text) of each block of a guide: text normalized, code kept as is;
    the copy button's <nav> and a heading's link to itself are not text."""

    BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "pre", "th", "td")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[list] = []
        self.open: list[list] = []
        self.skip = 0
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav" or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "")):
            self.skip += 1
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            entry = [tag, ""]
            self.out.append(entry)
            self.open.append(entry)

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
            self.skip -= 1
        elif tag in self.BLOCKS and self.open and self.open[-1][0] == tag:
            self.open.pop()

    def handle_data(self, data):
        if not self.skip:
            for entry in self.open:
                entry[1] += data


def blocks(html: str) -> list[tuple[str, str]]:
    p = _Blocks()
    p.feed(html)
    return [(t, text.rstrip("\n") if t == "pre" else re.sub(r"\s+", " ", text).strip()) for t, text in p.out]


def assert_shows_cli_guide(w: Watched, given: dict, as_of: str) -> None:
    want = _cli(given, as_of)
    assert w.markdown == want, f"the page composes another guide than `howto guide` for {given} as of {as_of}"
    shown = blocks(w.page.inner_html(".gb-guide"))
    assert shown == blocks(markdown.markdown(want)), f"the page shows another text than the CLI's for {given}"


# --- the guide -------------------------------------------------------------------

def test_named_setups_show_the_cli_guide(watched, base, data):
    for named in data["named"]:
        watched.open(base, _query(named["given"], named["as_of"]))
        assert_shows_cli_guide(watched, named["given"], named["as_of"])
        assert not watched.page.is_visible(".gb-url-notes"), named["id"]


def test_sampled_setups_show_the_cli_guide(watched, base, data):
    rng = random.Random("guide-builder browser")
    for mx in (unpack(data, day) for day in SAMPLED_DAYS):
        done = 0
        while done < SAMPLES:
            given = {}
            for d in mx["dimensions"]:
                if rng.random() < 0.6 or d["slot"] and d["kind"] != "choice":
                    continue
                given[d["name"]] = rng.random() < 0.5 if d["kind"] == "flag" else rng.choice(d["choices"])
            if rng.random() < 0.5:
                given.update(name="web_1.x", mac="00:16:3e:0a:0b:0c", memory="1024", disk_size="8192", dom0_mem="2G")
            try:
                resolve_given(mx, given)
            except GivenError:
                continue
            done += 1
            watched.open(base, _query(given, mx["as_of"]))
            assert_shows_cli_guide(watched, given, mx["as_of"])


def test_presets_show_the_named_guides(watched, base, data):
    watched.open(base)
    for named in data["named"]:
        watched.page.click(f"button[data-named='{named['id']}']")
        assert_shows_cli_guide(watched, named["given"], named["as_of"])


# --- constraints -----------------------------------------------------------------

def test_forbidden_choices_are_disabled_with_their_reason(watched, base, data):
    mx = unpack(data, data["as_of"])
    for given in ({}, {"domu": "linux", "disk": "lvm"}):
        watched.open(base, _query(given))
        values = resolve_given(mx, given)
        seen_disabled = 0
        for d in mx["dimensions"]:
            if d["kind"] == "flag" or not d["choices"]:
                continue
            options = watched.page.eval_on_selector_all(
                f"#gb-{d['name']} option", "os => os.map(o => [o.value, o.disabled, o.title])")
            why = watched.page.inner_text(f"#gb-{d['name']}-why") if watched.page.is_visible(f"#gb-{d['name']}-why") else ""
            for value, disabled, title in options:
                c = None if value == str(values[d["name"]]) else forbidden(mx, values, d["name"], value)
                assert disabled == (c is not None), (given, d["name"], value)
                if c:
                    seen_disabled += 1
                    assert title == c["reason"], (d["name"], value)
                    assert c["reason"] in why, (d["name"], value, why)
        assert seen_disabled, f"no choice is forbidden for {given}; the test shows nothing"
    # the PCI field: no Xen package in pkgsrc at the date has PCI passthrough with a NetBSD dom0
    watched.open(base)
    assert watched.page.is_disabled("#gb-pci")
    assert "PCI passthrough with a NetBSD dom0" in watched.page.inner_text("#gb-pci-why")


def test_a_typed_value_is_checked_before_it_reaches_the_guide(watched, base):
    watched.open(base)
    before = watched.markdown
    watched.page.fill("#gb-name", "x; rm -rf /")
    assert watched.page.is_visible("#gb-name-error")
    assert watched.page.get_attribute("#gb-name", "aria-invalid") == "true"
    assert watched.markdown == before
    watched.page.fill("#gb-name", "web2")
    watched.page.press("#gb-name", "Tab")
    assert "/usr/pkg/etc/xen/web2" in watched.markdown
    watched.page.wait_for_url(re.compile(r"name=web2"))
    assert watched.markdown == _cli({"name": "web2"}, AS_OF.isoformat())


# --- the address -------------------------------------------------------------------

def test_keyboard_url_round_trip_and_back(watched, base, browser):
    page = watched.page
    watched.open(base)
    default = watched.markdown
    # keyboard only: focus moves with Tab, a closed <select> changes with the arrow keys
    page.focus("#gb-bootloader")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gb-bootloader"
    page.keyboard.press("ArrowDown")
    page.wait_for_url(re.compile(r"bootloader=grub"))
    page.focus("#gb-raid1")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"raid1=yes"))
    page.select_option("#gb-disk", "lvm")
    page.wait_for_url(re.compile(r"disk=lvm"))
    chosen, url = watched.markdown, page.url
    assert chosen == _cli({"bootloader": "grub", "raid1": True, "disk": "lvm"}, AS_OF.isoformat())

    other = browser.new_context()
    try:
        p2 = other.new_page()
        p2.goto(url)
        p2.wait_for_selector(".gb-guide h1")
        assert p2.evaluate("window.guideBuilder.markdown") == chosen
        assert p2.eval_on_selector("#gb-disk", "e => e.value") == "lvm"
        assert p2.eval_on_selector("#gb-raid1", "e => e.checked") is True
    finally:
        other.close()

    page.go_back()
    page.wait_for_url(re.compile(r"raid1=yes(?!.*disk)"))
    assert watched.value("disk") == "file" and watched.value("raid1") is True
    page.go_back()
    page.go_back()
    page.wait_for_url(re.compile(r"/guide-builder/$"))
    assert watched.markdown == default and watched.value("bootloader") == "boot.cfg"
    page.go_forward()
    page.wait_for_url(re.compile(r"bootloader=grub"))
    assert watched.value("bootloader") == "grub"


def test_a_hostile_address_changes_nothing(watched, base):
    watched.open(base)
    default = watched.markdown
    hostile = urlencode([
        ("name", "<script>window.pwned=1</script>"),
        ("xen", '"><img src=x onerror="window.pwned=2">'),
        ("<svg onload=alert(1)>", "1"),
        ("bogus", "1"),
        ("domu", "linux"), ("domu_type", "pvh"),  # impossible together
        ("as_of", "1999-01-01"),
    ])
    watched.open(base, "?" + hostile)
    page = watched.page
    assert page.evaluate("window.pwned") is None
    assert watched.markdown != "" and page.is_visible(".gb-url-notes")
    notes = page.inner_text(".gb-url-notes")
    assert "<script>window.pwned=1</script>" in notes  # shown as text...
    assert page.eval_on_selector(".gb-url-notes", "e => e.querySelectorAll('script, img, svg').length") == 0
    assert page.eval_on_selector(".gb-guide", "e => e.querySelectorAll('script, img[src=x], svg').length") == 0
    for word in ("bogus", "not a setup option", "1999-01-01"):
        assert word in notes, word
    # the Linux domU came first and was taken, so the PVH type was the impossible one
    assert "only as PV guests" in notes
    assert watched.markdown == _cli({"domu": "linux"}, AS_OF.isoformat())
    # and the address now says what is shown
    assert "script" not in page.url and "bogus" not in page.url
    watched.open(base, "?" + urlencode([("name", "<script>x</script>")]))
    assert watched.markdown == default


def test_names_every_object_inherits_are_unknown_names_in_the_address(watched, base):
    # the builder keeps its editions and dimensions in maps without a prototype,
    # so ?as_of=__proto__ finds no edition instead of Object.prototype
    watched.open(base)
    default = watched.markdown
    for name in ("__proto__", "constructor", "valueOf", "toString", "hasOwnProperty"):
        watched.open(base, "?" + urlencode([("as_of", name), (name, "1")]))
        notes = watched.page.inner_text(".gb-url-notes")
        assert f"as_of \u201c{name}\u201d ignored" in notes, notes
        assert f"\u201c{name}\u201d ignored: not a setup option" in notes, notes
        assert watched.markdown == default


# --- the site around it -------------------------------------------------------------

def test_landing_page_and_nav_link_the_builder(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="guide-builder/"' in index


def test_instant_navigation_copy_dark_and_print(browser, base, site):
    """The site at its own address (site_url, routed to the local server), so
    that Material's instant navigation is on as when published."""
    site_url = "https://example.invalid/netbsd-xen-howto/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://example.invalid")
    stub_other_hosts(context, site_url)  # the HOWTO's hot-linked screenshot among them
    context.route(site_url + "**", lambda route: route.fulfill(
        response=route.fetch(url=base + route.request.url[len(site_url):])))
    w = Watched(context)
    page = w.page
    try:
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        page.evaluate("window.instantMarker = 1")
        page.click("nav.md-nav--primary a[href$='guide-builder/']")
        page.wait_for_selector(".gb-guide h1")
        assert page.evaluate("window.instantMarker") == 1, "the page was loaded anew: instant navigation is off"
        assert w.markdown == _cli({}, AS_OF.isoformat())

        # copy buttons: Material's clipboard integration copies the snippet
        first = page.text_content(".gb-guide pre code")
        page.click(".gb-guide pre .md-code__button")
        assert page.evaluate("navigator.clipboard.readText()") == first.rstrip("\n")

        # away and back again, by instant navigation and the history
        page.click("nav.md-nav--primary a[href$='ports/xen/howto/']")
        page.wait_for_url(re.compile(r"/ports/xen/howto/$"))
        page.go_back()
        page.wait_for_selector(".gb-guide h1")
        page.select_option("#gb-console", "serial")
        # the address follows the guide once it is drawn: wait for it rather than a fixed 50 ms
        page.wait_for_url(re.compile(r"console=serial"))
        assert page.evaluate("window.instantMarker") == 1

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "guide-builder.png"), full_page=True)
        page.click("form[data-md-component=palette] label.md-header__button:visible")  # Material's dark toggle
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.reload()
        page.wait_for_selector(".gb-guide h1")
        assert w.value("console") == "serial"
        page.screenshot(path=str(ARTIFACTS / "guide-builder-dark.png"))

        page.emulate_media(media="print")
        assert page.is_visible(".gb-guide h1")
        for chrome in (".gb-form", ".md-header", ".md-sidebar--primary", ".md-footer", ".md-content__inner > h1"):
            assert not page.is_visible(chrome), f"{chrome} would be printed"
    finally:
        errors = list(w.errors)
        context.close()
    assert errors == [], errors


# --- size ---------------------------------------------------------------------------

def test_shipped_size_and_every_change_updates_the_guide(watched, base, site):
    """The time each change takes is scripts/bench's to measure (benchmarks/):
    here, that every change of the benchmark's kinds shows the new guide."""
    figures = sizes(str(site))
    assert figures["data_gzip_bytes"] < 300_000, figures
    watched.open(base)
    timing = time_updates(watched.page, 40)
    assert timing["guide_changed"] == timing["changes"] == 40


# --- on a phone ------------------------------------------------------------------------

def _top(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")


def test_on_a_phone_the_guide_is_within_a_screen_of_the_controls(browser, base):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    w = Watched(context)
    page = w.page
    try:
        w.open(base, "?disk=lvm&network=nat")
        page.wait_for_timeout(100)  # the scroll cues are set on the next frame
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        # the controls are folded, and say the setup in words
        assert page.eval_on_selector(".gb-panel", "e => e.open") is False
        assert "Xen " in page.inner_text(".gb-panel__setup")
        assert _top(page, ".gb-guide h1") - _top(page, ".gb-panel") < PHONE["height"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "guide-builder-phone.png"))
        # unfolded, the controls fill several screens: the button to the guide stays on the screen
        page.click(".gb-panel > summary")
        assert page.is_visible("#gb-mac")
        assert _top(page, ".gb-guide h1") - _top(page, ".gb-panel") > PHONE["height"], "the test shows nothing"
        for field in ("#gb-xen", "#gb-disk", "#gb-mac"):
            page.eval_on_selector(field, "e => e.scrollIntoView({block: 'center'})")
            box = page.eval_on_selector(".gb-jump__button", "e => e.getBoundingClientRect().toJSON()")
            assert 0 <= box["top"] and box["bottom"] <= PHONE["height"], (field, box)
        page.click(".gb-jump__button")
        page.wait_for_function("Math.abs(document.querySelector('.gb-guide').getBoundingClientRect().top) < 80")
        assert page.evaluate("document.activeElement.id") == "gb-guide"
        # every table and code block fits, or scrolls in its own box and says so
        boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.gb-guide table, .gb-guide pre > code')).map(b => ({
            tag: b.tagName, scroll: b.scrollWidth, client: b.clientWidth, right: b.getBoundingClientRect().right,
            cue: b.getAttribute('data-scroll'), tabindex: b.getAttribute('tabindex'),
            overflow: getComputedStyle(b).overflowX, shadow: getComputedStyle(b).boxShadow}))""")
        scrolling = [b for b in boxes if b["scroll"] > b["client"] + 1]
        assert scrolling, "no table or code block is wider than a phone: the test shows nothing"
        for b in boxes:
            assert b["right"] <= PHONE["width"] + 1, b
        for b in scrolling:
            assert b["overflow"] in ("auto", "scroll") and b["cue"] == "right" and b["shadow"] != "none", b
            assert b["tabindex"] == "0", b
    finally:
        errors = list(w.errors)
        context.close()
    assert errors == [], errors


# --- a value that is not accepted ------------------------------------------------------

def _background(page, selector: str) -> str:
    """The colour behind an element: its own, or its nearest ancestor's that is opaque."""
    return page.eval_on_selector(selector, """e => {
        for (let n = e; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (c && !/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_invalid_value_is_marked_and_the_guide_says_it_is_not_up_to_date(browser, base, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    w = Watched(context)
    page = w.page
    try:
        w.open(base)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default")
        before = w.markdown
        assert not page.is_visible(".gb-stale")
        normal = page.eval_on_selector("#gb-name", "e => getComputedStyle(e).borderTopColor")
        page.fill("#gb-name", "web 1; rm -rf /")
        assert page.get_attribute("#gb-name", "aria-invalid") == "true"
        mark = page.eval_on_selector("#gb-name", "e => getComputedStyle(e).borderTopColor")
        width = page.eval_on_selector("#gb-name", "e => parseFloat(getComputedStyle(e).borderTopWidth)")
        assert mark != normal and width >= 2
        for behind in (_background(page, "#gb-name"), _background(page, ".gb-field[data-dim=name]")):
            assert contrast(mark, behind) >= 3, (scheme, mark, behind)
        error = page.eval_on_selector("#gb-name-error", "e => getComputedStyle(e).color")
        assert contrast(error, _background(page, "#gb-name-error")) >= 4.5, (scheme, error)
        assert page.is_visible("#gb-name-error")
        # the guide keeps the earlier value, and says so where it is read
        assert w.markdown == before
        assert page.is_visible(".gb-stale") and page.get_attribute(".gb-guide", "data-stale") == ""
        stale = page.inner_text(".gb-stale")
        assert "not up to date" in stale and "domU name" in stale and "web 1; rm -rf /" in stale
        assert "the guide shows \u201cfoo\u201d" in stale
        assert contrast(page.eval_on_selector(".gb-guide", "e => getComputedStyle(e).borderLeftColor"),
                        _background(page, ".gb-guide")) >= 3
        serious = axe_serious(page)
        assert serious == [], json.dumps(serious, indent=2)
        ARTIFACTS.mkdir(exist_ok=True)
        page.eval_on_selector("#gb-name", "e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / f"guide-builder-invalid-{scheme}.png"))
        page.eval_on_selector(".gb-stale", "e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(ARTIFACTS / f"guide-builder-not-up-to-date-{scheme}.png"))
        # the link in the notice leads to the field; fixed, the guide follows and the notice goes
        page.fill("#gb-name", "")
        page.click(".gb-stale a")
        assert page.evaluate("document.activeElement.id") == "gb-name"
        page.fill("#gb-name", "web1")
        assert not page.is_visible(".gb-stale") and page.get_attribute(".gb-guide", "data-stale") is None
        assert page.get_attribute("#gb-name", "aria-invalid") is None
        assert "/usr/pkg/etc/xen/web1" in w.markdown
    finally:
        errors = list(w.errors)
        context.close()
    assert errors == [], errors


# --- named setups -----------------------------------------------------------------------

def test_the_named_setup_shown_is_marked(watched, base, data):
    page = watched.page

    def current():
        return page.eval_on_selector_all(".gb-preset[aria-current=true]", "es => es.map(e => e.dataset.named)")

    watched.open(base)
    assert current() == ["recommended"]
    plain = page.eval_on_selector("[data-named=nat-lvm]", "e => getComputedStyle(e).backgroundColor")
    for named in data["named"]:
        page.click(f"button[data-named='{named['id']}']")
        assert current() == [named["id"]]
        assert named["title"] in page.inner_text(".gb-panel__setup")
    # filled, once Material's buttons have eased into their colours (a 125 ms transition)
    last = f"[data-named={data['named'][-1]['id']}]"
    page.wait_for_function(rf"""() => {{
        const c = getComputedStyle(document.querySelector('{last}')).backgroundColor;
        return /^rgb\(/.test(c) && c !== {json.dumps(plain)};
    }}""")
    assert plain in ("rgba(0, 0, 0, 0)", "transparent")
    page.click("button[data-named='nat-lvm']")
    page.fill("#gb-name", "db2")  # no longer the named setup
    assert current() == []
    assert "Xen " in page.inner_text(".gb-panel__setup")
    page.fill("#gb-name", "web1")  # and back
    assert current() == ["nat-lvm"]


# --- copy and download -----------------------------------------------------------------

def test_copy_all_dom0_commands(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    w = Watched(context)
    page = w.page
    try:
        for given in ({}, {"network": "nat", "disk": "lvm", "name": "web1", "nic": "re0"}):
            w.open(base, _query(given))
            page.click(".gb-tools [data-action=copy]")
            page.wait_for_function("document.querySelector('.gb-tools__status').textContent.startsWith('Copied')")
            want = compose.dom0_commands(guide_for(load(str(ROOT / "mkdocs.yml")), given, AS_OF))
            assert page.evaluate("navigator.clipboard.readText()") == want
            assert "pkg_add" in want and "type these in the domU" not in want
    finally:
        errors = list(w.errors)
        context.close()
    assert errors == [], errors


def _howto_guide(given: dict, as_of: str, fmt: str) -> bytes:
    args = [howto_bin(), "guide", "--as-of", as_of, "--format", fmt]
    for k, v in given.items():
        flag = "--" + k.replace("_", "-")
        if v is True:
            args.append(flag)
        elif v is not False:
            args += [flag, str(v)]
    run = subprocess.run(args, capture_output=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr.decode()
    return run.stdout


def _download(page, action: str, want_name: str) -> bytes:
    with page.expect_download() as info:
        page.click(f".gb-tools [data-action={action}]")
    download = info.value
    assert download.suggested_filename == want_name
    with open(download.path(), "rb") as f:
        return f.read()


def test_the_downloads_are_what_howto_guide_prints(browser, base, data, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    w = Watched(context)
    page = w.page
    cases = [(n["id"], n["given"], n["as_of"]) for n in data["named"]]
    cases.append(("typed", {"name": "db.example", "memory": "1024", "mac": "00:16:3e:0a:0b:0c", "console": "serial",
                            "serial_port": "com1", "autostart": True}, AS_OF.isoformat()))
    try:
        for case_id, given, as_of in cases:
            w.open(base, _query(given, as_of))
            assert _download(page, "markdown", "xen-guide.md") == _howto_guide(given, as_of, "md"), case_id
            script = _download(page, "script", "xen-guide.sh")
            assert script == _howto_guide(given, as_of, "sh"), case_id
            (tmp_path / f"{case_id}.sh").write_bytes(script)
    finally:
        errors = list(w.errors)
        context.close()
    assert errors == [], errors
    if shutil.which("shellcheck"):
        run = subprocess.run(["shellcheck", "--format=gcc", *sorted(p.name for p in tmp_path.glob("*.sh"))],
                             cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == 0 and run.stdout == "", run.stdout


# --- links to steps -----------------------------------------------------------------------

def test_each_step_has_a_link_to_itself(watched, base, site, data):
    page = watched.page
    watched.open(base, _query({"disk": "lvm"}))
    steps = page.eval_on_selector_all(".gb-guide h2", """hs => hs.map(h => ({
        id: h.id, link: h.querySelector('a.headerlink') && h.querySelector('a.headerlink').getAttribute('href'),
        step: h.closest('[data-step]').dataset.step}))""")
    assert len(steps) > 10
    for s in steps:
        assert s["id"] == "step-" + s["step"] and s["link"] == "#" + s["id"], s
    # the link holds the setup and the step: opened anew, the page shows that step of that guide
    page.click(f"#{steps[-3]['id']} a.headerlink")
    page.wait_for_url(re.compile(rf"disk=lvm#{steps[-3]['id']}$"))
    url = page.url
    fresh = watched.context.new_page()
    try:
        fresh.set_viewport_size({"width": 1280, "height": 900})
        fresh.goto(url)
        fresh.wait_for_selector(".gb-guide h1")
        fresh.wait_for_function(f"Math.abs(document.getElementById('{steps[-3]['id']}').getBoundingClientRect().top) < 200")
        assert fresh.evaluate("window.guideBuilder.markdown") == _cli({"disk": "lvm"}, AS_OF.isoformat())
    finally:
        fresh.close()
    # the guide pages: each step's heading links to itself (Material's permalinks)
    for named in data["named"]:
        html = (site / "guides" / named["id"] / "index.html").read_text(encoding="utf-8")
        headings = re.findall(r'<h2 id="([^"]+)">\d+\. [^<]*<a class="headerlink" href="#([^"]+)"', html)
        assert len(headings) == html.count("<h2 "), named["id"]
        assert headings and all(a == b for a, b in headings), named["id"]


# --- the builder as of a day of the HOWTO's history ---------------------------------------

def test_the_builder_offers_every_day_of_the_howtos_history(watched, base, site, data):
    history = json.loads((site / "ports/xen/howto/history.json").read_text(encoding="utf-8"))
    days = {d["day"] for d in history["days"]}
    watched.open(base)
    offered = watched.page.eval_on_selector_all("#gb-as_of option", "os => os.map(o => o.value)")
    assert len(days) > 50 and days <= set(offered)
    assert set(offered) == days | {AS_OF.isoformat()} | {n["as_of"] for n in data["named"]}
    assert offered == sorted(offered, reverse=True)


def test_date_switcher_round_trip(watched, base, data):
    page = watched.page
    watched.open(base, _query({"disk": "lvm", "console": "serial"}))
    newest = watched.markdown
    for day in ("2012-09-17", "2016-12-20"):
        page.select_option("#gb-as_of", day)
        page.wait_for_url(re.compile(rf"as_of={day}"))
        given = {"disk": "lvm", "console": "serial"}
        mx = unpack(data, day)
        try:
            resolve_given(mx, given)
        except GivenError:  # a choice that day did not offer is let go, as the page says
            given = {"console": "serial"}
        assert_shows_cli_guide(watched, given, day)
        assert day in page.inner_text(".gb-panel__setup")
    url, shown = page.url, watched.markdown
    page.reload()
    page.wait_for_selector(".gb-guide h1")
    assert watched.markdown == shown and watched.value("as_of") == "2016-12-20"
    page.go_back()
    page.wait_for_url(re.compile(r"as_of=2012-09-17"))
    assert watched.value("as_of") == "2012-09-17"
    page.go_back()
    page.wait_for_url(re.compile(r"/guide-builder/\?disk=lvm&console=serial$"))
    assert watched.markdown == newest and watched.value("as_of") == AS_OF.isoformat()
    assert "as_of=2016-12-20" in url and "disk=lvm" in url and "console=serial" in url
