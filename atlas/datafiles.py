"""The atlas' data files: what every map page shares, built once and cached by browsers.

    /data/base.<hash>.js            the base map (sea, lakes, rivers)
    /data/features.<hash>.js        every feature of every year, with its years, and the styles
    /data/words.<lang>.<hash>.js    one language's popups, names, legend and interface words
    /data/tiles.<hash>.js           the index of the base map's detailed level (zoom 6 and closer)
    /data/tile.<cell>.<digest>.js   one cell's land at that level (geodata/base/tiles/)

(their content: atlas.maps.data; the tiles': atlas.basemap). Each is a script that hands its
JSON to the page — ``(window.atlasData = window.atlasData || {}).features = {…};`` — loaded with
``<script src defer>`` before atlas.js. A script of our origin runs under ``script-src 'self'``,
and it loads from ``file://`` too, where a fetch() is refused: the offline bundle holds the
same files under ``data/``.

A file is built once per data version (atlas.cache: a load or an admin edit draws a new one),
language and kind of output (the site's, or the bundle's with relative links), and kept in
Django's cache with its gzip copy. Its name carries a hash of its content: a page names the
current files, a browser keeps each for a year and asks again only when the data changed. An
address with an outdated hash (a page rendered just before an edit) is redirected to the
current file. The tiles and their index come from geodata/base/tiles/, not the database: they
are built once per process, the same for the site and the bundle, and the page loads them
(static/atlas/basemap.js) only when its map is zoomed in. The tiles share one digest, the whole
level's: a change to any tile renames them all, so that the index needs no name per cell — it
is ``{"size": 4, "file": "tile.{cell}.<digest>.js", "cells": {"40": [128, 132, …], …}}``, the
cells that hold land by row (the south edge's latitude: the west edges' longitudes), some
400 bytes compressed.
"""

import gzip
import hashlib
import re
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from . import links, selectors
from .basemap import basemap_layers, tile_files
from .cache import data_version
from .i18n import current_language
from .maps import data as map_data
from .maps.elements import js_literal

KEY_PREFIX = "atlas:data-file:"
# The folder of the data files in the offline bundle (their links are relative to it).
BUNDLE_FOLDER = "data"
# A file name: its part, for words its language, the first 16 hex digits of its content's hash.
NAME = re.compile(r"(base|features|words)\.(?:([a-z]{2,3}(?:-[a-z0-9]+)*)\.)?([0-9a-f]{16})\.js")
SHARED = ("base", "features")  # the same in every language
# The detailed level: its index, and one file a cell (e132n40: the cell's south-west corner),
# every cell's with the same digest, the level's.
TILES_NAME = re.compile(r"tiles\.([0-9a-f]{16})\.js")
TILE_NAME = re.compile(r"tile\.(e\d{1,3}[ns]\d{1,2})\.([0-9a-f]{16})\.js")
CELL = re.compile(r"e(\d{1,3})([ns])(\d{1,2})")
CONTENT_TYPE = "text/javascript; charset=utf-8"


@dataclass(frozen=True)
class DataFile:
    name: str
    body: bytes
    gzip: bytes

    @property
    def digest(self) -> str:
        return self.name.rsplit(".", 2)[-2]

    @property
    def etag(self) -> str:
        # Weak: the same file, whichever encoding (plain or gzip) it travels in.
        return f'W/"{self.digest}"'


def _content(part: str) -> Any:
    if part == "base":
        return map_data.base_data(basemap_layers())
    features = selectors.feature_list()
    if part == "features":
        return map_data.features_data(features)
    return map_data.words_data(features)


def _build(part: str, language: str) -> DataFile:
    # In the bundle its links are relative to the bundle's data folder (the page resolves a
    # popup's links against the file's own address, as a browser does a stylesheet's url()).
    folder = links.bundle_page(f"{BUNDLE_FOLDER}/{part}.js") if links.in_bundle() else nullcontext()
    with translation.override(language), folder:
        content = js_literal(_content(part))
    data = f"(window.atlasData = window.atlasData || {{}}).{part} = {content};\n".encode()
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"{part}.{digest}.js" if part in SHARED else f"{part}.{language}.{digest}.js"
    return DataFile(name=name, body=data, gzip=gzip.compress(data, compresslevel=9, mtime=0))


def current(part: str, *, language: str | None = None) -> DataFile:
    """The current file of ``part`` (words: in ``language``, by default the active one)."""
    language = None if part in SHARED else (language or current_language())
    output = "bundle" if links.in_bundle() else "site"
    key = f"{KEY_PREFIX}{part}:{language or '-'}:{output}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = _build(part, language or settings.LANGUAGE_CODE)
        cache.set(key, found, settings.ATLAS_PAGE_CACHE_SECONDS)
    return found


def current_files(*, language: str | None = None) -> list[DataFile]:
    """The current data files of a map page in ``language`` (no base map file if the atlas
    has no base map)."""
    parts = ["base", "features", "words"] if basemap_layers() else ["features", "words"]
    return [current(part, language=language) for part in parts]


def page_links(*, language: str | None = None) -> map_data.DataLinks:
    """The addresses of the current data files, for a map page in ``language``."""
    found = {
        f.name.split(".")[0]: links.link("data-file", f.name)
        for f in current_files(language=language)
    }
    index = tiles_index() if "base" in found else None
    return map_data.DataLinks(
        base=found.get("base"),
        features=found["features"],
        words=found["words"],
        tiles=links.link("data-file", index.name) if index else None,
    )


def _script(target: str, body: str) -> bytes:
    return f"(window.atlasData = window.atlasData || {{}}).{target} = {body};\n".encode()


def _data_file(name: str, data: bytes) -> DataFile:
    return DataFile(name=name, body=data, gzip=gzip.compress(data, compresslevel=9, mtime=0))


def _tiles() -> tuple[DataFile, dict[str, DataFile]] | None:
    """The index of the detailed level and its tiles by cell (None: no detailed level). They
    are the same for the site and the bundle: the index gives the tiles' file name, which the
    page finds beside the index's own address."""
    found = tile_files()
    if not found:
        return None
    return _build_tiles(found["digest"], found)


# By the tiles' digest: they come from geodata/base/ (read once per process), not the database.
_BUILT_TILES: dict[str, tuple[DataFile, dict[str, DataFile]]] = {}


def _cell_rows(cells: list[str]) -> dict[str, list[int]]:
    """The cells as rows: {south edge's latitude: [west edges' longitudes]} (e132n40, e136n40
    -> {"40": [132, 136]})."""
    rows: dict[int, list[int]] = {}
    for cell in cells:
        x, hemisphere, y = CELL.fullmatch(cell).groups()
        rows.setdefault(int(y) if hemisphere == "n" else -int(y), []).append(int(x))
    return {str(y): sorted(xs) for y, xs in sorted(rows.items())}


def _build_tiles(digest: str, found: dict[str, Any]) -> tuple[DataFile, dict[str, DataFile]]:
    built = _BUILT_TILES.get(digest)
    if built is None:
        bodies = {
            cell: (
                "((window.atlasData = window.atlasData || {}).tile = window.atlasData.tile || {})"
                f"[{js_literal(cell)}] = {text};\n"
            ).encode()
            for cell, text in sorted(found["tiles"].items())
        }
        # One digest for the whole level: any change to any tile renames every tile.
        level = hashlib.sha256(str(found["size"]).encode())
        for cell, body in bodies.items():
            level.update(b"\0" + cell.encode() + b"\0" + body)
        shared = level.hexdigest()[:16]
        tiles = {cell: _data_file(f"tile.{cell}.{shared}.js", b) for cell, b in bodies.items()}
        index = {
            "size": found["size"],
            "file": f"tile.{{cell}}.{shared}.js",
            "cells": _cell_rows(list(bodies)),
        }
        body = _script("tiles", js_literal(index))
        name = f"tiles.{hashlib.sha256(body).hexdigest()[:16]}.js"
        built = (_data_file(name, body), tiles)
        _BUILT_TILES.clear()
        _BUILT_TILES[digest] = built
    return built


def tiles_index() -> DataFile | None:
    """The current index of the base map's detailed level (None if there is none)."""
    built = _tiles()
    return built[0] if built else None


def tile_data_files() -> list[DataFile]:
    """The index of the detailed level and every tile (the offline bundle holds them all)."""
    built = _tiles()
    return [built[0], *built[1].values()] if built else []


def _lookup_tile(name: str) -> tuple[DataFile, bool] | None:
    built = _tiles()
    if built is None:
        return None
    if match := TILES_NAME.fullmatch(name):
        return built[0], built[0].digest == match.group(1)
    if match := TILE_NAME.fullmatch(name):
        cell, digest = match.groups()
        file = built[1].get(cell)
        return (file, file.digest == digest) if file else None
    return None


def lookup(name: str) -> tuple[DataFile, bool] | None:
    """The current file that ``name`` asks for, and whether it is that very file (its hash
    is the current one); None for a name that is no data file's."""
    if name.startswith("tile"):
        return _lookup_tile(name)
    match = NAME.fullmatch(name)
    if not match:
        return None
    part, language, digest = match.groups()
    if (part in SHARED) != (language is None):
        return None
    if language is not None and language not in dict(settings.LANGUAGES):
        return None
    file = current(part, language=language)
    return file, file.digest == digest


def site_files(*, language: str | None = None) -> list[str]:
    """The addresses of the current data files in ``language`` (the default one)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        index = [tiles_index()] if basemap_layers() and tiles_index() else []
        return [links.link("data-file", f.name) for f in [*current_files(), *index]]
