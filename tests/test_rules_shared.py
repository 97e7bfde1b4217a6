"""The admin and the loader accept and refuse the same things, with the same rule's message.

Each case is one bad value, given twice: posted to the admin change form of a record of the mini
dataset (the form must be refused with the message beside the field, the database unchanged),
and written into that record in a copy of the mini dataset (``atlas_read`` must refuse it with
the same message, which the loader prefixes with the property: ``'<key>': <message>``).
"""

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from atlas import forms, geo, rules
from atlas.models import Feature, StoryStep, Treaty
from atlas.problems import ERR_FIELD, AtlasDataError
from atlas.reading import atlas_read
from tests.conftest import DATA, load
from tests.test_admin import form_data, snapshot

LANGUAGES = "en, ru, zh-hans"
MODELS = {"feature": Feature, "treaty": Treaty, "storystep": StoryStep}
FILES = {
    "feature": ("places.geojson", "features"),
    "treaty": ("treaties.json", "treaties"),
    "storystep": ("story.json", "steps"),
}
EXTRA_TYPE = rules.ERR_EXTRA_TYPE.format(
    key="area_km2", expected="a positive number of square kilometres"
)
SHANGHAI_ABROAD = {"type": "Point", "coordinates": [50.0, 31.23]}  # west of the atlas' region


def props(**changes: Any) -> Callable[[dict], None]:
    """Set properties of a record as its file holds them (a feature's "properties")."""
    return lambda item: item.get("properties", item).update(changes)


def drop_name(code: str) -> Callable[[dict], None]:
    return lambda item: item.get("properties", item)["name"].pop(code)


def renamed(slug: str) -> Callable[[dict], None]:
    def change(item: dict) -> None:
        item.get("properties", item)["slug"] = slug
        if "properties" in item:
            item["id"] = slug  # a feature's id is its slug

    return change


def geometry(value: dict) -> Callable[[dict], None]:
    return lambda item: item.update(geometry=value)


# (record, admin POST changes, admin field, message — or (admin's, loader's) —, the change to
# the record in its file (None: the file format cannot hold the value), the loader's key)
CASES = [
    pytest.param(
        ("feature", "shanghai"), {"extra": '{"area_km2": "some text"}'}, "extra", EXTRA_TYPE,
        props(area_km2="some text"), "properties", id="extra-value-of-the-wrong-type",
    ),
    pytest.param(
        ("feature", "shanghai"), {"slug": "Shang_Hai"}, "slug",
        rules.ERR_SLUG.format(value="Shang_Hai"), renamed("Shang_Hai"), "slug", id="slug",
    ),
    pytest.param(
        ("feature", "shanghai"), {"name_ru": ""}, "name",
        rules.ERR_TRANSLATIONS.format(languages=LANGUAGES), drop_name("ru"), "name",
        id="name-without-russian",
    ),
    pytest.param(
        ("feature", "shanghai"), {"name_zh-hans": ""}, "name",
        rules.ERR_TRANSLATIONS.format(languages=LANGUAGES), drop_name("zh-hans"), "name",
        id="name-without-chinese",
    ),
    pytest.param(
        ("feature", "shanghai"), {"note_en": "English only"}, "note",
        rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES),
        props(note={"en": "English only"}), "note", id="note-in-one-language",
    ),
    pytest.param(
        ("feature", "shanghai"), {"valid_from_precision": "month"}, "valid_from",
        rules.ERR_PRECISION_DATE.format(precision="month", unit="month"),
        props(valid_from_precision="month"), "valid_from", id="precision-date",
    ),
    pytest.param(
        ("feature", "shanghai"), {"valid_to": "1850-01-01", "valid_to_precision": "day"},
        "valid_to", rules.ERR_ORDER.format(valid_to="1850-01-01", valid_from="1858-06-13"),
        props(valid_to="1850-01-01", valid_to_precision="day"), "valid_to", id="order",
    ),
    pytest.param(
        # The admin's citations box says how to fill it in before the rule is reached.
        ("feature", "shanghai"), {"sources": " \n "}, "sources",
        (forms.ERR_SOURCES_REQUIRED, rules.ERR_SOURCES), props(sources=[]), "sources",
        id="no-sources",
    ),
    pytest.param(
        ("feature", "shanghai"), {"geometry": json.dumps(SHANGHAI_ABROAD)}, "geometry",
        geo.ERR_OUTSIDE_REGION.format(*geo.REGION_BOUNDS, lon=50.0, lat=31.23),
        geometry(SHANGHAI_ABROAD), "geometry", id="geometry-outside-the-region",
    ),
    pytest.param(
        ("treaty", "tianjin-1858"), {"signed_gregorian": "1858-06-12"}, "signed_gregorian",
        rules.ERR_CALENDARS.format(
            julian="1858-06-01", expected="1858-06-13", gregorian="1858-06-12"
        ),
        props(signed_gregorian="1858-06-12"), "signed_gregorian", id="calendars-disagree",
    ),
    pytest.param(
        ("storystep", "kyakhta"), {"year": "1850"}, "year",
        rules.ERR_YEAR.format(first=1857, last=1862, value=1850), props(year=1850), "year",
        id="story-year",
    ),
    pytest.param(
        ("storystep", "kyakhta"), {"bounds": "[[50, 45], [112, 53]]"}, "bounds",
        rules.ERR_BOUNDS.format(value=[[50, 45], [112, 53]]),
        props(bounds=[[50, 45], [112, 53]]), "bounds", id="story-bounds-outside-the-region",
    ),
    # The file format has no "extra" object: a feature's figures are its own properties, so
    # these values cannot be written in a file (an unknown property is refused on its own).
    pytest.param(
        ("feature", "shanghai"), {"extra": "[1, 2]"}, "extra", rules.ERR_EXTRA_NOT_OBJECT,
        None, None, id="extra-a-list",
    ),
    pytest.param(
        ("feature", "shanghai"), {"extra": '"x"'}, "extra", rules.ERR_EXTRA_NOT_OBJECT,
        None, None, id="extra-a-text",
    ),
    pytest.param(
        ("feature", "shanghai"), {"extra": '{"slug": "hijacked"}'}, "extra",
        rules.ERR_EXTRA_UNKNOWN.format(key="slug", known=", ".join(rules.FEATURE_EXTRA)),
        None, None, id="extra-over-the-slug",
    ),
]  # fmt: skip


@pytest.fixture
def dataset(db, mini_dir: Path) -> Path:
    """The mini dataset with the story, loaded; its copy stays writable for the loader half."""
    shutil.copy(DATA / "story.json", mini_dir / "story.json")
    load(mini_dir)
    return mini_dir


@pytest.fixture
def editor(db, client):
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "long-password"))
    return client


def admin_url(model: str, slug: str) -> str:
    return f"/admin/atlas/{model}/{MODELS[model].objects.get(slug=slug).pk}/change/"


def write_change(directory: Path, model: str, slug: str, change: Callable[[dict], None]) -> str:
    """Apply ``change`` to one record of its file; return the file's name."""
    name, top = FILES[model]
    doc = json.loads((directory / name).read_text(encoding="utf-8"))
    [item] = [i for i in doc[top] if i.get("properties", i)["slug"] == slug]
    change(item)
    (directory / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return name


def test_the_untouched_records_pass_both(editor, dataset):
    for model, slug in [("feature", "shanghai"), ("treaty", "tianjin-1858"),
                        ("storystep", "kyakhta")]:  # fmt: skip
        url = admin_url(model, slug)
        response = editor.post(url, form_data(editor.get(url)))
        assert response.status_code == 302, response.context["adminform"].form.errors
    atlas_read(path=dataset)


@pytest.mark.parametrize(("record", "changes", "field", "message", "loader", "key"), CASES)
def test_the_admin_and_the_loader_refuse_the_same_value(
    editor, dataset, record, changes, field, message, loader, key
):
    model, slug = record
    admin_message, loader_message = message if isinstance(message, tuple) else (message, message)
    before = snapshot()
    url = admin_url(model, slug)
    data = form_data(editor.get(url))
    data.update(changes)
    response = editor.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert admin_message in errors.get(field, []), errors
    assert snapshot() == before

    if loader is None:
        return
    file = write_change(dataset, model, slug, loader)
    with pytest.raises(AtlasDataError) as excinfo:
        atlas_read(path=dataset)
    problems = [p.problem for p in excinfo.value.problems if p.file == file]
    assert ERR_FIELD.format(key=key, message=loader_message) in problems, problems
