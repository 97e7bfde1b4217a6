"""A year's map prints as a one-page A4 landscape handout: map, legend and caption only."""

import re

import pytest

from tests.browser.conftest import wait_for

pytestmark = pytest.mark.browser

# A page object of the PDF, not the /Pages tree that holds them.
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
A4_POINTS = (842, 595)  # 297 × 210 mm


def open_map(page, path: str) -> None:
    page.goto(page.base_url + path)
    wait_for(page, "window.atlas && window.atlas.drawnAt")


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
        ".language-switch",
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
    # The year's events are listed by date and title.
    visible_events = caption.locator(".events > li").evaluate_all(
        "items => items.filter(li => getComputedStyle(li).display !== 'none').length"
    )
    assert 1 <= visible_events <= 6
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


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_year_prints_whole_with_its_popup_closed_and_its_legend_open(
    browser, atlas_server, language
):
    # A phone's size, where the legend starts folded: paper has it open all the same.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    page.goto(atlas_server.url + "/map/1858/?feature=shanghai")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    page.locator(".leaflet-popup").wait_for()
    # Then the sheet's size: A4 landscape within its 10 mm margins, at 96 px to the inch.
    page.set_viewport_size({"width": 1047, "height": 718})
    page.emulate_media(media="print")
    assert not page.locator(".leaflet-popup").is_visible()
    assert page.locator(".atlas-legend li").first.is_visible()
    for year in range(1857, 1863):
        page.evaluate(f"window.atlas.setYear({year})")
        panel = page.locator(f'.year-panel[data-year="{year}"]')
        # Nothing is cut off at the panel's foot, nor at any line's end.
        clipped = panel.evaluate(
            """panel => {
                const box = panel.closest('.side-panel');
                const out = [];
                if (box.scrollHeight > box.clientHeight + 1) out.push('panel: ' + box.scrollHeight);
                for (const e of panel.querySelectorAll('li, p, h2, h3'))
                    if (e.offsetParent && e.getBoundingClientRect().bottom
                        > box.getBoundingClientRect().bottom + 1) out.push(e.textContent);
                return out;
            }"""
        )
        assert clipped == [], year
        # Every item of the year's lists is on paper, or counted in the list's last line.
        lists = panel.locator(".new-list, .ended-list, .events").evaluate_all(
            """lists => lists.map(list => {
                const items = Array.from(list.children);
                const more = items.find(li => li.classList.contains('print-more'));
                const shown = items.filter(li => li !== more
                    && getComputedStyle(li).display !== 'none').length;
                return {
                    left: items.length - (more ? 1 : 0) - shown,
                    more: more && getComputedStyle(more).display !== 'none' ? more.textContent : '',
                };
            })"""
        )
        for found in lists:
            assert (found["left"] == 0) == (found["more"] == ""), (year, found)
            assert found["left"] == 0 or str(found["left"]) in found["more"], (year, found)
        assert not panel.locator(".event-description").first.is_visible()
    assert len(PAGE.findall(page.pdf(prefer_css_page_size=True))) == 1
    context.close()
