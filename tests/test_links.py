"""atlas.links: the site's addresses, absolute on the server, relative in the offline bundle."""

import pytest

from atlas.links import bundle_file, bundle_page, in_bundle, link, page_file, static_link


def test_on_the_server_links_are_the_sites_urls():
    assert not in_bundle()
    assert link("index") == "/"
    assert link("year-map", 1858, feature="aigun") == "/map/1858/?feature=aigun"
    assert link("api-features", year=1861) == "/api/features.geojson?year=1861"
    assert link("embed", 1858) == "/embed/1858/"
    assert static_link("atlas/atlas.css") == "/static/atlas/atlas.css"


def test_in_the_bundle_links_are_relative_to_the_page_being_rendered():
    with bundle_page("places/aigun/index.html") as page:
        assert in_bundle()
        assert link("index") == "../../index.html"
        assert link("place", "aigun") == "index.html"
        assert link("treaty", "aigun-1858") == "../../treaties/aigun-1858/index.html"
        assert link("year-map", 1858, feature="aigun") == "../../map/1858/index.html?feature=aigun"
        assert link("year-map", "0000") == "../../map/0000/index.html"
        assert link("api-features", year=1861) == "../../api/features-1861.geojson"
        assert link("api-treaties") == "../../api/treaties.json"
        assert static_link("atlas/atlas.js") == "../../static/atlas/atlas.js"
        # A page the bundle does not hold keeps its address and is reported.
        assert link("embed", 1858) == "/embed/1858/"
    assert page.statics == {"atlas/atlas.js"}
    assert page.unresolved == {"/embed/1858/"}
    assert not in_bundle()
    with bundle_page("index.html"):
        assert link("present") == "present/index.html"
        assert static_link("vendor/leaflet/leaflet.css") == "static/vendor/leaflet/leaflet.css"
    assert link("present") == "/present/"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/", ("index.html", "")),
        ("/map/1860/", ("map/1860/index.html", "")),
        ("/map/1860/?feature=vladivostok", ("map/1860/index.html", "?feature=vladivostok")),
        ("/places/aigun/", ("places/aigun/index.html", "")),
        ("/treaties/peking-1860/#art-1", ("treaties/peking-1860/index.html", "#art-1")),
        ("/present/", ("present/index.html", "")),
        ("/api/features.geojson?year=1861", ("api/features-1861.geojson", "")),
        ("/api/treaties.json", ("api/treaties.json", "")),
        ("/admin/", None),
        ("/embed/1858/", None),
        ("/language/ru/", None),
        ("/api/features.geojson", None),
        ("/no/such/page/", None),
    ],
)
def test_bundle_file(url, target):
    assert bundle_file(url) == target


def test_page_file():
    assert page_file("/") == "index.html"
    assert page_file("/map/1858/") == "map/1858/index.html"


@pytest.mark.django_db
def test_the_sites_pages_are_not_in_bundle_mode(client, atlas):
    for path in ("/", "/map/1858/", "/places/shanghai/", "/treaties/aigun-1858/"):
        html = client.get(path).content.decode()
        assert "data-year-url" not in html, path
        assert '<nav class="language-switch"' in html, path
        assert 'href="/static/atlas/favicon.svg"' in html, path
    present = client.get("/present/").content.decode()
    assert 'src="/static/atlas/present.js"' in present and 'href="/"' in present
