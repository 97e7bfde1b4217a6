"""Every GeoJSON file in geodata/ (base map included) is valid RFC 7946 with sources."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from shapely.geometry import shape

from atlas.maps.data import DRAWN_BASE_LAYERS

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
FILES = sorted(GEODATA.glob("*.geojson")) + sorted(GEODATA.glob("base/*.geojson"))


def positions(coords):
    if coords and isinstance(coords[0], int | float):
        yield coords
    else:
        for c in coords:
            yield from positions(c)


def test_there_are_layers_to_check():
    names = {f.relative_to(GEODATA).as_posix() for f in FILES}
    assert {"places.geojson", "borders.geojson", "territories.geojson"} <= names
    assert {"trade_zone.geojson", "routes.geojson"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(GEODATA).as_posix())
def test_rfc7946(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # RFC 7946: WGS 84 only, no crs member
    for f in doc["features"]:
        where = f.get("id") or f["properties"].get("slug") or f["properties"]
        assert f["type"] == "Feature"
        for lon, lat, *rest in positions(f["geometry"]["coordinates"]):
            assert -180 <= lon <= 200 and -90 <= lat <= 90, where  # base map unwraps Chukotka
            assert not rest, f"{where}: positions are [lon, lat]"
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty, where
        # RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type == "Polygon":
                assert poly.exterior.is_ccw, f"{where}: exterior ring is clockwise"
                assert all(not ring.is_ccw for ring in poly.interiors), where


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.parent == GEODATA], ids=lambda p: p.name
)  # fmt: skip
def test_atlas_features_cite_sources_and_certainty(path):
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        assert p["sources"] and all(isinstance(s, str) and s.strip() for s in p["sources"])
        assert p["certainty"] in {"exact", "approximate", "schematic"}
        # Anything drawn by hand says so.
        if any("by hand" in s for s in p["sources"]):
            assert p["certainty"] != "exact", p["slug"]


def test_the_base_map_cites_its_source_and_licence():
    text = (GEODATA / "README.md").read_text(encoding="utf-8")
    for words in ("GSHHG", "LGPL", "Natural Earth", "public domain", "CC BY 4.0", "GeoNames"):
        assert words in text


def test_no_year_embeds_more_than_400_kb_of_geojson():
    """The map pages load the base map and every year's features (the year control is
    instant). The states of every year (states.geojson, some 85 KB) raised the budget from
    300 KB: about 110 KB compressed, as the data files travel."""
    features = sum(p.stat().st_size for p in GEODATA.glob("*.geojson"))
    # The base map's layers the map draws (the land is its ground and is not sent).
    base = sum((GEODATA / "base" / f"{name}.geojson").stat().st_size for name in DRAWN_BASE_LAYERS)
    assert features + base <= 400 * 1024, (features, base)
