"""The map's own names (geodata/names.json): the ones the treaties' readers need, in every
language, where they belong, checked by the loader like every other file."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from shapely.geometry import Point, shape

from atlas import mapnames
from atlas.problems import AtlasDataError
from atlas.reading import atlas_read
from tests.conftest import MINI

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
NAMES = {n["slug"]: n for n in json.loads((GEODATA / "names.json").read_text())["names"]}


def layer(name: str) -> list:
    doc = json.loads((GEODATA / "base" / f"{name}.geojson").read_text(encoding="utf-8"))
    return [shape(f["geometry"]) for f in doc["features"]]


def test_the_names_the_treaties_need_in_both_languages():
    expected = {
        "region": {"Mongolia", "Manchuria", "Sakhalin"},
        "river": {"Amur", "Argun", "Shilka", "Zeya", "Sungari", "Ussuri", "Sungacha", "Tumen"},
        "lake": {"Lake Khanka", "Lake Baikal"},
        "sea": {"Sea of Japan", "Sea of Okhotsk", "Yellow Sea", "East China Sea"},
    }
    for kind, wanted in expected.items():
        found = {n["name"]["en"] for n in NAMES.values() if n["kind"] == kind}
        assert wanted <= found, kind
    assert NAMES["amur"]["name"]["ru"] == "Амур" and NAMES["sea-of-japan"]["name"]["ru"]
    assert all(n["sources"] and 0 <= n["importance"] <= 100 for n in NAMES.values())


def test_the_names_lie_where_they_belong():
    land, lakes = layer("land"), layer("lakes")
    for n in NAMES.values():
        for lon, lat in n.get("at", []):
            point = Point(lon, lat)
            on_land = any(g.contains(point) for g in land)
            in_lake = any(g.contains(point) for g in lakes)
            if n["kind"] == "sea":
                assert not on_land, (n["slug"], lon, lat)
            elif n["kind"] == "lake":
                assert in_lake, (n["slug"], lon, lat)
            else:
                assert on_land and not in_lake, (n["slug"], lon, lat)


def test_every_river_name_is_a_river_of_the_base_map():
    rivers = json.loads((GEODATA / "base/rivers.geojson").read_text())["features"]
    ids = {f.get("id") for f in rivers}
    assert {n["river"] for n in NAMES.values() if n["kind"] == "river"} <= ids


def test_the_sungacha_runs_along_the_border_of_1860():
    rivers = json.loads((GEODATA / "base/rivers.geojson").read_text())["features"]
    (sungacha,) = [shape(f["geometry"]) for f in rivers if f.get("id") == "sungacha"]
    borders = json.loads((GEODATA / "borders.geojson").read_text())["features"]
    (east,) = [shape(f["geometry"]) for f in borders if f["id"] == "border-east-1860"]
    # Every point of the river lies within about 5 km of the line the treaty drew along it.
    assert max(east.distance(Point(c)) for c in sungacha.coords) < 0.05


def test_the_page_gets_the_names_in_the_readers_language():
    with translation.override("ru"):
        names = {n["slug"]: n for n in mapnames.map_names()}
    assert names["amur"]["text"] == "Амур" and names["amur"]["river"] == "amur"
    assert names["sea-of-okhotsk"]["text"] == "Охотское море" and names["sea-of-okhotsk"]["at"]
    assert names["sakhalin"]["other"].startswith("не разделён")
    with translation.override("en"):
        assert {n["slug"]: n for n in mapnames.map_names()}["sungari"]["other"] == "Songhua"


@pytest.fixture
def with_names(tmp_path):
    target = tmp_path / "geodata"
    shutil.copytree(MINI, target)
    (target / "base").mkdir()
    shutil.copy(GEODATA / "base/rivers.geojson", target / "base")

    def write(*entries):
        (target / "names.json").write_text(json.dumps({"names": list(entries)}), encoding="utf-8")
        return target

    return write


GOOD = {
    "slug": "yellow-sea",
    "kind": "sea",
    "name": {"en": "Yellow Sea", "ru": "Жёлтое море", "zh-hans": "黄海"},
    "other": None,
    "at": [[123.6, 35.6]],
    "zoom": [3, 8],
    "importance": 80,
    "sources": ["IHO S-23"],
}


def test_the_loader_reads_good_names(db, with_names):
    river = {**GOOD, "slug": "amur", "kind": "river", "river": "amur"}
    del river["at"]
    data = atlas_read(path=with_names(GOOD, river))
    assert [n["slug"] for n in data.names] == ["yellow-sea", "amur"]
    assert "names.json" in data.files


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": "ocean"}, "'kind': must be one of region, sea, lake, river"),
        ({"name": {"en": "Yellow Sea"}}, "'name': needs a non-empty text in every language"),
        ({"zoom": [8, 3]}, "'zoom': must be [min_zoom, max_zoom]"),
        ({"importance": 101}, "'importance': must be a whole number from 0 to 100"),
        ({"at": [[35.6, 123.6]]}, "'at': must be a list of [lon, lat] inside the atlas region"),
        ({"river": "amur"}, mapnames.ERR_PLACE),
        ({"kind": "river", "river": "volga", "at": None}, "a river base/rivers.geojson does not"),
        ({"sources": []}, "'sources': must be a non-empty list of citations"),
        ({"colour": "blue"}, "unknown property 'colour'"),
    ],
)
def test_the_loader_names_what_is_wrong_with_a_name(db, with_names, change, message):
    entry = {k: v for k, v in {**GOOD, **change}.items() if v is not None or k == "other"}
    with pytest.raises(AtlasDataError) as caught:
        atlas_read(path=with_names(entry))
    text = str(caught.value)
    assert "names.json: name 'yellow-sea': " in text and message in text, text


def test_a_name_twice_is_refused(db, with_names):
    with pytest.raises(AtlasDataError, match="duplicate name slug 'yellow-sea'"):
        atlas_read(path=with_names(GOOD, GOOD))
