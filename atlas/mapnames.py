"""The map's own names: regions, seas, lakes and rivers (geodata/names.json).

They are not records of the treaties, so they are not stored in the database: the map pages
read the file (once per process, like the base map), and ``load_atlas`` checks it with the same
rules as every other file of geodata/, so a bad name is reported with the rest. Each name has
its texts in every language, an optional second form (a period or modern name, shown beneath
it), where it may go (``at``: places in order of preference; a river's name goes along the
river of the base map whose ``id`` is ``river``), the zooms it shows at, how much it matters
beside other names (``importance``: the less important one gives way) and its sources.
"""

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from . import rules
from .i18n import translate
from .jsonfiles import read_json
from .problems import (
    ERR_DUPLICATE,
    ERR_FIELD,
    ERR_MISSING_KEY,
    ERR_TOP_LEVEL,
    ERR_TYPE,
    ERR_UNKNOWN_KEY,
    DataProblem,
)

NAMES_FILE = "names.json"
RIVERS_FILE = Path("base") / "rivers.geojson"
# The kinds of name, each drawn in its own type (atlas/static/atlas/labels.css).
NAME_KINDS = ("region", "sea", "lake", "river")
REQUIRED = ("slug", "kind", "name", "zoom", "importance", "sources")
OPTIONAL = ("other", "at", "river")
ERR_KIND = "must be one of " + ", ".join(NAME_KINDS)
ERR_PLACE = "a river's name needs 'river' (a river of base/rivers.geojson), any other 'at'"
ERR_UNKNOWN_RIVER = "refers to a river base/rivers.geojson does not have: {river!r}"
ERR_ZOOM = "must be [min_zoom, max_zoom], whole numbers from {low} to {high}, min first"
ERR_IMPORTANCE = "must be a whole number from 0 to 100"
ERR_AT = "must be a list of [lon, lat] inside the atlas region"


def _river_ids(directory: Path) -> set[str] | None:
    """The ids of the base map's rivers; None when there is no base map to check against."""
    path = directory / RIVERS_FILE
    if not path.is_file():
        return None
    doc = read_json(path, [])
    features = doc.get("features", []) if isinstance(doc, dict) else []
    return {f["id"] for f in features if isinstance(f, dict) and isinstance(f.get("id"), str)}


def _is_zoom(value: Any) -> bool:
    low, high = rules.LABEL_ZOOMS
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and low <= value[0] <= value[1] <= high
    )


def name_problems(entry: Any, rivers: set[str] | None) -> Iterator[str]:
    """What is wrong with one name, as messages (none when it is right)."""
    if not isinstance(entry, dict):
        yield ERR_TOP_LEVEL.format(expected="a name object")
        return
    yield from (ERR_MISSING_KEY.format(key=k) for k in REQUIRED if k not in entry)
    yield from (ERR_UNKNOWN_KEY.format(key=k) for k in entry if k not in REQUIRED + OPTIONAL)
    checks = [
        ("slug", rules.check_slug),
        ("name", rules.check_translations),
        ("other", lambda v: v is None or rules.check_translations(v)),
        ("sources", rules.check_sources),
    ]
    for key, check in checks:
        if key in entry:
            try:
                check(entry[key])
            except ValidationError as exc:
                yield ERR_FIELD.format(key=key, message=exc.messages[0])
    if "kind" in entry and entry["kind"] not in NAME_KINDS:
        yield ERR_FIELD.format(key="kind", message=ERR_KIND)
    if "zoom" in entry and not _is_zoom(entry["zoom"]):
        low, high = rules.LABEL_ZOOMS
        yield ERR_FIELD.format(key="zoom", message=ERR_ZOOM.format(low=low, high=high))
    importance = entry.get("importance", 0)
    if not (isinstance(importance, int) and not isinstance(importance, bool)) or not (
        0 <= importance <= 100
    ):
        yield ERR_FIELD.format(key="importance", message=ERR_IMPORTANCE)
    is_river = entry.get("kind") == "river"
    if is_river != ("river" in entry) or is_river == ("at" in entry):
        yield ERR_PLACE
    if "at" in entry and not rules.is_positions(entry["at"]):
        yield ERR_FIELD.format(key="at", message=ERR_AT)
    river = entry.get("river")
    if "river" in entry and not isinstance(river, str):
        yield ERR_TYPE.format(key="river", expected="the id of a river")
    elif rivers is not None and "river" in entry and river not in rivers:
        yield ERR_UNKNOWN_RIVER.format(river=river)


def read_names(directory: Path, problems: list[DataProblem]) -> list[dict[str, Any]]:
    """The valid names of ``directory``/names.json (optional: [] without it); what is wrong
    with the others goes to ``problems``."""
    path = Path(directory) / NAMES_FILE
    if not path.exists():
        return []
    doc = read_json(path, problems)
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("names"), list) or len(doc) != 1:
        problems.append(
            DataProblem(NAMES_FILE, "(file)", ERR_TOP_LEVEL.format(expected='{"names": [...]}'))
        )
        return []
    rivers = _river_ids(Path(directory))
    names, seen = [], {}
    for i, entry in enumerate(doc["names"]):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        record = f"name {slug!r}" if isinstance(slug, str) else f"name #{i + 1}"
        found = list(name_problems(entry, rivers))
        if isinstance(slug, str) and slug in seen:
            found.append(ERR_DUPLICATE.format(what="name slug", value=slug, first=seen[slug]))
        elif isinstance(slug, str):
            seen[slug] = record
        problems.extend(DataProblem(NAMES_FILE, record, message) for message in found)
        if not found:
            names.append(entry)
    return names


@cache
def _names(directory: Path) -> tuple[dict[str, Any], ...]:
    return tuple(read_names(directory, []))


def map_names() -> list[dict[str, Any]]:
    """The names as the map page draws them, in the reader's language (the page is cached per
    language): its text, the second form if any, where it goes, its zooms and importance."""
    out = []
    for entry in _names(Path(settings.ATLAS_GEODATA_DIR)):
        item = {k: entry[k] for k in ("slug", "kind", "zoom", "importance")}
        item["text"] = translate(entry["name"])
        item["other"] = translate(entry["other"]) if entry.get("other") else ""
        item.update({k: entry[k] for k in ("at", "river") if k in entry})
        out.append(item)
    return out
