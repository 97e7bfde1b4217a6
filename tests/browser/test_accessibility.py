"""axe-core (npm, injected into the page) finds nothing against WCAG 2.2 AA or its best practices.

test_screens.py runs the same check on every page at phone, projector and laptop sizes, in both
languages; here, the pages at 1280×720.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import wait_for

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js"
# Every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as it is now, whatever the impact, one line each."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


PAGES = [
    "/map/1857/",
    "/map/1858/",
    "/map/1862/?feature=shanghai",
    "/present/?step=3",
    "/places/shanghai/",
    "/places/ussuri-cession/",
    "/treaties/tianjin-1858/",
    "/embed/1860/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_violation(page, path):
    page.goto(page.base_url + path)
    wait_for(page, "!window.atlas || window.atlas.drawnAt")
    # A popup opened by ?feature= fades in (Leaflet's 0.2 s opacity transition); measured
    # half-faded, its text fails the contrast check.
    wait_for(
        page,
        "Array.from(document.querySelectorAll('.leaflet-popup'))"
        ".every(p => getComputedStyle(p).opacity === '1')",
    )
    assert axe_violations(page) == []


def test_the_map_page_works_by_keyboard_alone(page):
    page.goto(page.base_url + "/map/1858/")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    # Tab to the search box, find a place, and the map opens it.
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("Amoy")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content")
    assert "Xiamen" in page.locator(".leaflet-popup-content").inner_text()
    # Escape leaves the field; the arrow keys then change the year.
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.atlas.year") == 1859
    # The side panel's links to features are reachable and open their popups with Enter.
    link = page.locator(".year-panel:not([hidden]) a[data-feature]").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content")
