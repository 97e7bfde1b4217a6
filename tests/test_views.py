"""Pages and the JSON API, on the real atlas in geodata/."""

import json
import re

import pytest

from atlas import views
from atlas.models import Feature

TIANJIN_PORTS = {"shanghai", "ningbo", "fuzhou", "xiamen", "guangzhou", "tainan", "qiongzhou"}


def geojson(client, year):
    response = client.get("/api/features.geojson", {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def ports(collection):
    return {
        f["properties"]["slug"]
        for f in collection["features"]
        if f["properties"]["kind"] == "treaty_port"
    }


def test_1857_has_no_treaty_port(client, atlas):
    assert ports(geojson(client, 1857)) == set()


def test_1858_has_exactly_the_seven_tianjin_ports_each_with_its_basis(client, atlas):
    collection = geojson(client, 1858)
    assert collection["type"] == "FeatureCollection"
    assert ports(collection) == TIANJIN_PORTS
    for feature in collection["features"]:
        props = feature["properties"]
        if props["kind"] != "treaty_port":
            continue
        assert feature["id"] == props["slug"]
        assert feature["geometry"]["type"] == "Point"
        assert {"treaty": "tianjin-1858", "article": "3", "clause": "tianjin-1858-art3",
                "role": "opened_to_russia_by"} in props["basis"]  # fmt: skip
        for key in ("name", "valid_from", "valid_to", "certainty", "sources"):
            assert key in props
        assert props["name"]["en"] and props["name"]["ru"] and props["name"]["zh"]


@pytest.mark.parametrize("year", [1859, 1860, 1861, 1862])
def test_the_ports_stay_open_after_1858(client, atlas, year):
    assert ports(geojson(client, year)) == TIANJIN_PORTS


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({}, 400, views.ERR_YEAR_REQUIRED),
        ({"year": "1858a"}, 400, views.ERR_YEAR_NOT_NUMBER),
        ({"year": "1856"}, 404, views.ERR_YEAR_RANGE.format(first=1857, last=1862)),
        ({"year": "1863"}, 404, views.ERR_YEAR_RANGE.format(first=1857, last=1862)),
    ],
)
def test_features_api_rejects_bad_years_clearly(client, db, query, status, message):
    response = client.get("/api/features.geojson", query)
    assert response.status_code == status
    assert response.json() == {"error": message}


def test_treaties_api_gives_both_calendars(client, atlas):
    treaties = {t["slug"]: t for t in client.get("/api/treaties.json").json()["treaties"]}
    russian = {slug for slug, t in treaties.items() if not t["context"]}
    assert russian == {"aigun-1858", "tianjin-1858", "peking-1860", "rules-1862"}
    assert {t["power"] for t in treaties.values() if t["context"]} == {
        "britain", "france", "united_states"
    }  # fmt: skip
    assert treaties["peking-1860"]["people"] == ["ignatiev", "prince-gong"]
    expected = {
        "aigun-1858": ("1858-05-16", "1858-05-28"),
        "tianjin-1858": ("1858-06-01", "1858-06-13"),
        "peking-1860": ("1860-11-02", "1860-11-14"),
        "rules-1862": ("1862-02-20", "1862-03-04"),
    }
    for slug, (julian, gregorian) in expected.items():
        assert (treaties[slug]["signed"]["julian"], treaties[slug]["signed"]["gregorian"]) == (
            julian,
            gregorian,
        )
    tianjin = treaties["tianjin-1858"]
    assert tianjin["signed"]["text"]["en"] == "13 June 1858 N.S. (1 June O.S.)"
    art3 = next(c for c in tianjin["clauses"] if c["id"] == "tianjin-1858-art3")
    assert art3["article"] == "3" and "Шанхай" in art3["essay_ru"] and art3["text_en"]


@pytest.mark.parametrize("year", range(1857, 1863))
def test_every_year_has_a_map_page(client, atlas, year):
    response = client.get(f"/map/{year}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<section class="year-panel" data-year="{year}">' in html  # the one not hidden
    assert f'value="{year}" aria-label="Year"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "https://" not in html.split("<body")[0]  # nothing in <head> from another origin


def test_home_shows_the_default_year(client, atlas, settings):
    response = client.get("/")
    assert response.status_code == 200
    assert (
        f'<span class="year-number">{settings.ATLAS_DEFAULT_YEAR}</span>'
        in response.content.decode()
    )


@pytest.mark.parametrize("year", [1856, 1863, 0, 99999999999999999999])
def test_years_out_of_range_get_a_friendly_404(client, db, year):
    response = client.get(f"/map/{year}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"There is no map for {year}" in html
    assert 'href="/map/1857/"' in html and 'href="/map/1862/"' in html


def test_1858_map_lists_the_events_of_the_year(client, atlas):
    html = client.get("/map/1858/").content.decode()
    panel = html.split('<section class="year-panel" data-year="1858">')[1].split("</section>")[0]
    assert "Tianjin" in panel and "Aigun" in panel
    assert "N.S." in panel and "O.S." in panel
    assert "Rules" not in panel


def test_feature_query_opens_that_popup(client, atlas):
    html = client.get("/map/1858/", {"feature": "shanghai"}).content.decode()
    assert '"open":"shanghai"' in html
    # The map starts where the popup opens (a point: at zoom 5), so it is drawn once.
    lon, lat = Feature.objects.get(slug="shanghai").geometry["coordinates"]
    assert map_config(html)["map"]["view"] == {"center": [lat, lon], "zoom": 5}
    # An area opens framed by its bounds; a name the atlas does not know opens nothing.
    html = client.get("/embed/1860/", {"feature": "ussuri-cession"}).content.decode()
    assert map_config(html)["map"]["view"]["max_zoom"] == 6
    html = client.get("/map/1858/", {"feature": "atlantis"}).content.decode()
    assert "view" not in map_config(html)["map"]


def map_config(html: str) -> dict:
    return json.loads(re.search(r'id="atlas-map-config">(.*?)</script>', html)[1])


def test_place_page_gives_names_timeline_clauses_and_a_small_map(client, atlas):
    response = client.get("/places/xiamen/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Xiamen", "Amoy", "Сямэнь", "廈門", "Xiàmén"):
        assert name in html, name
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "13 June 1858 N.S. (1 June O.S.)" in timeline and "Treaty of Tianjin" in timeline
    assert "art. 3" in html and "«" in html  # the clause, in the essay's words
    assert "addFeatures" in html and "/static/vendor/leaflet/leaflet.js" in html
    assert 'href="/map/1858/?feature=xiamen"' in html


def test_treaty_page_gives_dates_signatories_and_clauses_with_their_features(client, atlas):
    response = client.get("/treaties/tianjin-1858/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "13 June 1858 N.S. (1 June O.S.)" in html
    assert "Putyatin" in html
    art3 = html.split('id="tianjin-1858-art3"')[1].split("</section>")[0]
    for port in ("Shanghai", "Ningbo", "Fuzhou", "Xiamen", "Guangzhou", "Tainan", "Qiongzhou"):
        assert port in art3, port


def test_unknown_places_and_treaties_are_404(client, db):
    assert client.get("/places/atlantis/").status_code == 404
    assert client.get("/treaties/versailles-1919/").status_code == 404
