"""A year's map prints as a one-page A4 landscape handout: map, legend and caption only."""

import re

import pytest

pytestmark = pytest.mark.browser

# A page object of the PDF, not the /Pages tree that holds them.
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
A4_POINTS = (842, 595)  # 297 × 210 mm


def open_map(page, path: str) -> None:
    page.goto(page.base_url + path)
    page.wait_for_function("window.atlas && window.atlas.drawnAt")


@pytest.mark.parametrize("year", [1858, 1862])
def test_a_years_map_prints_on_one_a4_landscape_page(page, year):
    open_map(page, f"/map/{year}/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(PAGE.findall(pdf)) == 1
    boxes = {(round(float(w)), round(float(h))) for w, h in MEDIA_BOX.findall(pdf)}
    assert boxes == {A4_POINTS}
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def test_print_shows_map_legend_and_caption_and_hides_the_controls(page):
    open_map(page, "/map/1858/")
    page.emulate_media(media="print")
    for selector in (
        ".year-control",
        ".year-slider",
        ".year-play",
        ".search",
        "#search-input",
        ".leaflet-control-zoom",
        ".api-links >> nth=0",
    ):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".atlas-legend").is_visible()
    assert page.locator(".map-area").is_visible()
    assert page.locator("path.atlas-feature-shanghai").first.is_visible()
    caption = page.locator('.year-panel[data-year="1858"]')
    assert caption.is_visible()
    assert caption.locator(".year-number").inner_text() == "1858"
    assert "the map at the end of the year" in caption.inner_text()
    assert caption.locator(".new-list li").first.is_visible()
    # The lists are kept short on paper.
    visible_events = caption.locator(".events > li").evaluate_all(
        "items => items.filter(li => getComputedStyle(li).display !== 'none').length"
    )
    assert 1 <= visible_events <= 5
    # On screen the controls are back.
    page.emulate_media(media="screen")
    assert page.locator(".year-control").is_visible()
    assert page.locator(".atlas-legend").is_visible()


def test_the_years_changed_on_the_page_is_the_year_printed(page):
    open_map(page, "/map/1858/")
    page.evaluate("window.atlas.setYear(1860)")
    page.emulate_media(media="print")
    assert page.locator('.year-panel[data-year="1860"]').is_visible()
    assert not page.locator('.year-panel[data-year="1858"]').is_visible()
    assert len(PAGE.findall(page.pdf(prefer_css_page_size=True))) == 1


def test_a_place_page_prints_with_its_map(page):
    open_map(page, "/places/shanghai/")
    assert page.locator('link[rel="stylesheet"][media="print"]').get_attribute("href") == (
        "/static/atlas/print.css"
    )
    page.emulate_media(media="print")
    assert page.locator(".place-map .leaflet-container").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert 1 <= len(PAGE.findall(pdf)) <= 3
