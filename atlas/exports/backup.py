"""The backup: the whole atlas written back in the geodata/ format (``manage.py export_atlas``).

Each record is shaped by atlas.shapes (the file form the loader reads); each feature goes to the
file of its kind (atlas.kinds). Output is deterministic: the same database always gives
byte-identical files, so an export loaded into a fresh database exports the same again.
"""

import json
from pathlib import Path
from typing import Any

from .. import kinds, shapes
from ..models import Event, Feature, Person, StoryStep, Treaty
from ..problems import ERR_EXPORT_NOT_DIR, ERR_EXPORT_NOT_EMPTY, AtlasDataError, DataProblem
from ..reading import EVENTS_FILE, PEOPLE_FILE, STORY_FILE, TREATIES_FILE, atlas_read
from .staging import StagingError, move_in, staged

KIND = "geodata"  # the manifest's name for an export_atlas backup


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _dump_collection(features: list[dict[str, Any]]) -> str:
    # One feature per line, as in geodata/places.geojson: a changed feature is a one-line diff.
    lines = [json.dumps(f, ensure_ascii=False) for f in features]
    body = ",\n".join(f"    {line}" for line in lines)
    return '{\n  "type": "FeatureCollection",\n  "features": [\n' + body + "\n  ]\n}\n"


def atlas_files(path: Path) -> list[Path]:
    """The files of ``path`` that belong to an atlas (what an export writes or replaces)."""
    return sorted(
        p
        for p in path.iterdir()
        if p.name in (TREATIES_FILE, EVENTS_FILE, STORY_FILE, PEOPLE_FILE) or p.suffix == ".geojson"
    )


def export_contents() -> dict[str, str]:
    """Every file of the export, by name, as text."""
    treaties = Treaty.objects.order_by("signed_gregorian", "slug").prefetch_related("clauses")
    events = Event.objects.order_by("date_gregorian", "slug").select_related("treaty")
    contents = {
        TREATIES_FILE: _dump({"treaties": [shapes.treaty_file(t) for t in treaties]}),
        EVENTS_FILE: _dump(
            {
                "events": [
                    shapes.event_file(e) for e in events.prefetch_related("features", "people")
                ]
            }
        ),
    }
    people = Person.objects.order_by("order", "slug").prefetch_related("treaties")
    if people:  # the people are optional
        contents[PEOPLE_FILE] = _dump({"people": [shapes.person_file(p) for p in people]})
    steps = StoryStep.objects.order_by("order", "slug").prefetch_related("features")
    if steps:  # the story is optional
        contents[STORY_FILE] = _dump({"steps": [shapes.story_step_file(s) for s in steps]})
    groups: dict[str, list[dict[str, Any]]] = {}
    features = Feature.objects.order_by("valid_from", "slug").prefetch_related("basis__clause")
    for f in features:
        groups.setdefault(kinds.get(f.kind).export_file, []).append(shapes.feature_file(f))
    for name, items in sorted(groups.items()):
        contents[name] = _dump_collection(items)
    return contents


def atlas_export(*, path: Path, overwrite: bool = False) -> list[str]:
    """Write the whole atlas to ``path`` in the geodata/ format; return the file names written.

    The files are written whole to a scratch folder beside ``path`` and read back with the
    strict loader; only then are they moved in (atlas.exports.staging), so a full disk or an
    export that ``atlas_load`` would refuse leaves ``path`` as it was. Without ``overwrite``, a
    folder that already holds atlas files is refused; with it, files of the same names are
    replaced, and files an earlier export wrote that this one does not are removed. Nothing
    else in the folder is touched.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise AtlasDataError(
            [DataProblem(str(path), "(directory)", ERR_EXPORT_NOT_DIR.format(path=path))]
        )
    old = atlas_files(path) if path.is_dir() else []
    if old and not overwrite:
        names = ", ".join(p.name for p in old)
        message = ERR_EXPORT_NOT_EMPTY.format(path=path, files=names)
        raise AtlasDataError([DataProblem(str(path), "(directory)", message)])
    contents = export_contents()
    try:
        with staged(path) as scratch:
            for name, text in contents.items():
                (scratch / name).write_text(text, encoding="utf-8")
            atlas_read(path=scratch)  # raises AtlasDataError if the loader would refuse it
            move_in(scratch, path, kind=KIND, replace=set(contents))
    except StagingError as exc:
        raise AtlasDataError([DataProblem(str(path), "(directory)", str(exc))]) from exc
    return sorted(contents)
