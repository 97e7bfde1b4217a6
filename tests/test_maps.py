"""The map builder: data ➜ folium.Map, with only our own assets and no queries; rendered to
no executable code. The data every map shares (atlas.maps.data): the base map, every year's
features and one language's words, built without queries."""

import json
import re

import folium
import pytest
from django.utils import translation

from atlas import geo, selectors
from atlas.maps.builders import bounds_view, build_atlas_map, build_place_map, first_view
from atlas.maps.data import DataLinks, features_data, popup_html, words_data
from atlas.maps.elements import js_literal
from atlas.maps.render import map_components, map_spec

DATA = DataLinks(
    base="/data/base.0123456789abcdef.js",
    features="/data/features.0123456789abcdef.js",
    words="/data/words.en.0123456789abcdef.js",
)


@pytest.fixture
def features(mini):
    return selectors.atlas_timeline().features


def build(features, data=DATA, **kwargs):
    return map_components(
        build_atlas_map(features=features, year=1858, years=range(1857, 1863), data=data, **kwargs)
    )


def spec(components) -> dict:
    block = re.search(
        r'<script type="application/json" id="atlas-map-config">(.*?)</script>', components.html
    )
    return json.loads(block.group(1))


def layers(components) -> dict:
    return dict(spec(components)["layers"])


def scripts(components) -> list[str]:
    return re.findall(r'<script src="([^"]+)" defer></script>', components.header)


def test_builder_runs_no_queries(features, django_assert_num_queries):
    with django_assert_num_queries(0):
        components = build(features)
    assert "addFeatures" in layers(components)


def test_the_map_is_rendered_to_data_and_deferred_files_only(features):
    components = build(features)
    everything = components.header + components.html
    # Every script is a file loaded with defer, or the map's JSON block; no style element.
    found = re.findall(r"<script\b([^>]*)>(.*?)</script>", everything, re.S)
    assert len(found) == 9
    for attrs, text in found:
        assert ('src="' in attrs and " defer" in attrs and not text) or (
            attrs == ' type="application/json" id="atlas-map-config"'
        ), attrs
    assert "<style" not in everything and "<meta" not in everything
    # The data files come first, so that atlas.js finds them when it runs.
    assert scripts(components) == [
        DATA.base,
        DATA.features,
        DATA.words,
        "/static/vendor/leaflet/leaflet.js",
        "/static/atlas/basemap.js",  # the base map's detailed tiles, before atlas.js uses them
        "/static/atlas/atlas.js",
        "/static/atlas/layers.js",  # the legend's switches
        "/static/atlas/labels.js",  # the names on the map
    ]
    # folium's random element ids do not reach the page: two renders are the same bytes.
    assert build(features) == components
    assert not re.search(r"_[0-9a-f]{32}", everything)
    # Leaflet's options as folium would pass them to L.map().
    assert spec(components)["map"] == {
        "center": [41.0, 118.0],
        "crs": "EPSG3857",
        "options": {
            "maxBounds": [[-5.0, 40.0], [75.0, 190.0]],
            "zoom": 4,
            "zoomControl": True,
            "preferCanvas": False,
        },
        "scale": True,
    }


def test_an_element_that_would_need_its_own_script_is_refused(features):
    fmap = build_atlas_map(features=features, year=1858, years=range(1857, 1863), data=DATA)
    folium.Marker([31.2, 121.5]).add_to(fmap)
    with pytest.raises(TypeError, match="Marker"):
        map_spec(fmap)


def test_every_asset_is_served_from_our_origin(features):
    components = build(features)
    urls = re.findall(r'(?:src|href)="([^"]+)"', components.header)
    assert "/static/vendor/leaflet/leaflet.css" in urls and "/static/atlas/atlas.css" in urls
    assert all(url.startswith(("/static/", "/data/")) for url in urls), urls
    everything = components.header + components.html
    assert "http://" not in everything and "https://" not in everything


def test_the_map_carries_only_its_own_options(features):
    components = build(features, open_feature="shanghai", mode="present")
    assert layers(components)["addFeatures"] == {
        "year": 1858,
        "years": [1857, 1862],
        "open": "shanghai",
        "controls": False,
        "mode": "present",
        "words": DATA.words,
    }
    # The legend names the kinds on the map, points first; its words are the words file's.
    assert layers(components)["addLegend"] == {
        "kinds": ["treaty_port", "city", "common_territory"],
        "approximate": True,
    }
    # No feature, popup or word of the atlas is in the page: they are the data files'.
    assert "Treaty of Tianjin" not in components.html and '"slug"' not in components.html


def test_the_base_map_is_drawn_when_there_is_one(features):
    assert "addBaseMap" in layers(build(features))
    no_base = DataLinks(base=None, features=DATA.features, words=DATA.words)
    assert "addBaseMap" not in layers(build(features, data=no_base))
    assert DATA.base not in build(features, data=no_base).header


def test_a_place_map_shows_that_place_alone_from_the_same_files(features):
    shanghai = next(f for f in features if f.slug == "shanghai")
    components = map_components(build_place_map(feature=shanghai, data=DATA))
    assert layers(components)["addFeatures"] == {
        "year": 1858,
        "years": [1858, 1858],
        "only": ["shanghai"],
        "controls": False,
        "words": DATA.words,
    }
    assert scripts(components)[:3] == [DATA.base, DATA.features, DATA.words]


def test_a_place_map_starts_on_its_place_so_nothing_is_drawn_twice(mini):
    # A point: at its centre, at zoom 5.
    shanghai = selectors.feature_detail(slug="shanghai")
    lon, lat = shanghai.geometry["coordinates"]
    view = spec(map_components(build_place_map(feature=shanghai, data=DATA)))["map"]["view"]
    assert view == {"center": [lat, lon], "zoom": 5}
    # An area: its bounds, widened by half its size on every side, no closer than zoom 5.
    area = selectors.feature_detail(slug="ussuri-common")
    west, south, east, north = geo.parse_geometry(area.geometry).bounds
    view = spec(map_components(build_place_map(feature=area, data=DATA)))["map"]["view"]
    dy, dx = (north - south) / 2, (east - west) / 2
    assert view["max_zoom"] == 5
    (s, w), (n, e) = view["bounds"]
    assert [s, w, n, e] == pytest.approx([south - dy, west - dx, north + dy, east + dx])


def test_the_atlas_map_starts_on_the_whole_region_unless_told(features):
    assert "view" not in spec(build(features))["map"]
    step = [[130.0, 42.0], [135.0, 48.0]]  # a presentation step's bounds: [lon, lat] corners
    assert spec(build(features, view=bounds_view(step)))["map"]["view"] == {
        "bounds": [[42.0, 130.0], [48.0, 135.0]]
    }
    line = {"type": "LineString", "coordinates": [[120.0, 50.0], [124.0, 53.0]]}
    assert first_view(line, max_zoom=6) == {"bounds": [[50.0, 120.0], [53.0, 124.0]], "max_zoom": 6}


def test_the_features_file_carries_every_years_features_with_their_years(features):
    data = json.loads(js_literal(features_data(features)))
    by_slug = {f["properties"]["slug"]: f["properties"] for f in data["features"]["features"]}
    assert {"shanghai", "kyakhta", "ussuri-common"} <= set(by_slug)
    assert by_slug["ussuri-common"]["valid_to"] == "1860-11-14"
    assert by_slug["ussuri-common"]["years"] == {"first": 1858, "last": 1859, "ended": 1860}
    assert by_slug["shanghai"]["name"]["ru"] == "Шанхай"
    # Styles without words: the file is the same in every language.
    assert set(data["styles"]["treaty_port"]) == {
        "color", "context", "geometry", "order", "radius", "importance", "backdrop",
    }  # fmt: skip
    with translation.override("ru"):
        assert features_data(features) == features_data(features)
        assert js_literal(features_data(features)) == js_literal(data)


def test_the_words_file_carries_one_languages_popups_names_and_legend(features):
    english = words_data(features)
    assert "Treaty of Tianjin" in english["popups"]["shanghai"]
    assert english["names"]["shanghai"] == "Shanghai"
    assert english["legend"]["treaty_port"] == "Open to Russian ships from 1858"
    assert english["text"]["legend"] == "Legend" and english["lang"] == "en"
    with translation.override("ru"):
        russian = words_data(features)
    assert russian["names"]["shanghai"] == "Шанхай" and russian["lang"] == "ru"
    assert russian["legend"]["treaty_port"] != english["legend"]["treaty_port"]


def test_popup_gives_the_treaty_basis_in_both_calendars(features):
    shanghai = next(f for f in features if f.slug == "shanghai")
    html = popup_html(shanghai)
    assert "Opened by:" in html and "Treaty of Tianjin" in html and "art. 3" in html
    assert "13 June 1858 N.S. (1 June O.S.)" in html
    assert "«Шанхай, Нинбо»" in html and "Shanghai, Ningbo" in html
    # Whether it is new depends on the year shown: the page reads the feature's years.
    assert 'class="new-badge" hidden' in html


def test_script_data_cannot_close_the_script_element():
    text = js_literal({"popup": "</script><script>alert(1)</script>", "amp": "&", "ls": "\u2028"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert "\u2028" not in text
