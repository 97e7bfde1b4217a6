"""The app's own base map: land, lakes and rivers from geodata/base/, read once per process.

Its coarse level is ``base/*.geojson`` (every zoom to 5); its detailed level, the land at zoom 6
and closer, is a grid of tiles in ``base/tiles/`` listed by ``base/tiles/index.json``
(atlas/derive/tiles.py).
"""

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

BASE_DIR_NAME = "base"


@cache
def _read(directory: Path) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    for file in sorted((directory / BASE_DIR_NAME).glob("*.geojson")):
        layers[file.stem] = json.loads(file.read_text(encoding="utf-8"))
    return layers


def basemap_layers() -> dict[str, Any]:
    """GeoJSON FeatureCollections by layer name (e.g. land, lakes, rivers); {} if none."""
    return _read(Path(settings.ATLAS_GEODATA_DIR))


@cache
def _read_tiles(directory: Path) -> dict[str, Any] | None:
    folder = directory / BASE_DIR_NAME / "tiles"
    index_path = folder / "index.json"
    if not index_path.is_file():
        return None
    index = json.loads(index_path.read_text(encoding="utf-8"))
    tiles = {}
    digest = hashlib.sha256()
    for cell in sorted(index["tiles"]):
        text = (folder / f"{cell}.geojson").read_text(encoding="utf-8").strip()
        tiles[cell] = text
        digest.update(cell.encode() + b"\0" + text.encode() + b"\0")
    return {"size": index["size"], "tiles": tiles, "digest": digest.hexdigest()[:16]}


def tile_files() -> dict[str, Any] | None:
    """The detailed level: {"size": degrees, "tiles": {cell: GeoJSON text}, "digest": …}, the
    tiles as their files hold them; None if geodata/base/ has none."""
    return _read_tiles(Path(settings.ATLAS_GEODATA_DIR))
