"""Bad input loses nothing: every file in tests/data/bad/ is refused with a precise message.

Each directory of tests/data/bad/ holds one broken file; the test lays it over a copy of the
mini dataset and loads that copy into a database already holding the mini dataset. The load must
fail naming the file, the record and the problem, and every row must be as it was.
"""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from atlas import geo, jsonfiles, problems, rules
from atlas.problems import AtlasDataError, DataProblem
from tests.conftest import DATA, MINI, load

BAD = DATA / "bad"
MODELS = tuple(apps.get_app_config("atlas").get_models(include_auto_created=True))

S = problems


def F(key: str, message: str) -> str:
    """A value refused by a rule of atlas.rules (or a model field), as the loader reports it."""
    return S.ERR_FIELD.format(key=key, message=message)


# case directory -> (file, record, problem): the message the loader must give.
CASES: dict[str, tuple[str, str, str]] = {
    "not-json": (
        "places.geojson", "(file)", S.ERR_JSON.format(detail="Expecting value at line 1 column 1")
    ),
    "truncated-json": (
        "treaties.json",
        "(file)",
        S.ERR_JSON.format(
            detail="Expecting property name enclosed in double quotes at line 8 column 7"
        ),
    ),
    "empty-file": (
        "events.json", "(file)", S.ERR_JSON.format(detail="Expecting value at line 1 column 1")
    ),
    "nan-coordinate": ("places.geojson", "(file)", S.ERR_NAN.format(value="NaN")),
    "infinity-coordinate": ("places.geojson", "(file)", S.ERR_NAN.format(value="Infinity")),
    "wrong-encoding-cp1251": (
        "places.geojson", "(file)", S.ERR_ENCODING.format(detail="invalid continuation byte")
    ),
    "wrong-encoding-utf16": (
        "treaties.json", "(file)", S.ERR_ENCODING.format(detail="invalid start byte")
    ),
    "feature-not-collection": (
        "places.geojson", "(file)", S.ERR_TOP_LEVEL.format(expected="a GeoJSON FeatureCollection")
    ),
    "events-top-level-list": (
        "events.json", "(file)", S.ERR_TOP_LEVEL.format(expected='{"events": [...]}')
    ),
    "not-a-feature": (
        "places.geojson",
        "feature 'shanghai'",
        S.ERR_TOP_LEVEL.format(expected='a GeoJSON Feature with "properties"'),
    ),
    "geometry-type-circle": (
        "places.geojson", "feature 'shanghai'", F("geometry", geo.ERR_TYPE.format(type="Circle"))
    ),
    "geometry-collection": (
        "territories.geojson",
        "feature 'ussuri-common'",
        F("geometry", geo.ERR_TYPE.format(type="GeometryCollection")),
    ),
    "geometry-null": ("places.geojson", "feature 'kyakhta'", F("geometry", geo.ERR_NOT_OBJECT)),
    "lat-lon-swapped": (
        "places.geojson",
        "feature 'shanghai'",
        F("geometry", geo.ERR_LAT_RANGE.format(lat=121.4737)),
    ),
    "lat-lon-swapped-in-range": (
        "places.geojson",
        "feature 'kyakhta'",
        F("geometry", geo.ERR_OUTSIDE_REGION.format(*geo.REGION_BOUNDS, lon=50.35, lat=86.45)),
    ),
    "longitude-out-of-range": (
        "places.geojson", "feature 'kyakhta'", F("geometry", geo.ERR_LON_RANGE.format(lon=286.45))
    ),
    "coordinates-as-strings": (
        "places.geojson",
        "feature 'kyakhta'",
        F("geometry", geo.ERR_NOT_FINITE.format(position=["106.45", "50.35"])),
    ),
    "position-one-number": (
        "places.geojson",
        "feature 'kyakhta'",
        F("geometry", geo.ERR_COORDINATES.format(detail="a position needs 2 numbers")),
    ),
    "ring-not-closed": (
        "territories.geojson", "feature 'ussuri-common'", F("geometry", geo.ERR_RING_NOT_CLOSED)
    ),
    "ring-too-short": (
        "territories.geojson", "feature 'ussuri-common'", F("geometry", geo.ERR_RING_TOO_SHORT)
    ),
    "ring-self-intersecting": (
        "territories.geojson",
        "feature 'ussuri-common'",
        F("geometry", geo.ERR_INVALID.format(reason="Self-intersection[135.5 45]")),
    ),
    "empty-geometry": (
        "territories.geojson", "feature 'ussuri-common'", F("geometry", geo.ERR_EMPTY)
    ),
    "line-one-position": (
        "territories.geojson", "feature 'ussuri-common'", F("geometry", geo.ERR_LINE_TOO_SHORT)
    ),
    "duplicate-feature-slug": (
        "places.geojson",
        "feature 'shanghai'",
        S.ERR_DUPLICATE.format(
            what="feature slug", value="shanghai", first="places.geojson, feature 'shanghai'"
        ),
    ),
    "duplicate-treaty-slug": (
        "treaties.json",
        "treaty 'tianjin-1858'",
        S.ERR_DUPLICATE.format(
            what="treaty slug", value="tianjin-1858", first="treaty 'tianjin-1858'"
        ),
    ),
    "duplicate-clause-id": (
        "treaties.json",
        "clause 'tianjin-1858-art3'",
        S.ERR_DUPLICATE.format(
            what="clause id", value="tianjin-1858-art3", first="clause 'tianjin-1858-art3'"
        ),
    ),
    "duplicate-event-slug": (
        "events.json",
        "event 'tianjin-signed'",
        S.ERR_DUPLICATE.format(
            what="event slug", value="tianjin-signed", first="event 'tianjin-signed'"
        ),
    ),
    "unknown-clause": (
        "places.geojson",
        "feature 'shanghai'",
        S.ERR_UNKNOWN_CLAUSE.format(clause="tianjin-1858-art99"),
    ),
    "unknown-treaty": (
        "events.json",
        "event 'tianjin-signed'",
        S.ERR_UNKNOWN_TREATY.format(treaty="nerchinsk-1689"),
    ),
    "unknown-feature": (
        "events.json", "event 'tianjin-signed'", S.ERR_UNKNOWN_FEATURE.format(feature="atlantis")
    ),
    "valid-to-before-valid-from": (
        "territories.geojson",
        "feature 'ussuri-common'",
        F("valid_to", rules.ERR_ORDER.format(valid_to="1857-01-01", valid_from="1858-05-28")),
    ),
    "no-certainty": (
        "places.geojson", "feature 'shanghai'", S.ERR_MISSING_KEY.format(key="certainty")
    ),
    "unknown-certainty": (
        "places.geojson",
        "feature 'shanghai'",
        F("certainty", "Value 'probable' is not a valid choice."),
    ),
    "no-sources": ("places.geojson", "feature 'kyakhta'", F("sources", rules.ERR_SOURCES)),
    "bad-slug": (
        "places.geojson",
        "feature 'Kyakhta Town'",
        F("slug", rules.ERR_SLUG.format(value="Kyakhta Town")),
    ),
    "id-differs-from-slug": (
        "places.geojson",
        "feature 'kyakhta'",
        S.ERR_FEATURE_ID.format(id="kiakhta", slug="kyakhta"),
    ),
    "impossible-date": (
        "places.geojson",
        "feature 'shanghai'",
        S.ERR_DATE.format(key="valid_from", value="1858-13-45"),
    ),
    "calendars-disagree": (
        "events.json",
        "event 'tianjin-signed'",
        F(
            "date_gregorian",
            rules.ERR_CALENDARS.format(
                julian="1858-06-13", expected="1858-06-25", gregorian="1858-06-13"
            ),
        ),
    ),
    "number-too-large": ("places.geojson", "(file)", S.ERR_NOT_FINITE.format(value="1e400")),
    "lone-surrogate": (
        "places.geojson",
        "(file)",
        S.ERR_SURROGATE.format(text="Shanghai ?", code="\\ud800"),
    ),
    "nested-too-deep": ("events.json", "(file)", S.ERR_TOO_DEEP.format(limit=jsonfiles.MAX_DEPTH)),
    "nested-deep": ("events.json", "(file)", S.ERR_TOO_DEEP.format(limit=jsonfiles.MAX_DEPTH)),
    "date-year-1": (
        "places.geojson",
        "feature 'shanghai'",
        F("valid_from", rules.ERR_DATE_RANGE.format(value="0001-01-01", first=1000, last=2100)),
    ),
    "date-year-9999": (
        "treaties.json",
        "treaty 'tianjin-1858'",
        F("signed_julian", rules.ERR_DATE_RANGE.format(value="9999-12-31", first=1000, last=2100)),
    ),
    "slug-with-newline": (
        "places.geojson",
        "feature 'kyakhta\\n'",
        F("slug", rules.ERR_SLUG.format(value="kyakhta\n")),
    ),
    # A month in both calendars: the Julian one is the same or the month before, not two before.
    "calendars-disagree-month": (
        "events.json",
        "event 'tianjin-signed'",
        F(
            "date_gregorian",
            rules.ERR_CALENDARS_AT.format(unit="month", julian="1858-04", gregorian="1858-06"),
        ),
    ),
    "article-beyond-the-treaty": (
        "treaties.json",
        "clause 'tianjin-1858-art3'",
        F("article", rules.ERR_ARTICLE_BEYOND.format(article="13", count=12)),
    ),
    "article-not-a-number": (
        "treaties.json",
        "clause 'tianjin-1858-art3'",
        F("article", rules.ERR_ARTICLE.format(value="IIII")),
    ),
    "unknown-person": (
        "events.json", "event 'tianjin-signed'", S.ERR_UNKNOWN_PERSON.format(person="nobody")
    ),
    "person-unknown-treaty": (
        "people.json", "person 'putyatin'", S.ERR_UNKNOWN_TREATY.format(treaty="nerchinsk-1689")
    ),
}  # fmt: skip


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every atlas table (link tables too), primary keys included."""
    return {m._meta.db_table: sorted(m.objects.values_list()) for m in MODELS}


def broken_copy(tmp_path: Path, case: str) -> Path:
    target = tmp_path / "geodata"
    shutil.copytree(MINI, target)
    for file in (BAD / case).iterdir():
        shutil.copyfile(file, target / file.name)
    return target


def refused(directory: Path) -> tuple[str, list[DataProblem]]:
    """Load ``directory`` through the command; return its message and the problems found."""
    with pytest.raises(CommandError) as excinfo:
        call_command("load_atlas", str(directory), stdout=StringIO())
    cause = excinfo.value.__cause__
    assert isinstance(cause, AtlasDataError)
    return str(excinfo.value), cause.problems


def test_the_corpus_is_large_and_every_case_has_an_expected_message():
    cases = sorted(p.name for p in BAD.iterdir() if p.is_dir())
    assert len(cases) >= 25
    assert cases == sorted(CASES)
    for case in cases:
        files = list((BAD / case).iterdir())
        assert len(files) == 1 and (MINI / files[0].name).is_file(), case


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_with_file_record_and_problem_and_nothing_changes(tmp_path, case):
    load(MINI)
    before = snapshot()
    assert before["atlas_feature"]  # the database holds data that a bad load could damage
    file, record, problem = CASES[case]
    message, problems = refused(broken_copy(tmp_path, case))
    assert DataProblem(file, record, problem) in problems, "\n".join(map(str, problems))
    assert f"{file}: {record}: {problem}" in message
    assert "nothing was loaded" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_bad_input_into_an_empty_database_leaves_it_empty(tmp_path):
    for case in ("ring-self-intersecting", "unknown-treaty", "nan-coordinate"):
        refused(broken_copy(tmp_path / case, case))
    assert all(rows == [] for rows in snapshot().values())


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_unread(mini_dir):
    load(MINI)
    before = snapshot()
    # Valid JSON just over the limit: the size alone must stop it, before any parsing.
    padding = " " * (jsonfiles.MAX_FILE_BYTES + 1 - len(b'{"events": []}'))
    big = mini_dir / "events.json"
    big.write_text('{"events": []' + padding + "}", encoding="utf-8")
    size = big.stat().st_size
    assert size == jsonfiles.MAX_FILE_BYTES + 1
    message, found = refused(mini_dir)
    expected = problems.ERR_TOO_LARGE.format(size=size, limit=jsonfiles.MAX_FILE_BYTES)
    assert DataProblem("events.json", "(file)", expected) in found
    assert f"events.json: (file): {expected}" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_check_mode_refuses_the_same_input(tmp_path):
    for case in ("lat-lon-swapped", "duplicate-treaty-slug", "wrong-encoding-utf16"):
        file, record, problem = CASES[case]
        with pytest.raises(CommandError, match="nothing was loaded") as excinfo:
            call_command(
                "load_atlas", str(broken_copy(tmp_path / case, case)), "--check", stdout=StringIO()
            )
        assert f"{file}: {record}: {problem}" in str(excinfo.value)


@pytest.mark.django_db
def test_a_file_of_many_bad_records_prints_the_first_and_counts_the_rest(mini_dir):
    path = mini_dir / "events.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["events"] = [{"slug": f"Bad {i}"} for i in range(5000)]
    path.write_text(json.dumps(doc), encoding="utf-8")
    message, found = refused(mini_dir)
    assert len(found) == problems.MAX_PROBLEMS
    lines = message.splitlines()
    assert len(lines) == problems.MAX_PROBLEMS + 2  # the heading, the problems, "… and N more"
    more = int(lines[-1].split("and ")[1].split(" more")[0].replace(",", ""))
    heading_total = int(lines[0].split(": ")[1].split(" problems")[0].replace(",", ""))
    assert more > 0 and heading_total == problems.MAX_PROBLEMS + more


@pytest.mark.django_db
@pytest.mark.parametrize("emptied", ["places.geojson", "events.json", "treaties.json"])
def test_a_load_that_would_delete_most_records_is_refused_unless_pruning(mini_dir, emptied):
    load(MINI)
    before = snapshot()
    path = mini_dir / emptied
    doc = json.loads(path.read_text(encoding="utf-8"))
    top = {"places.geojson": "features", "events.json": "events", "treaties.json": "treaties"}
    doc[top[emptied]] = []
    path.write_text(json.dumps(doc), encoding="utf-8")
    if emptied == "places.geojson":  # the events name the places
        events = json.loads((mini_dir / "events.json").read_text(encoding="utf-8"))
        for event in events["events"]:
            event["features"] = []
        (mini_dir / "events.json").write_text(json.dumps(events), encoding="utf-8")
    if emptied == "treaties.json":  # the features and events refer to the treaties' clauses
        for name in ("places.geojson", "territories.geojson", "events.json", "people.json"):
            if not (mini_dir / name).exists():
                continue
            other = json.loads((mini_dir / name).read_text(encoding="utf-8"))
            top = {"events.json": "events", "people.json": "people"}.get(name, "features")
            other[top] = []
            (mini_dir / name).write_text(json.dumps(other), encoding="utf-8")
    message, found = refused(mini_dir)
    assert "--prune" in message and any(p.record == "(load)" for p in found)
    assert snapshot() == before
    call_command("load_atlas", str(mini_dir), "--prune", stdout=StringIO())
    assert snapshot() != before
