"""The story steps in the admin: a teacher edits them with the loader's rules, others can't."""

import json
import shutil

import pytest
from django.contrib.auth.models import User

from atlas import forms, rules
from atlas.models import Feature, StoryStep
from tests.conftest import DATA, load
from tests.test_admin import LANGUAGES, form_data


@pytest.fixture
def story(db, mini_dir):
    shutil.copy(DATA / "story.json", mini_dir / "story.json")
    load(mini_dir)
    return StoryStep.objects.get(slug="kyakhta")


@pytest.fixture
def editor(db, client):
    user = User.objects.create_superuser("teacher", "t@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def change_url(step: StoryStep) -> str:
    return f"/admin/atlas/storystep/{step.pk}/change/"


def test_a_teacher_edits_a_step(editor, story):
    data = form_data(editor.get(change_url(story)))
    assert json.loads(data["bounds"]) == [[100.0, 45.0], [112.0, 53.0]]
    data.update(caption_en="through Kyakhta", bounds="[[101, 44], [113, 54]]")
    response = editor.post(change_url(story), data)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.caption == {"en": "through Kyakhta", "zh-hans": "经恰克图"}
    assert story.bounds == [[101.0, 44.0], [113.0, 54.0]]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"year": "1900"}, "year", rules.ERR_YEAR.format(first=1857, last=1862, value=1900)),
        (
            {"bounds": "[[53, 100], [45, 112]]"},
            "bounds",
            rules.ERR_BOUNDS.format(value=[[53, 100], [45, 112]]),
        ),
        (
            {"bounds": "not json"},
            "bounds",
            forms.ERR_JSON.format(detail="Expecting value: line 1 column 1 (char 0)"),
        ),
        ({"year": "1857"}, "features", rules.ERR_NOT_ON_MAP.format(feature="shanghai", year=1857)),
        ({"note_en": ""}, "note", rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES)),
        ({"title_ru": ""}, "title", rules.ERR_TRANSLATIONS.format(languages=LANGUAGES)),
        ({"title_zh-hans": ""}, "title", rules.ERR_TRANSLATIONS.format(languages=LANGUAGES)),
        (
            {"note_zh-hans": ""},
            "note",
            rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES),
        ),
        (
            {"caption_en": "", "caption_ru": "через Кяхту"},
            "caption",
            rules.ERR_TRANSLATIONS_DEFAULT.format(code="en"),
        ),
        ({"slug": "Kyakhta_1860"}, "slug", rules.ERR_SLUG.format(value="Kyakhta_1860")),
    ],
)
def test_a_bad_step_is_refused_with_a_reason_and_nothing_changes(
    editor, story, changes, field, message
):
    before = list(StoryStep.objects.values_list())
    data = form_data(editor.get(change_url(story)))
    if changes.get("year") == "1857":  # Shanghai opened in 1858
        data["features"] = [str(Feature.objects.get(slug="shanghai").pk)]
    data.update(changes)
    response = editor.post(change_url(story), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors.get(field, []), errors
    assert list(StoryStep.objects.values_list()) == before


def test_anonymous_readers_cannot_change_the_story(client, story):
    response = client.post(change_url(story), {"caption_en": "changed"})
    assert response.status_code == 302 and "/admin/login/" in response.headers["Location"]
    story.refresh_from_db()
    assert story.caption == {"en": "via Kyakhta", "zh-hans": "经恰克图"}
