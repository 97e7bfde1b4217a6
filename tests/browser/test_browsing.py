"""Browsing by year, as a reader does it: drag, click, press keys, search, go back."""

import json
import re

import pytest

from tests.browser.conftest import wait_for
from tests.browser.test_map_browser import open_map

pytestmark = pytest.mark.browser


def panel_text(page) -> str:
    return page.locator(".year-panel:not([hidden])").inner_text()


def test_dragging_the_slider_changes_the_year_without_a_reload(page):
    open_map(page, "/map/1857/")
    page.evaluate("window.__sameDocument = true")
    slider = page.locator(".year-slider")
    box = slider.bounding_box()
    # 1857..1862 spread over the track: drag the thumb from 1857 to about 1860.
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=8)
    page.mouse.up()
    assert page.evaluate("window.atlas.year") == 1860
    assert page.evaluate("window.__sameDocument") is True  # no reload
    page.wait_for_url("**/map/1860/")  # the address follows once the year is painted
    assert panel_text(page).startswith("1860")


def test_previous_next_and_keys(page):
    open_map(page, "/map/1858/")
    page.locator(".year-next").click()
    assert page.evaluate("window.atlas.year") == 1859
    page.locator(".year-prev").click()
    assert page.evaluate("window.atlas.year") == 1858
    # Focus the page, not a field, nor the map (whose arrows pan it).
    page.locator(".year-panel:not([hidden]) .year-heading").click()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.atlas.year") == 1859
    page.keyboard.press("End")
    assert page.evaluate("window.atlas.year") == 1862
    assert page.locator(".year-next").get_attribute("aria-disabled") == "true"
    page.keyboard.press("ArrowRight")  # nothing after the last year
    assert page.evaluate("window.atlas.year") == 1862
    page.keyboard.press("Home")
    assert page.evaluate("window.atlas.year") == 1857
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("window.atlas.year") == 1857


def test_back_forward_and_reload_land_on_the_same_year(page):
    open_map(page, "/map/1858/")
    page.evaluate("window.atlas.setYear(1859)")
    page.evaluate("window.atlas.setYear(1860)")
    page.wait_for_url("**/map/1860/")
    page.go_back()
    wait_for(page, "window.atlas.year === 1859")
    assert page.url.endswith("/map/1859/") and panel_text(page).startswith("1859")
    page.go_forward()
    wait_for(page, "window.atlas.year === 1860")
    page.reload()
    wait_for(page, "window.atlas && window.atlas.year === 1860")
    assert panel_text(page).startswith("1860")


def test_play_steps_through_the_years(page):
    open_map(page, "/map/1857/")
    page.locator(".year-play").click()
    assert page.locator(".year-play").get_attribute("aria-pressed") == "true"
    wait_for(page, "window.atlas.year >= 1859", timeout=6)
    page.locator(".year-play").click()
    assert page.locator(".year-play").get_attribute("aria-pressed") == "false"
    year = page.evaluate("window.atlas.year")
    page.wait_for_timeout(2000)
    assert page.evaluate("window.atlas.year") == year  # paused


def test_new_features_are_highlighted_and_ended_ones_faded(page):
    open_map(page, "/map/1858/")
    assert "atlas-new" in page.locator("path.atlas-feature-shanghai").get_attribute("class")
    page.evaluate("window.atlas.setYear(1859)")
    assert "atlas-new" not in page.locator("path.atlas-feature-shanghai").get_attribute("class")
    common = [s for s in page.evaluate("window.atlas.visibleFeatures()") if "common" in s]
    if common:  # the Ussuri region held in common, 1858–1860
        page.evaluate("window.atlas.setYear(1860)")
        cls = page.locator(f"path.atlas-feature-{common[0]}").get_attribute("class")
        assert "atlas-ended" in cls
        assert common[0] not in page.evaluate("window.atlas.visibleFeatures()")


def test_the_page_and_the_api_agree_on_every_year(page):
    open_map(page, "/map/1857/")
    for year in range(1857, 1863):
        page.evaluate(f"window.atlas.setYear({year})")
        shown = set(page.evaluate("window.atlas.visibleFeatures()"))
        api = json.loads(
            page.request.get(f"{page.base_url}/api/features.geojson?year={year}").text()
        )
        assert shown == {f["id"] for f in api["features"]}, year


def test_events_panel_lists_the_years_events_and_opens_their_places(page):
    open_map(page, "/map/1858/")
    text = panel_text(page)
    assert "Treaty of Tianjin" in text or "Tianjin" in text
    assert re.search(r"N\.S\. \(\d+ \w+ O\.S\.\)", text)
    page.locator(".year-panel:not([hidden]) .event-places a", has_text="Shanghai").first.click()
    assert "Shanghai" in page.locator(".leaflet-popup-content").inner_text()


@pytest.mark.parametrize("query", ["Amoy", "Сямэнь", "厦门", "Xiamen"])
def test_search_by_any_name_jumps_to_the_first_year_and_opens_it(page, query):
    open_map(page, "/map/1857/")
    page.locator("#search-input").fill(query)
    page.keyboard.press("Enter")
    wait_for(page, "window.atlas.year === 1858")
    assert "Xiamen" in page.locator(".leaflet-popup-content").inner_text()


def test_search_says_when_nothing_is_found(page):
    open_map(page, "/map/1858/")
    page.locator("#search-input").fill("Atlantis")
    page.keyboard.press("Enter")
    assert "No place called" in page.locator(".search-status").inner_text()


def test_year_control_works_by_touch(browser, atlas_server):
    context = browser.new_context(viewport={"width": 800, "height": 900}, has_touch=True)
    page = context.new_page()
    page.goto(atlas_server.url + "/map/1858/")
    wait_for(page, "window.atlas && window.atlas.map !== null")
    # Under 1100 px the years themselves are the buttons (44 px squares).
    page.locator('.year-list a[data-year="1859"]').tap()
    assert page.evaluate("window.atlas.year") == 1859
    assert not page.locator(".year-next").is_visible()
    context.close()
