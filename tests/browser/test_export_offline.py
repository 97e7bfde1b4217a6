"""The offline bundle opened from file:// in Chromium, with the network cut off."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import PageWatch, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def usb(atlas, tmp_path) -> Path:
    call_command("export_static", str(tmp_path / "usb"), stdout=StringIO())
    return tmp_path / "usb"


@pytest.fixture
def offline_page(browser):
    """A page that may read files and nothing else: any other request is refused and noted."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    watch = PageWatch("file://")

    def guard(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            watch.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.set_offline(True)
    page = context.new_page()
    page.on("request", watch.on_request)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    # A missing file fails; a request cut short by leaving the page is only aborted.
    page.on(
        "requestfailed",
        lambda r: r.failure == "net::ERR_ABORTED" or watch.errors.append(f"{r.failure}: {r.url}"),
    )
    page.watch = watch
    yield page
    context.close()


def open_file(page, path: Path) -> None:
    page.goto(path.as_uri())
    wait_for(page, "window.atlas && window.atlas.drawnAt")


def test_year_map_works_from_file_with_no_network(usb, offline_page):
    page = offline_page
    open_file(page, usb / "map/1858/index.html")
    # The shared data came from the bundle's data files, loaded as scripts (no fetch()).
    assert page.evaluate("Object.keys(window.atlasData).sort()") == ["base", "features", "words"]
    assert page.evaluate("window.atlas.year") == 1858
    assert "shanghai" in page.evaluate("window.atlas.visibleFeatures()")
    # Leaflet's stylesheet is there: the map's panes are positioned by it.
    assert page.locator(".leaflet-pane").first.evaluate("e => getComputedStyle(e).position") == (
        "absolute"
    )

    page.click(".year-prev")
    assert page.evaluate("window.atlas.year") == 1857
    assert "shanghai" not in page.evaluate("window.atlas.visibleFeatures()")
    assert page.locator('.year-panel[data-year="1857"]').is_visible()
    # The year control's links follow the bundle's own pages.
    assert page.get_attribute(".year-next", "href") == "../1858/index.html"

    page.keyboard.press("End")
    assert page.evaluate("window.atlas.year") == 1862
    assert "trade-zone-100-li" in page.evaluate("window.atlas.visibleFeatures()")
    page.click('.year-list a[data-year="1858"]')
    assert page.evaluate("window.atlas.year") == 1858
    assert page.url == (usb / "map/1858/index.html").as_uri()  # no history entry from file://

    page.locator("path.atlas-feature-shanghai").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Shanghai" in popup.inner_text() and "Treaty of Tianjin" in popup.inner_text()

    # The popup's link leads to the place's page in the bundle.
    popup.locator('a[href$="places/shanghai/index.html"]').first.click()
    page.wait_for_url("**/places/shanghai/index.html")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    assert page.locator("h1").inner_text().startswith("Shanghai")
    # …and back to the map of its year, with its popup open.
    page.click("text=see it on the map of 1858")
    page.wait_for_url("**/map/1858/index.html?feature=shanghai")
    page.locator(".leaflet-popup-content").wait_for()
    assert "Shanghai" in page.locator(".leaflet-popup-content").inner_text()

    assert page.watch.foreign_requests == []
    assert page.watch.errors == []


def test_home_page_is_the_default_year_and_links_into_the_bundle(usb, offline_page):
    page = offline_page
    open_file(page, usb / "index.html")
    assert page.evaluate("window.atlas.year") == 1858
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.atlas.year") == 1859
    assert page.get_attribute(".year-next", "href") == "map/1860/index.html"
    page.click(".brand")
    page.wait_for_url("**/index.html")
    page.goto((usb / "treaties/aigun-1858/index.html").as_uri())
    assert "Treaty of Aigun" in page.locator("h1").inner_text()
    assert page.watch.foreign_requests == []
    assert page.watch.errors == []


def test_presentation_steps_by_keys_from_file(usb, offline_page):
    page = offline_page
    page.goto((usb / "present/index.html").as_uri())
    wait_for(page, "window.atlas && window.atlas.present")
    count = page.evaluate("window.atlas.present.count")
    assert count > 2
    assert page.evaluate("window.atlas.present.step()") == 1
    titles = [page.locator(".present-title").inner_text()]
    captions = [page.locator(".present-translation").inner_text()]
    for n in range(2, count + 1):
        page.keyboard.press("PageDown")
        assert page.evaluate("window.atlas.present.step()") == n
        assert page.locator(".present-number").inner_text() == str(n)
        titles.append(page.locator(".present-title").inner_text())
        captions.append(page.locator(".present-translation").inner_text())
    assert len(set(titles)) == count and len(set(captions)) == count
    page.keyboard.press("PageDown")  # past the last step: it stays there
    assert page.evaluate("window.atlas.present.step()") == count
    page.keyboard.press("PageUp")
    assert page.evaluate("window.atlas.present.step()") == count - 1
    page.keyboard.press("Home")
    assert page.evaluate("window.atlas.present.step()") == 1
    assert page.locator(".present-title").inner_text() == titles[0]
    assert page.watch.foreign_requests == []
    assert page.watch.errors == []


def test_zoomed_in_the_base_map_loads_its_tiles_from_file(usb, offline_page):
    """At zoom 7 the detailed level's index and the tiles in view load from the bundle's data
    folder as scripts; at zoom 4 none is asked for."""
    page = offline_page
    open_file(page, usb / "map/1860/index.html")
    assert page.evaluate("atlas.baseTiles()")["requested"] == []
    page.evaluate("atlas.map.setView([43.1, 131.9], 7, {animate: false})")
    wait_for(page, "atlas.baseTiles().level === 'detailed'")
    tiles = page.evaluate("atlas.baseTiles()")
    assert "e128n40" in tiles["drawn"] and "e132n40" in tiles["drawn"]
    assert sorted(tiles["drawn"]) == sorted(tiles["requested"])
    assert list((usb / "data").glob("tile.e132n40.*.js"))
    assert page.watch.foreign_requests == []
    assert page.watch.errors == []
