"""The data files every map page shares: named by their content, served for a year, renamed
when the data changes; the pages carry only their own words and a little JSON."""

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache

from atlas import basemap, datafiles
from atlas import cache as page_cache
from atlas.models import Feature
from tests.conftest import MINI, load
from tests.test_admin import form_data

MAP_PAGES = [
    "/",
    "/map/1858/",
    "/map/1862/?feature=shanghai",
    "/present/",
    "/present/?step=3",
    "/embed/1860/",
    "/places/shanghai/",
    "/places/ussuri-common/",
]
DATA_FILE = re.compile(r'<script src="(/data/[^"]+)" defer></script>')
ASSIGNMENT = re.compile(r"\(window\.atlasData = window\.atlasData \|\| \{\}\)\.(\w+) = (.*);\n")


def read_data_file(text: str) -> tuple[str, dict]:
    """(part, value) of a data file: a script that hands its JSON to window.atlasData."""
    match = ASSIGNMENT.fullmatch(text)
    assert match, text[:200]
    return match[1], json.loads(match[2])


def data_files(client, path: str, **headers) -> list[str]:
    return DATA_FILE.findall(client.get(path, **headers).content.decode())


@pytest.mark.django_db
def test_every_map_page_loads_the_same_data_files_before_its_code(client, atlas):
    names = data_files(client, "/map/1858/")
    assert [re.sub(r"\.[0-9a-f]{16}\.js$", "", n) for n in names] == [
        "/data/base",
        "/data/features",
        "/data/words.en",
    ]
    for path in MAP_PAGES:
        html = client.get(path).content.decode()
        assert DATA_FILE.findall(html) == names, path
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts.index(names[-1]) < scripts.index("/static/atlas/atlas.js"), path
    # Another language: its own words, the same base map and features.
    russian = data_files(client, "/map/1858/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian[:2] == names[:2] and russian[2] != names[2]
    assert russian[2].startswith("/data/words.ru.")
    assert data_files(client, "/treaties/aigun-1858/") == []


@pytest.mark.django_db
def test_a_map_page_carries_only_its_own_words_and_a_little_json(client, atlas):
    for path in MAP_PAGES:
        html = client.get(path).content.decode()
        # Its own words: the six years' panels with their events, the controls, the switches.
        # (What a second page transfers, gzipped, is budgeted in benchmarks/page_size.py.)
        assert len(html.encode()) < 36_000, path
        # No geometry, popup or feature record: those are the data files'.
        for key in ('"coordinates":', '"popups":', '"basis":', '"sources":'):
            assert key not in html, (path, key)
        config = re.search(r'id="atlas-map-config">(.*?)</script>', html)[1]
        assert len(config) < 1_000, path


@pytest.mark.django_db
def test_each_data_file_holds_its_part(client, atlas):
    base, features, words = data_files(client, "/map/1858/")
    part, layers = read_data_file(client.get(base).content.decode())
    assert part == "base" and set(layers) == {"sea", "lakes", "rivers"}
    part, data = read_data_file(client.get(features).content.decode())
    assert part == "features"
    slugs = {f["properties"]["slug"] for f in data["features"]["features"]}
    assert slugs == set(Feature.objects.values_list("slug", flat=True))
    assert all(
        isinstance(f["properties"]["years"]["first"], int) for f in data["features"]["features"]
    )
    assert "label" not in data["styles"]["treaty_port"]
    part, texts = read_data_file(client.get(words).content.decode())
    assert part == "words" and texts["lang"] == "en" and set(texts["popups"]) == slugs
    assert texts["names"]["shanghai"] == "Shanghai" and texts["text"]["legend"] == "Legend"


@pytest.mark.django_db
def test_a_data_file_is_kept_for_a_year_compressed_and_revalidated(client, atlas):
    for name in data_files(client, "/map/1860/"):
        response = client.get(name)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/javascript; charset=utf-8"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        digest = re.search(r"\.([0-9a-f]{16})\.js$", name)[1]
        assert response["ETag"] == f'W/"{digest}"'
        # Served before the language middleware: one file for every reader's language.
        assert response["Vary"] == "Accept-Encoding" and "Content-Language" not in response
        assert response["Content-Length"] == str(len(response.content))
        assert "script-src 'self';" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        zipped = client.get(name, HTTP_ACCEPT_ENCODING="gzip, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == response.content
        again = client.get(name, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b""
        head = client.head(name)
        assert head.status_code == 200 and head.content == b"" and head["ETag"] == response["ETag"]


@pytest.mark.django_db
def test_a_data_file_is_served_from_the_cache(client, atlas, django_assert_num_queries):
    names = data_files(client, "/map/1860/")
    for name in names:
        client.get(name)
    with django_assert_num_queries(0):
        for name in names:
            assert client.get(name).status_code == 200


@pytest.mark.django_db
def test_a_data_file_is_the_same_bytes_in_every_worker(client, atlas):
    names = data_files(client, "/map/1858/")
    bodies = [client.get(n).content for n in names]
    cache.clear()  # another worker: another data version, built again
    assert data_files(client, "/map/1858/") == names
    assert [client.get(n).content for n in names] == bodies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "features.js",
        "features.0123456789abcdef.json",
        "words.0123456789abcdef.js",  # words need a language
        "base.en.0123456789abcdef.js",  # the base map has none
        "words.de.0123456789abcdef.js",  # not one of the atlas' languages
        "words.EN.0123456789abcdef.js",
        "treaties.0123456789abcdef.js",
        "features.0123456789ABCDEF.js",
        "..%2Fsettings.py",
        "tile.e0n0.0123456789abcdef.js",  # a cell with no land
        "tile.0123456789abcdef.js",
        "tiles.en.0123456789abcdef.js",
    ],
)
def test_a_name_that_is_no_data_file_is_404(client, atlas, name):
    assert client.get(f"/data/{name}").status_code == 404


@pytest.mark.django_db
def test_a_data_file_is_read_only(client, atlas):
    name = data_files(client, "/map/1858/")[0]
    assert client.post(name).status_code == 405
    assert client.put(name).status_code == 405


@pytest.mark.django_db
def test_an_outdated_name_leads_to_the_current_file(client, atlas):
    current = data_files(client, "/map/1858/")[1]
    response = client.get("/data/features.0123456789abcdef.js")
    assert response.status_code == 302 and response["Location"] == current
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.django_db(transaction=True)
def test_a_change_of_the_data_renames_the_files_it_changes(client):
    load(MINI)
    base, features, words = data_files(client, "/map/1858/")
    load(MINI)  # nothing changed: the same files
    assert data_files(client, "/map/1858/") == [base, features, words]
    editor = User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    client.force_login(editor)
    shanghai = Feature.objects.get(slug="shanghai")
    url = f"/admin/atlas/feature/{shanghai.pk}/change/"
    data = form_data(client.get(url))
    data["name_en"] = "Shanghai (edited)"
    assert client.post(url, data).status_code == 302
    client.logout()
    after = data_files(client, "/map/1858/")
    assert after[0] == base  # the base map did not change
    assert after[1] != features and after[2] != words
    part, texts = read_data_file(client.get(after[2]).content.decode())
    assert texts["names"]["shanghai"] == "Shanghai (edited)"
    # A page rendered before the edit still finds the files, as they are now.
    assert client.get(words)["Location"] == after[2]


@pytest.mark.django_db
def test_the_data_files_are_among_the_sites_pages(atlas):
    paths = page_cache.site_pages()
    assert [p for p in paths if p.startswith("/data/")] == datafiles.site_files()
    # The base map, the features, a language's words, and the index of the base map's tiles
    # (the tiles themselves are asked for only when a map zooms in).
    assert len(datafiles.site_files()) == 4
    assert "/data/tiles." in datafiles.site_files()[-1]


@pytest.mark.django_db
def test_data_in_a_file_cannot_close_a_script_element(atlas):
    for file in datafiles.current_files():
        text = file.body.decode()
        assert "<" not in text and "\u2028" not in text and "\u2029" not in text


TILE_ASSIGNMENT = re.compile(
    r"\(\(window\.atlasData = window\.atlasData \|\| \{\}\)\.tile = window\.atlasData\.tile"
    r' \|\| \{\}\)\["(e\d+[ns]\d+)"\] = (.*);\n',
    re.S,
)


COMMITTED_TILES = Path(settings.ATLAS_GEODATA_DIR) / "base/tiles"
TILE_FILE = re.compile(r"tile\.(e\d+[ns]\d+)\.([0-9a-f]{16})\.js")


def index_cells(index: dict) -> set[str]:
    """The cells the index lists: by row, {south edge: [west edges]}, as e132n40."""
    return {
        f"e{x}{'n' if int(y) >= 0 else 's'}{abs(int(y))}"
        for y, xs in index["cells"].items()
        for x in xs
    }


def tile_names(index: dict) -> dict[str, str]:
    """Each cell's file name, as the page makes it from the index."""
    return {cell: index["file"].replace("{cell}", cell) for cell in index_cells(index)}


@pytest.mark.django_db
def test_the_base_maps_tiles_are_data_files_named_by_their_content(client, atlas):
    """The map page names the index of the detailed level; the index gives the tiles' file
    name, beside it; each is kept a year, compressed, and an outdated name leads to the
    current."""
    html = client.get("/map/1860/").content.decode()
    config = json.loads(re.search(r'id="atlas-map-config">(.*?)</script>', html)[1])
    (base,) = [options for call, options in config["layers"] if call == "addBaseMap"]
    index_url = base["tiles"]
    assert re.fullmatch(r"/data/tiles\.[0-9a-f]{16}\.js", index_url)
    part, index = read_data_file(client.get(index_url).content.decode())
    assert part == "tiles" and index["size"] == 4
    assert set(index) == {"size", "file", "cells"}
    name = tile_names(index)["e132n40"]
    assert TILE_FILE.fullmatch(name)[1] == "e132n40"
    response = client.get(f"/data/{name}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    cell, text = TILE_ASSIGNMENT.fullmatch(response.content.decode()).groups()
    tile = json.loads(text)
    assert cell == "e132n40" and tile["bbox"] == [132, 40, 136, 44]
    assert tile["features"][0]["properties"] == {"layer": "land"}
    zipped = client.get(f"/data/{name}", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == response.content
    old = client.get("/data/tile.e132n40.0123456789abcdef.js")
    assert old.status_code == 302 and old["Location"] == f"/data/{name}"
    # A cell with no land is no file, with the current digest or another.
    assert client.get(f"/data/{name.replace('e132n40', 'e0n0')}").status_code == 404


def test_the_tiles_index_lists_the_cells_in_a_kilobyte():
    """One digest for every tile: the index is the level's size, the file name with {cell} to
    fill in and the cells that hold land by row — exactly those of base/tiles/index.json, and
    little to download before the first tile."""
    index_file = datafiles.tiles_index()
    part, index = read_data_file(index_file.body.decode())
    committed = json.loads((COMMITTED_TILES / "index.json").read_text(encoding="utf-8"))
    assert index_cells(index) == set(committed["tiles"])
    assert sum(len(xs) for xs in index["cells"].values()) == len(committed["tiles"])
    assert len(index_file.gzip) < 1_500
    assert gzip.decompress(index_file.gzip) == index_file.body
    # Every tile is a file of that name, and there is no other.
    tiles = datafiles.tile_data_files()[1:]
    assert {t.name for t in tiles} == set(tile_names(index).values())
    assert len({TILE_FILE.fullmatch(t.name)[2] for t in tiles}) == 1


def test_a_change_to_one_tile_renames_every_tile(tmp_path, monkeypatch):
    """The shared digest is the whole level's: change one tile and every tile's name, and the
    index's, change — a browser that keeps them a year never holds an outdated one."""
    before = {t.name for t in datafiles.tile_data_files()}
    before_index = datafiles.tiles_index().name
    folder = tmp_path / "geodata" / "base" / "tiles"
    shutil.copytree(COMMITTED_TILES, folder)
    tile = folder / "e132n40.geojson"
    data = json.loads(tile.read_text(encoding="utf-8"))
    ring = data["features"][0]["geometry"]["coordinates"][0]
    ring = ring[0] if data["features"][0]["geometry"]["type"] == "MultiPolygon" else ring
    ring[1] = [round(ring[1][0] + 0.001, 3), ring[1][1]]  # one point moved
    tile.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(datafiles, "tile_files", lambda: basemap._read_tiles(tmp_path / "geodata"))
    after = datafiles.tile_data_files()
    assert len(after) == len(before)
    assert not {t.name for t in after} & before
    assert datafiles.tiles_index().name != before_index
    by_cell = {TILE_FILE.fullmatch(t.name)[1]: t for t in after[1:]}
    # The others' content is as it was: only their names changed.
    monkeypatch.undo()
    unchanged = {TILE_FILE.fullmatch(t.name)[1]: t for t in datafiles.tile_data_files()[1:]}
    assert by_cell["e128n40"].body == unchanged["e128n40"].body
    assert by_cell["e132n40"].body != unchanged["e132n40"].body
