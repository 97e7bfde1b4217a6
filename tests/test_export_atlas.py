"""export_atlas: the geodata/ format out of the database, and back in without a difference."""

import errno
import json
from io import StringIO
from pathlib import Path

import geopandas
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from atlas import kinds, problems, reading, rules
from atlas.exports import staging
from atlas.geo import REGION_BOUNDS
from atlas.models import Feature
from tests.conftest import MINI, load

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
# Every table of the app, the many-to-many link tables included.
MODELS = tuple(apps.get_app_config("atlas").get_models(include_auto_created=True))


def snapshot() -> dict[str, list[tuple]]:
    return {m._meta.db_table: sorted(m.objects.values_list()) for m in MODELS}


def export(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_atlas", str(directory), *args, stdout=out)
    return out.getvalue()


def files(directory: Path) -> dict[str, bytes]:
    """The atlas files of a folder (not the manifest an export keeps of them)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(directory.iterdir())
        if p.is_file() and p.name != staging.MANIFEST
    }


def empty_database() -> None:
    """A fresh database, as far as the atlas is concerned: every atlas row gone."""
    for model in MODELS:
        model.objects.all().delete()
    assert all(not m.objects.exists() for m in MODELS)


def by_slug(rows: list[dict]) -> dict[str, dict]:
    return {row["slug"]: row for row in rows}


def test_export_of_geodata_writes_the_same_set_of_files(atlas, tmp_path):
    out = export(tmp_path / "out")
    written = set(files(tmp_path / "out"))
    source = {
        p.name for p in GEODATA.iterdir() if p.is_file() and p.suffix in (".json", ".geojson")
    }
    # The map's own names are read by the pages from geodata/, not stored: no export holds them.
    assert written == source - {"names.json"}
    assert "Exported." in out
    # Every feature sits in the file it came from in geodata/.
    for name in (n for n in written if n.endswith(".geojson")):
        ours = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        theirs = json.loads((GEODATA / name).read_text(encoding="utf-8"))
        assert {f["id"] for f in ours["features"]} == {f["id"] for f in theirs["features"]}


def test_export_holds_exactly_what_geodata_holds(atlas, tmp_path):
    export(tmp_path / "out")
    original = reading.atlas_read(path=GEODATA)
    exported = reading.atlas_read(path=tmp_path / "out")
    for kind in ("treaties", "clauses", "features", "events", "story"):
        assert by_slug(getattr(exported, kind)) == by_slug(getattr(original, kind)), kind
    assert sorted(exported.basis) == sorted(original.basis)
    for links in ("event_features", "story_features"):
        assert {k: sorted(v) for k, v in getattr(exported, links).items()} == {
            k: sorted(v) for k, v in getattr(original, links).items()
        }


@pytest.mark.parametrize("source", [MINI, GEODATA], ids=["mini", "geodata"])
def test_export_load_into_a_fresh_database_export_gives_identical_files(db, tmp_path, source):
    load(source)
    export(tmp_path / "first")
    empty_database()
    load(tmp_path / "first")
    export(tmp_path / "second")
    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    assert first and first == second


def test_loading_an_export_over_its_own_database_changes_nothing(atlas, tmp_path):
    before = snapshot()
    export(tmp_path / "out")
    assert "already up to date" in load(tmp_path / "out")
    assert snapshot() == before


def test_export_refuses_a_directory_with_atlas_files_unless_told_to_overwrite(mini, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "stale.geojson").write_text("{}", encoding="utf-8")
    (target / "README.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        export(target)
    assert problems.ERR_EXPORT_NOT_EMPTY.format(path=target, files="stale.geojson") in str(
        excinfo.value
    )
    assert set(files(target)) == {"stale.geojson", "README.txt"}
    export(target, "--overwrite")
    written = {
        "events.json",
        "people.json",
        "places.geojson",
        "territories.geojson",
        "treaties.json",
    }
    # No export wrote stale.geojson: it stays, as does the README.
    assert set(files(target)) == written | {"README.txt", "stale.geojson"}
    assert (target / "README.txt").read_text(encoding="utf-8") == "keep me"
    manifest = json.loads((target / staging.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["entries"]) == written


def test_overwrite_removes_only_what_an_earlier_export_wrote(mini, tmp_path):
    target = tmp_path / "out"
    export(target)
    manifest = target / staging.MANIFEST
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["entries"].append("routes.geojson")  # as if the earlier export had written it
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    (target / "routes.geojson").write_text("{}", encoding="utf-8")
    (target / "mine.geojson").write_text("{}", encoding="utf-8")
    export(target, "--overwrite")
    assert not (target / "routes.geojson").exists()  # the earlier export's, no longer written
    assert (target / "mine.geojson").read_text(encoding="utf-8") == "{}"  # never an export's


def test_a_full_disk_leaves_the_earlier_backup_whole(mini, tmp_path, monkeypatch):
    target = tmp_path / "out"
    export(target)
    before = files(target)
    Feature.objects.filter(slug="shanghai").update(sources=["A new source"])
    real = Path.write_text
    written = []

    def full_disk(self, *args, **kwargs):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(CommandError, match="No space left on device"):
        export(target, "--overwrite")
    monkeypatch.undo()
    assert files(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no scratch folder left behind


def test_export_to_a_file_is_an_error(mini, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="exists and is not a directory"):
        export(target)


def test_an_export_the_loader_would_refuse_is_not_written(mini, tmp_path):
    # A record edited outside the loader (here: a note in one language only) must not produce
    # a backup that cannot be restored.
    Feature.objects.filter(slug="shanghai").update(note={"en": "English only"})
    with pytest.raises(CommandError) as excinfo:
        export(tmp_path / "out")
    assert (
        "places.geojson: feature 'shanghai': 'note': "
        + rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages="en, ru, zh-hans")
        in str(excinfo.value)
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert [p.name for p in tmp_path.iterdir()] in ([], ["out"])  # no scratch folder left


def test_export_is_deterministic_and_features_follow_their_kind(mini, tmp_path):
    export(tmp_path / "a")
    export(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    places = json.loads((tmp_path / "a" / "places.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["kind"] for f in places["features"]} <= {
        k.slug for k in kinds.KINDS if k.export_file == "places.geojson"
    }
    assert all(k.export_file.endswith(".geojson") for k in kinds.KINDS)  # every kind has a file


@pytest.mark.parametrize("year", [1857, 1858, 1860, 1862])
def test_the_api_geojson_reads_back_with_geopandas(client, atlas, tmp_path, year):
    response = client.get("/api/features.geojson", {"year": year})
    assert response.status_code == 200
    collection = json.loads(response.content)
    path = tmp_path / f"{year}.geojson"
    path.write_bytes(response.content)
    frame = geopandas.read_file(path)
    assert len(frame) == len(collection["features"]) > 0
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert list(frame["slug"]) == [f["properties"]["slug"] for f in collection["features"]]
    assert frame.geometry.is_valid.all()
    assert not frame.geometry.is_empty.any()
    minx, miny, maxx, maxy = frame.total_bounds
    lon_min, lat_min, lon_max, lat_max = REGION_BOUNDS
    assert lon_min <= minx <= maxx <= lon_max and lat_min <= miny <= maxy <= lat_max  # not swapped
