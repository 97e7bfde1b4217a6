"""What every page says about itself: one viewport that lets a reader zoom, one character set,
one first-level heading, a description; and what the map page gives a screen reader and paper."""

import datetime as dt
from html.parser import HTMLParser

import pytest

from atlas.models import Feature

PAGES = [
    "/",
    "/map/1860/",
    "/map/1862/?feature=shanghai",
    "/present/",
    "/present/?step=7",
    "/embed/1860/",
    "/places/shanghai/",
    "/places/ussuri-cession/",
    "/treaties/tianjin-1858/",
    "/map/1900/",  # the page that says there is no such map
    "/places/nowhere/",  # not found
]


class Outline(HTMLParser):
    """The tags of a page that these tests count, with their attributes."""

    def __init__(self):
        super().__init__()
        self.metas: list[dict[str, str]] = []
        self.h1 = 0
        self.live: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.metas.append(attributes)
        if tag == "h1":
            self.h1 += 1
        if "aria-live" in attributes or attributes.get("role") == "status":
            self.live.append({"tag": tag, **attributes})


def outline(client, path: str, language: str = "en") -> Outline:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code in (200, 404), path
    parsed = Outline()
    parsed.feed(response.content.decode())
    return parsed


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("path", PAGES)
def test_one_zoomable_viewport_one_charset_one_h1_and_a_description(client, atlas, path, language):
    page = outline(client, path, language)
    viewports = [m for m in page.metas if m.get("name") == "viewport"]
    assert len(viewports) == 1, path
    content = viewports[0]["content"].replace(" ", "")
    assert content == "width=device-width,initial-scale=1", path
    assert [m for m in page.metas if "charset" in m] == [{"charset": "utf-8"}], path
    assert not [m for m in page.metas if "http-equiv" in m], path
    assert page.h1 == 1, path
    descriptions = [m["content"] for m in page.metas if m.get("name") == "description"]
    assert len(descriptions) == 1 and len(descriptions[0]) > 40, path


def test_the_map_page_speaks_a_short_status_not_its_whole_panel(client, atlas):
    live = outline(client, "/map/1860/").live
    # The search's status and the year's announcement (access.js) are the only live regions.
    assert sorted(e.get("class") for e in live) == ["search-status", "visually-hidden"]
    status = next(e for e in live if e.get("id") == "atlas-status")
    assert status["data-year-summary"] == "{year}: {new} new, {ended} ended"
    russian = next(e for e in outline(client, "/map/1860/", "ru").live if e.get("id"))
    assert russian["data-year-summary"] == "{year}: новых — {new}, закончилось — {ended}"


def test_a_list_too_long_for_paper_ends_with_how_many_more(client, mini):
    for i in range(20):
        Feature.objects.create(
            slug=f"post-{i}",
            kind="settlement",
            name={"en": f"Post {i}", "ru": f"Пост {i}"},
            geometry={"type": "Point", "coordinates": [130 + i / 10, 48]},
            valid_from=dt.date(1859, 6, 1),
            valid_from_precision="day",
            certainty="approximate",
            sources=["a test"],
        )
    html = client.get("/map/1859/").content.decode()
    panel = html[html.index('<section class="year-panel" data-year="1859"') :]
    panel = panel[: panel.index("</section>")]
    new_list = panel[panel.index('<ul class="new-list">') : panel.index("</ul>")]
    assert new_list.count("<li") == 21  # all twenty on screen, and the line for paper
    assert new_list.count('class="print-cut"') == 6
    assert '<li class="print-more">…and 6 more</li>' in new_list
    russian = client.get("/map/1859/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<li class="print-more">…и ещё 6</li>' in russian
