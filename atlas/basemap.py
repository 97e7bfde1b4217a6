"""The app's own base map: land, lakes and rivers from geodata/base/, read once per process."""

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
