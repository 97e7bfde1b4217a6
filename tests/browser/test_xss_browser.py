"""No payload runs in a real browser: map, popups, tooltips, place and treaty pages, search.

The data is the mini dataset with tests/test_xss.py's payloads in every text; each payload that
ran would set ``window.__xss`` (or open a dialog).
"""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from atlas.models import Feature, Treaty
from tests.browser.conftest import wait_for
from tests.test_xss import PAYLOADS, xss_geodata

pytestmark = pytest.mark.browser


@pytest.fixture
def xss_page(page, tmp_path):
    # In place of the real atlas the server was started with: most records go.
    call_command("load_atlas", str(xss_geodata(tmp_path / "xss")), "--prune", stdout=StringIO())
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def assert_nothing_ran(page, where: str) -> None:
    page.wait_for_timeout(150)  # let onerror/onload/ontoggle handlers fire
    assert page.evaluate("typeof window.__xss") == "undefined", where
    assert page.dialogs == [], where


def test_no_payload_runs_on_the_map_its_popups_tooltips_and_search(xss_page):
    page = xss_page
    for year in (1858, 1860):
        page.goto(f"{page.base_url}/map/{year}/")
        wait_for(page, "window.atlas && window.atlas.map !== null")
        assert_nothing_ran(page, f"map {year}")
        slugs = page.evaluate("window.atlas.visibleFeatures()")
        assert slugs
        for slug in slugs:
            assert page.evaluate(f"window.atlas.openFeature({slug!r})") is True
            page.locator(".leaflet-popup-content").first.wait_for()
            assert_nothing_ran(page, f"popup {slug} in {year}")
        page.locator(".atlas-label").first.wait_for(state="attached")  # the names on the map
        assert_nothing_ran(page, f"names {year}")
    search = page.locator("#search-input")
    for query in (*PAYLOADS, "Shanghai", "en "):
        search.fill(query)
        search.press("Enter")
        assert_nothing_ran(page, f"search {query!r}")


def test_no_payload_runs_on_place_and_treaty_pages(xss_page):
    page = xss_page
    urls = [f"/places/{slug}/" for slug in Feature.objects.values_list("slug", flat=True)]
    urls += [f"/treaties/{slug}/" for slug in Treaty.objects.values_list("slug", flat=True)]
    urls += ["/map/1858/?feature=shanghai", "/map/1900/", "/api/features.geojson?year=1858"]
    for url in urls:
        page.goto(page.base_url + url)
        assert_nothing_ran(page, url)


def test_no_payload_runs_in_the_admin(xss_page):
    page = xss_page
    User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    page.goto(page.base_url + "/admin/login/?next=/admin/atlas/feature/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/atlas/feature/")
    assert_nothing_ran(page, "feature list")
    for feature in Feature.objects.all():
        page.goto(f"{page.base_url}/admin/atlas/feature/{feature.pk}/change/")
        wait_for(page, "window.atlasAdminPreview !== undefined")
        assert_nothing_ran(page, f"admin {feature.slug}")
        # The live preview draws the stored geometry and reports the shapely check.
        wait_for(
            page,
            "document.querySelector('.atlas-preview-status').textContent === 'Valid geometry.'",
        )
        assert page.watch.foreign_requests == []
