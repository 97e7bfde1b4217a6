"""Every screen and every input: a phone held upright (by touch) and sideways, a 1024×768
projector and a 1366×768 laptop, each in English and in Russian (and in Chinese on the phone
and the projector).

On the map, the presentation (every step), the embedded map, a place and a treaty, axe-core
finds nothing against WCAG 2.2 AA or its best practices; nothing scrolls sideways; the years,
an open popup and its close button, and the presentation's controls are on the screen and not
covered; and the keyboard path works: Tab to a place on the map, Enter opens its popup and puts
the focus in it, Escape closes it and gives the focus back, the year is announced in a sentence.

One server and one load of the atlas serve the whole module, and each size and language is one
browser context that visits every page once, so that the matrix stays quick.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from atlas import kinds
from atlas.exports.browser import live_server
from atlas.i18n import translate
from atlas.models import Feature
from tests.browser.conftest import wait_for
from tests.browser.test_accessibility import axe_violations
from tests.conftest import load

# The module's own server reads the atlas loaded once below; each test's transaction (the
# django_db mark) is never written to.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STEPS = json.loads((Path(settings.ATLAS_GEODATA_DIR) / "story.json").read_text())["steps"]
PHONE = {"has_touch": True, "is_mobile": True}
SIZES = {
    "390x844": PHONE,
    "844x390": PHONE,
    "1024x768": {},
    "1366x768": {},
}


def shanghai(language: str) -> str:
    """Shanghai's name on the map for a screen reader: "Shanghai, <its kind>"."""
    with translation.override(language):
        name = translate(Feature.objects.get(slug="shanghai").name)
        return f"{name}, {kinds.get('treaty_port').name}"


def summary(language: str, **counts: int) -> str:
    """The sentence that announces a year, in ``language``."""
    with translation.override(language):
        return gettext("{year}: {new} new, {ended} ended").format(**counts)


FONT_SIZE = "e => parseFloat(getComputedStyle(e).fontSize)"
# Each element the selector finds: where it is, whether it is inside the window, and whether it
# is what a finger or a pointer at its centre would reach (nothing drawn over it).
PLACED = """sel => Array.from(document.querySelectorAll(sel))
  .filter(e => e.getClientRects().length)
  .map(e => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      name: (e.getAttribute("aria-label") || e.textContent).trim().slice(0, 40),
      left: r.left, top: r.top, right: r.right, bottom: r.bottom,
      width: r.width, height: r.height,
      inside: r.left >= -0.5 && r.top >= -0.5 && r.right <= innerWidth + 0.5
        && r.bottom <= innerHeight + 0.5,
      reached: !!hit && (hit === e || e.contains(hit)),
    };
  })"""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The real atlas, loaded once and served for the module; the database is emptied after."""
    with django_db_blocker.unblock():
        load(Path(settings.ATLAS_GEODATA_DIR))
        try:
            with live_server() as url:
                yield url
        finally:
            call_command("flush", "--no-input", verbosity=0)


class Findings:
    """What went wrong on one screen, collected so that one run reports all of it."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(f"{self.where}: {what}")

    def axe(self, page, what: str) -> None:
        for violation in axe_violations(page):
            self.problems.append(f"{self.where} {what}: {violation}")

    def no_sideways_scroll(self, page, what: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        self.check(width <= 0, f"{what} scrolls sideways by {width}px")

    def on_screen(self, page, selector: str, what: str, least: float = 0) -> list[dict]:
        placed = page.evaluate(PLACED, selector)
        self.check(bool(placed), f"{what}: nothing shown ({selector})")
        for e in placed:
            self.check(e["inside"], f"{what}: “{e['name']}” is outside the window {e}")
            self.check(e["reached"], f"{what}: “{e['name']}” is covered")
            small = min(e["width"], e["height"])
            self.check(small >= least - 0.5, f"{what}: “{e['name']}” is {small:.0f}px (< {least})")
        return placed


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for(page, "!window.atlas || window.atlas.drawnAt")
    # Popups fade in (0.2 s): measured half-faded, their text fails the contrast check.
    wait_for(
        page,
        "Array.from(document.querySelectorAll('.leaflet-popup'))"
        ".every(p => getComputedStyle(p).opacity === '1')",
    )


def settled(page) -> None:
    """Wait for the map to stop moving (a popup's auto-pan is animated)."""
    page.wait_for_timeout(350)
    wait_for(page, "!window.atlas.map._panAnim || !window.atlas.map._panAnim._inProgress")
    page.wait_for_timeout(100)


def check_map(page, site: str, found: Findings, language: str, touch: bool, width: int) -> None:
    open_page(page, site + "/map/1860/")
    found.no_sideways_scroll(page, "map")
    target = 44 if touch else 24
    found.on_screen(page, ".year-list a", "year", least=target)
    found.on_screen(page, ".year-play", "Play", least=44)
    found.on_screen(page, "#search-input", "search", least=target)
    found.on_screen(page, ".language-switch a, .language-current", "language", least=target)
    # The legend is folded at first on a small map (and where it would cover much of it).
    small = page.evaluate("(s => s.x < 600 || s.y < 450)(window.atlas.map.getSize())")
    folded = page.get_attribute(".atlas-legend-toggle", "aria-expanded") == "false"
    found.check(folded or not small, "the legend is open on a small map")
    found.check(not folded or small or width < 1280, "the legend is folded on a laptop")
    found.axe(page, "map")

    # Tab from the map to Shanghai: a named tab stop.
    page.focus(".leaflet-container")
    names = []
    for _ in range(150):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label') || ''"))
        if names[-1] == shanghai(language):
            break
    found.check(names[-1] == shanghai(language), f"Tab never reaches Shanghai: {names}")
    # Enter opens its popup, which takes the focus and fits on the screen, close button too.
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup").wait_for()
    settled(page)
    in_popup = page.evaluate("!!document.activeElement.closest('.leaflet-popup')")
    found.check(in_popup, "the opened popup does not have the focus")
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    frame = page.locator(".map-area").bounding_box()
    found.check(
        popup["x"] >= frame["x"] - 0.5
        and popup["y"] >= frame["y"] - 0.5
        and popup["x"] + popup["width"] <= frame["x"] + frame["width"] + 0.5
        and popup["y"] + popup["height"] <= frame["y"] + frame["height"] + 0.5,
        f"the popup {popup} does not fit the map {frame}",
    )
    found.on_screen(page, ".leaflet-popup-close-button", "popup close", least=target)
    found.check(
        not page.locator(".atlas-legend").is_visible(), "the legend shows over an open popup"
    )
    found.axe(page, "map with a popup")
    # Escape closes it (the focus on a link inside it) and the focus goes back to Shanghai.
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    back = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
    found.check(back == shanghai(language), f"after Escape the focus is on “{back}”")

    # The page's arrows change the year, announced in one short sentence.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    panel = '.year-panel[data-year="1860"] '
    new, ended = (page.locator(panel + f".{kind}-list > li").count() for kind in ("new", "ended"))
    said_well = summary(language, year=1860, new=new, ended=ended)
    said = page.inner_text("#atlas-status")
    found.check(said == said_well, f"the year is announced as “{said}”, not “{said_well}”")
    found.check(
        page.locator("[aria-live]:not(.present-counter)").count() == 0,
        "a live region other than the status",
    )
    # A popup opened from the side panel closes with Escape pressed in the search field.
    page.locator(".year-panel:not([hidden]) a[data-feature]").first.click()
    page.locator(".leaflet-popup").wait_for()
    page.focus("#search-input")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")


def check_presentation(page, site: str, found: Findings, size: str) -> None:
    open_page(page, site + "/present/")
    wait_for(page, "window.atlas.present")
    for n in range(1, len(STEPS) + 1):
        page.evaluate(f"window.atlas.present.show({n})")
        what = f"presentation step {n}"
        found.no_sideways_scroll(page, what)
        found.on_screen(page, ".present-controls button, .present-controls a", what, least=44)
        found.on_screen(page, ".present-counter", what)
        if size == "1024x768":
            for selector in (".present-title", ".present-quote", ".present-translation"):
                px = page.eval_on_selector(selector, FONT_SIZE)
                found.check(px >= 24, f"{what}: {selector} is {px}px")
        found.axe(page, what)


def check_plain(page, site: str, found: Findings, path: str) -> None:
    open_page(page, site + path)
    found.no_sideways_scroll(page, path)
    found.axe(page, path)


# Every size in English and Russian; Chinese on a phone and on the projector.
SCREENS = [(size, language) for language in ("en", "ru") for size in SIZES]
SCREENS += [("390x844", "zh-hans"), ("1024x768", "zh-hans")]


@pytest.mark.parametrize(("size", "language"), SCREENS)
def test_every_page_on_every_screen(browser, site, size, language):
    width, height = (int(x) for x in size.split("x"))
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale=language,
        extra_http_headers={"Accept-Language": language},
        bypass_csp=True,  # axe-core is injected; test_csp_browser.py checks the policy
        **SIZES[size],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    found = Findings(f"{size} {language}")
    try:
        check_map(page, site, found, language, touch=bool(SIZES[size]), width=width)
        check_presentation(page, site, found, size)
        for path in ("/map/1858/", "/embed/1860/", "/places/shanghai/", "/treaties/tianjin-1858/"):
            check_plain(page, site, found, path)
        if size in ("390x844", "1024x768"):
            check_plain(page, site, found, "/places/ussuri-cession/")
    finally:
        context.close()
    assert not found.problems, "\n".join(found.problems)
    assert errors == []


@pytest.mark.parametrize("size", ["390x844", "1366x768"])
def test_the_language_switch_keeps_the_year_and_the_open_feature(browser, site, size):
    width, height = (int(x) for x in size.split("x"))
    context = browser.new_context(viewport={"width": width, "height": height}, **SIZES[size])
    page = context.new_page()
    try:
        open_page(page, site + "/map/1858/")
        page.evaluate("window.atlas.setYear(1860)")
        page.evaluate("window.atlas.openFeature('vladivostok')")
        page.locator(".leaflet-popup").wait_for()
        switch = page.locator(".language-switch a[hreflang=ru]")
        switch.tap() if SIZES[size] else switch.click()
        page.wait_for_url("**/map/1860/?feature=vladivostok")
        wait_for(page, "window.atlas && window.atlas.drawnAt")
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert page.evaluate("window.atlas.year") == 1860
        assert "Владивосток" in page.locator(".leaflet-popup-content").inner_text()
        # Closed again, the switch goes back to the year alone.
        page.keyboard.press("Escape")
        href = page.get_attribute(".language-switch a[hreflang=en]", "href")
        assert href == "/language/en/?next=%2Fmap%2F1860%2F"
    finally:
        context.close()
