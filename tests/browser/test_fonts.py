"""Cyrillic and Chinese characters render as glyphs, not as tofu boxes, in the real browser."""

import pytest

pytestmark = pytest.mark.browser

# Draws a text on a canvas with the page's own font and returns its pixels, so that a glyph can
# be compared with the box the browser draws for a character no font has (U+10FFFD).
DRAW = """([text, font]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 40;
  const ctx = canvas.getContext('2d');
  ctx.font = font;
  ctx.fillStyle = '#000';
  ctx.fillText(text, 4, 30);
  return Array.from(ctx.getImageData(0, 0, 64, 40).data).join(',');
}"""


def font_of(page, selector: str) -> str:
    return page.eval_on_selector(
        selector, "e => { const s = getComputedStyle(e); return `${s.fontSize} ${s.fontFamily}`; }"
    )


@pytest.mark.parametrize("text", ["上", "廈", "门", "Ж", "ё", "ǎ"])
def test_every_script_has_a_glyph(page, text):
    page.goto(page.base_url + "/places/xiamen/")
    font = font_of(page, "dd")
    missing = page.evaluate(DRAW, ["\U0010fffd", font])
    drawn = page.evaluate(DRAW, [text, font])
    blank = page.evaluate(DRAW, ["", font])
    assert drawn != blank, f"{text!r} draws nothing"
    assert drawn != missing, f"{text!r} is drawn as a missing-glyph box in {font}"


def test_the_place_page_shows_its_chinese_and_russian_names(page):
    page.goto(page.base_url + "/places/xiamen/")
    names = page.locator("dl.names").inner_text()
    assert "廈門" in names and "厦门" in names and "Сямэнь" in names and "Xiàmén" in names
