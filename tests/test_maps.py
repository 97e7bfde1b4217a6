"""The map builder: data ➜ folium.Map, with only our own assets and no queries; rendered to
no executable code."""

import json
import re

import folium
import pytest

from atlas import selectors
from atlas.maps.builders import build_atlas_map, popup_html
from atlas.maps.elements import js_literal
from atlas.maps.render import map_components, map_spec


@pytest.fixture
def features(mini):
    return selectors.atlas_timeline().features


def build(features, **kwargs):
    return map_components(
        build_atlas_map(features=features, year=1858, years=range(1857, 1863), **kwargs)
    )


def spec(components) -> dict:
    block = re.search(
        r'<script type="application/json" id="atlas-map-config">(.*?)</script>', components.html
    )
    return json.loads(block.group(1))


def layers(components) -> dict:
    return dict(spec(components)["layers"])


def test_builder_runs_no_queries(features, django_assert_num_queries):
    with django_assert_num_queries(0):
        components = build(features)
    assert "addFeatures" in layers(components)


def test_the_map_is_rendered_to_data_and_deferred_files_only(features):
    components = build(features)
    everything = components.header + components.html
    # Every script is a file loaded with defer, or the map's JSON block; no style element.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", everything, re.S)
    assert len(scripts) == 3
    for attrs, text in scripts:
        assert ('src="' in attrs and " defer" in attrs and not text) or (
            attrs == ' type="application/json" id="atlas-map-config"'
        ), attrs
    assert "<style" not in everything and "<meta" not in everything
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
    fmap = build_atlas_map(features=features, year=1858, years=range(1857, 1863))
    folium.Marker([31.2, 121.5]).add_to(fmap)
    with pytest.raises(TypeError, match="Marker"):
        map_spec(fmap)


def test_every_asset_is_served_from_our_origin(features):
    components = build(features)
    urls = re.findall(r'(?:src|href)="([^"]+)"', components.header)
    assert "/static/vendor/leaflet/leaflet.js" in urls
    assert "/static/vendor/leaflet/leaflet.css" in urls
    assert "/static/atlas/atlas.js" in urls
    assert all(url.startswith("/static/") for url in urls), urls
    everything = components.header + components.html
    assert "http://" not in everything and "https://" not in everything


def test_the_map_carries_every_years_features_and_popups(features):
    script = build(features, open_feature="shanghai").html
    assert '"year":1858' in script and '"years":[1857,1862]' in script
    for slug in ("shanghai", "kyakhta", "ussuri-common"):
        assert f'"slug":"{slug}"' in script
    assert '"valid_to":"1860-11-14"' in script
    assert '"open":"shanghai"' in script
    assert "Treaty of Tianjin" in script


def test_base_map_layers_are_drawn_when_given(features):
    land = {"type": "FeatureCollection", "features": []}
    assert "addBaseMap" in layers(build(features, basemap={"land": land}))
    assert "addBaseMap" not in layers(build(features))


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
