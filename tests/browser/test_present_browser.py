"""Presentation mode in real Chromium at a projector's 1280×720, driven as a clicker does."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import wait_for

pytestmark = pytest.mark.browser

STEPS = json.loads((Path(settings.ATLAS_GEODATA_DIR) / "story.json").read_text())["steps"]


def caption(page) -> str:
    return page.locator(".present-quote").inner_text()


def test_pagedown_steps_the_story_year_caption_and_address(page):
    page.goto(page.base_url + "/present/")
    wait_for(page, "window.atlas && window.atlas.present")
    assert page.evaluate("window.atlas.year") == STEPS[0]["year"]
    assert STEPS[0]["essay_ru"] in caption(page)
    page.keyboard.press("PageDown")
    assert page.evaluate("window.atlas.year") == STEPS[1]["year"]
    assert STEPS[1]["essay_ru"] in caption(page)
    assert STEPS[1]["caption_en"] in page.locator(".present-translation").inner_text()
    assert page.url.endswith("?step=2")
    assert page.locator(".present-number").inner_text() == "2"
    # The step's features are the highlighted ones, and they are on the map.
    highlighted = page.evaluate(
        "Array.from(document.querySelectorAll('.atlas-highlight'))"
        ".flatMap(e => Array.from(e.classList)).filter(c => c.startsWith('atlas-feature-'))"
    )
    assert {c.removeprefix("atlas-feature-") for c in highlighted} == set(STEPS[1]["features"])
    page.keyboard.press("PageUp")
    assert page.url.endswith("?step=1") and STEPS[0]["essay_ru"] in caption(page)
    assert not page.watch.errors and not page.watch.foreign_requests


def test_every_key_a_presenter_uses(page):
    page.goto(page.base_url + "/present/?step=3")
    wait_for(page, "window.atlas && window.atlas.present")
    assert STEPS[2]["essay_ru"] in caption(page)
    for key, step in [("ArrowRight", 4), ("Space", 5), ("ArrowLeft", 4), ("End", len(STEPS)),
                      ("PageDown", len(STEPS)), ("Home", 1), ("PageUp", 1)]:  # fmt: skip
        page.keyboard.press(key)
        assert page.locator(".present-number").inner_text() == str(step), key
        assert page.evaluate("window.atlas.year") == STEPS[step - 1]["year"], key
    # The buttons work by mouse and by keyboard focus alike.
    page.locator(".present-next").click()
    assert page.locator(".present-number").inner_text() == "2"
    assert page.locator(".present-prev").is_enabled()


def test_reload_keeps_the_step(page):
    page.goto(page.base_url + "/present/?step=6")
    wait_for(page, "window.atlas && window.atlas.present")
    page.keyboard.press("PageDown")
    page.reload()
    wait_for(page, "window.atlas && window.atlas.present")
    assert page.locator(".present-number").inner_text() == "7"
    assert STEPS[6]["essay_ru"] in caption(page)


def px(page, selector: str) -> float:
    size = page.eval_on_selector(selector, "e => getComputedStyle(e).fontSize")
    return float(re.fullmatch(r"([\d.]+)px", size).group(1))


def test_readable_from_the_back_row(page):
    page.goto(page.base_url + "/present/?step=2")
    wait_for(page, "window.atlas && window.atlas.present")
    for selector in (".present-title", ".present-quote", ".present-translation", ".present-note",
                     ".present-counter", ".present-year"):  # fmt: skip
        assert px(page, selector) >= 28, selector
    # The caption fits the projector's screen: nothing of it is scrolled out of sight.
    for n in range(1, len(STEPS) + 1):
        page.evaluate(f"window.atlas.present.show({n})")
        overflow = page.eval_on_selector(".present-panel", "e => e.scrollHeight - e.clientHeight")
        assert overflow <= 0, f"step {n} overflows by {overflow}px"
    # The map fills the rest of the window.
    box = page.locator(".present-map .folium-map").bounding_box()
    assert box["height"] == 720 and box["width"] >= 700


def test_f_toggles_full_screen(page):
    page.goto(page.base_url + "/present/")
    wait_for(page, "window.atlas && window.atlas.present")
    page.keyboard.press("f")
    wait_for(page, "document.fullscreenElement !== null")
    assert page.locator(".present-fullscreen").get_attribute("aria-pressed") == "true"
    page.keyboard.press("f")
    wait_for(page, "document.fullscreenElement === null")
