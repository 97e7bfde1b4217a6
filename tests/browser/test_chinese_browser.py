"""The atlas in Chinese in the real browser: a reader whose browser asks for Chinese, the popup,
the search by characters and pinyin, the print handout and the PNG export, with CJK glyphs."""

import pytest

from tests.browser.conftest import wait_for
from tests.browser.test_fonts import DRAW, font_of

pytestmark = pytest.mark.browser


@pytest.fixture
def zh_page(page):
    page.context.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.goto(page.base_url + "/map/1860/")
    wait_for(page, "window.atlas && window.atlas.drawnAt")
    return page


def test_a_chinese_reader_gets_the_map_and_a_popup_in_chinese(zh_page):
    page = zh_page
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator(".atlas-legend").inner_text().startswith("图例")
    page.evaluate("atlas.openFeature('khabarovsk')")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "伯力" in text and "瑷珲条约" in text and "咸丰八年四月十六日" in text
    # The popup's Chinese is drawn with a CJK font, not as missing-glyph boxes.
    font = font_of(page, ".leaflet-popup-content .popup-name")
    for char in "伯力瑷珲":
        assert page.evaluate(DRAW, [char, font]) != page.evaluate(DRAW, ["\U0010fffd", font])
    assert page.watch.errors == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [("海参崴", "vladivostok"), ("海參崴", "vladivostok"), ("haishenwai", "vladivostok"),
     ("Hai shen wai", "vladivostok"), ("Hǎilánpào", "blagoveshchensk"), ("bo li", "khabarovsk"),
     ("庙街", "nikolaevsk"), ("張家口", "kalgan")],
)  # fmt: skip
def test_search_by_characters_in_either_script_and_by_pinyin(zh_page, query, slug):
    assert zh_page.evaluate("q => atlas.findFeature(q)", query) == slug


def test_the_print_handout_in_chinese(zh_page):
    page = zh_page
    page.emulate_media(media="print")
    caption = page.locator('.year-panel[data-year="1860"]')
    assert caption.is_visible() and "年末时的地图" in caption.inner_text()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    # The CJK font is embedded: the PDF names it (a missing font would leave boxes).
    assert b"NotoSansCJK" in pdf or b"NotoSerifCJK" in pdf or b"SourceHan" in pdf
