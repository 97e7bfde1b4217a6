"""The loader: validation messages, atomicity, idempotence, the command's interface."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from atlas import jsonfiles, problems, rules
from atlas.models import Clause, Event, Feature, FeatureBasis, Treaty
from tests.conftest import MINI, load

MODELS = (Treaty, Clause, Feature, FeatureBasis, Event, Event.features.through)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every atlas table, primary keys included."""
    return {m._meta.db_table: sorted(m.objects.values_list()) for m in MODELS}


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.django_db
def test_load_creates_every_record():
    out = load(MINI)
    assert Treaty.objects.count() == 2
    assert Clause.objects.count() == 2
    assert set(Feature.objects.values_list("slug", flat=True)) == {
        "shanghai",
        "kyakhta",
        "ussuri-common",
    }
    shanghai = Feature.objects.get(slug="shanghai")
    assert shanghai.basis.get().clause.slug == "tianjin-1858-art3"
    assert Event.objects.get().features.get() == shanghai
    assert "features: 3 created" in out


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load(MINI)
    before = snapshot()
    out = load(MINI)
    assert snapshot() == before
    assert "already up to date" in out
    assert "created" not in out and "updated" not in out and "deleted" not in out


@pytest.mark.django_db
def test_load_updates_changed_records_and_deletes_removed_ones(mini_dir):
    load(mini_dir)
    kyakhta_pk = Feature.objects.get(slug="kyakhta").pk

    def change(doc):
        doc["features"] = [f for f in doc["features"] if f["properties"]["slug"] != "shanghai"]
        doc["features"][0]["properties"]["name"]["en"] = "Kiakhta"

    edit(mini_dir / "places.geojson", change)
    edit(mini_dir / "events.json", lambda doc: doc["events"][0].update(features=[]))
    out = load(mini_dir)
    assert not Feature.objects.filter(slug="shanghai").exists()
    kyakhta = Feature.objects.get(slug="kyakhta")
    assert (kyakhta.pk, kyakhta.name["en"]) == (kyakhta_pk, "Kiakhta")
    assert "1 updated" in out and "1 deleted" in out
    assert FeatureBasis.objects.filter(feature__slug="shanghai").count() == 0


def break_shanghai_coordinates(doc):
    doc["features"][0]["geometry"]["coordinates"] = [31.2304, 121.4737]


@pytest.mark.django_db
def test_a_bad_record_names_file_record_and_problem_and_changes_nothing(mini_dir):
    load(MINI)
    before = snapshot()
    edit(mini_dir / "places.geojson", break_shanghai_coordinates)
    # A change elsewhere in the same load must not be written either.
    edit(mini_dir / "events.json", lambda d: d["events"][0]["title"].update(en="Changed"))
    with pytest.raises(CommandError) as excinfo:
        load(mini_dir)
    message = str(excinfo.value)
    expected = "'geometry': latitude 121.4737 is outside -90..90"
    assert "places.geojson: feature 'shanghai': " + expected in message
    assert "nothing was loaded" in message
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_database_error_midway_rolls_back_the_whole_load(mini_dir):
    load(MINI)
    before = snapshot()
    edit(mini_dir / "events.json", lambda d: d["events"][0]["title"].update(en="Changed"))

    def long_slug(doc):
        doc["features"][1]["id"] = "k" * 60
        doc["features"][1]["properties"]["slug"] = "k" * 60

    # The slug is well-formed for the reader but too long for the column: the write fails late,
    # after treaties and clauses were already written inside the transaction.
    edit(mini_dir / "places.geojson", long_slug)
    with pytest.raises(CommandError) as excinfo:
        load(mini_dir)
    assert "Ensure this value has at most 50 characters" in str(excinfo.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_check_validates_without_writing(mini_dir):
    out = StringIO()
    call_command("load_atlas", str(mini_dir), "--check", stdout=out)
    assert "All files are valid." in out.getvalue()
    assert Feature.objects.count() == 0


@pytest.mark.django_db
def test_check_reports_problems_with_a_non_zero_exit(mini_dir):
    edit(mini_dir / "places.geojson", break_shanghai_coordinates)
    with pytest.raises(CommandError, match="latitude 121.4737"):
        call_command("load_atlas", str(mini_dir), "--check", stdout=StringIO())


@pytest.mark.django_db
def test_load_reports_progress_per_kind_of_record():
    out = load(MINI)
    for line in (
        "read 5 files",
        "treaties:",
        "clauses:",
        "features:",
        "treaty basis links:",
        "events:",
        "people: 1 created",
    ):
        assert line in out


@pytest.mark.django_db
def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        load(tmp_path / "nowhere")


# Each case breaks one thing in a copy of the mini dataset; the message names file and record.
BAD_CASES = [
    (
        "places.geojson",
        lambda d: d["features"][0]["properties"].update(
            valid_to="1858-01-01", valid_to_precision="day"
        ),
        "places.geojson: feature 'shanghai': 'valid_to': "
        + rules.ERR_ORDER.format(valid_to="1858-01-01", valid_from="1858-06-13"),
    ),
    (
        "places.geojson",
        lambda d: d["features"][1]["properties"].update(slug="shanghai"),
        "places.geojson: feature 'shanghai': duplicate feature slug 'shanghai'",
    ),
    (
        "places.geojson",
        lambda d: d["features"][0]["properties"]["basis"][0].update(clause="tianjin-1858-art99"),
        "places.geojson: feature 'shanghai': "
        + problems.ERR_UNKNOWN_CLAUSE.format(clause="tianjin-1858-art99"),
    ),
    (
        "places.geojson",
        lambda d: d["features"][0]["properties"].update(sources=[]),
        "places.geojson: feature 'shanghai': 'sources': " + rules.ERR_SOURCES,
    ),
    (
        "places.geojson",
        lambda d: d["features"][0]["properties"].pop("certainty"),
        "places.geojson: feature 'shanghai': " + problems.ERR_MISSING_KEY.format(key="certainty"),
    ),
    (
        "places.geojson",
        lambda d: d["features"][0]["properties"].update(valid_from_precision="month"),
        "places.geojson: feature 'shanghai': 'valid_from': has precision 'month'",
    ),
    (
        "treaties.json",
        lambda d: d["treaties"][0].update(signed_gregorian="1858-06-12"),
        "treaties.json: treaty 'tianjin-1858': 'signed_gregorian': "
        + rules.ERR_CALENDARS.format(
            julian="1858-06-01", expected="1858-06-13", gregorian="1858-06-12"
        ),
    ),
    (
        "treaties.json",
        lambda d: d["treaties"][0]["clauses"][0]["title"].pop("ru"),
        "treaties.json: clause 'tianjin-1858-art3': 'title': "
        + rules.ERR_TRANSLATIONS.format(languages="en, ru, zh-hans"),
    ),
    # Chinese is one of the atlas' languages like the others: a text without it is refused.
    (
        "places.geojson",
        lambda d: d["features"][1]["properties"]["name"].pop("zh-hans"),
        "places.geojson: feature 'kyakhta': 'name': "
        + rules.ERR_TRANSLATIONS.format(languages="en, ru, zh-hans"),
    ),
    (
        "treaties.json",
        lambda d: d["treaties"][1]["clauses"][0]["note"].update({"zh-hans": ""}),
        "treaties.json: clause 'aigun-1858-art1': 'note': "
        + rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages="en, ru, zh-hans"),
    ),
    (
        "events.json",
        lambda d: d["events"][0]["description"].pop("zh-hans"),
        "events.json: event 'tianjin-signed': 'description': "
        + rules.ERR_TRANSLATIONS.format(languages="en, ru, zh-hans"),
    ),
    (
        "events.json",
        lambda d: d["events"][0].update(treaty="nerchinsk-1689"),
        "events.json: event 'tianjin-signed': "
        + problems.ERR_UNKNOWN_TREATY.format(treaty="nerchinsk-1689"),
    ),
    (
        "events.json",
        lambda d: d["events"][0].update(features=["amoy"]),
        "events.json: event 'tianjin-signed': "
        + problems.ERR_UNKNOWN_FEATURE.format(feature="amoy"),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("file", "change", "expected"), BAD_CASES)
def test_each_bad_record_is_rejected_and_nothing_changes(mini_dir, file, change, expected):
    load(MINI)
    before = snapshot()
    edit(mini_dir / file, change)
    with pytest.raises(CommandError) as excinfo:
        load(mini_dir)
    assert expected in str(excinfo.value)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "places.geojson: (file): not valid JSON: Expecting property name"),
        ('{"a": 1}'.encode("utf-16"), "places.geojson: (file): file is not UTF-8 text"),
        (b'{"type": "FeatureCollection", "features": [], "x": NaN}', "number NaN is not allowed"),
        (b'{"type": "Feature"}', "places.geojson: (file): expected a GeoJSON FeatureCollection"),
    ],
)
def test_unreadable_files_are_rejected(mini_dir, content, expected):
    load(MINI)
    before = snapshot()
    (mini_dir / "places.geojson").write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        load(mini_dir)
    assert expected in str(excinfo.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_oversized_files_are_rejected(mini_dir, monkeypatch):
    monkeypatch.setattr(jsonfiles, "MAX_FILE_BYTES", 100)
    with pytest.raises(
        CommandError, match=r"places.geojson: \(file\): file is [\d,]+ bytes; the limit is 100"
    ):
        load(mini_dir)


def test_database_enforces_valid_from_not_after_valid_to(db):
    from django.db import IntegrityError, transaction

    load(MINI)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Feature.objects.filter(slug="ussuri-common").update(valid_to="1850-01-01")
    assert connection.is_usable()
