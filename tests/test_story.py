"""The classroom story: geodata/story.json, its validation, and the presentation pages."""

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from atlas import problems, rules
from atlas.models import StoryStep
from tests.conftest import DATA, load

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
ESSAY = Path(settings.BASE_DIR).parent / "shared/sources/treaties-1858-1862.ru.txt"


@pytest.fixture
def story_dir(mini_dir: Path) -> Path:
    """tests/data/mini with the two-step story of tests/data/story.json."""
    shutil.copy(DATA / "story.json", mini_dir / "story.json")
    return mini_dir


@pytest.fixture
def story(db, story_dir: Path) -> Path:
    load(story_dir)
    return story_dir


def rows() -> list[tuple]:
    return list(StoryStep.objects.values_list("slug", "order", "year", "essay_ru"))


@pytest.mark.django_db
def test_the_story_loads_in_order_with_its_highlighted_features(story):
    steps = list(StoryStep.objects.all())
    assert [(s.slug, s.order, s.year) for s in steps] == [("ports", 1, 1858), ("kyakhta", 2, 1860)]
    assert [f.slug for f in steps[0].features.all()] == ["shanghai"]
    assert steps[1].note["en"] == "A note."


@pytest.mark.django_db
def test_reordering_the_story_and_loading_again(story):
    path = story / "story.json"
    doc = json.loads(path.read_text())
    doc["steps"].reverse()
    path.write_text(json.dumps(doc, ensure_ascii=False))
    load(story)
    assert [s.slug for s in StoryStep.objects.all()] == ["kyakhta", "ports"]
    assert "already up to date" in load(story)


def break_step(mini_dir: Path, **changes) -> None:
    path = mini_dir / "story.json"
    doc = json.loads(path.read_text())
    doc["steps"][1].update(changes)
    path.write_text(json.dumps(doc, ensure_ascii=False))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"year": 1900}, "'year': " + rules.ERR_YEAR.format(first=1857, last=1862, value=1900)),
        (
            {"year": "1860"},
            "'year': " + rules.ERR_YEAR.format(first=1857, last=1862, value="1860"),
        ),
        ({"bounds": [[53, 100], [45, 112]]}, "'bounds': must be"),  # lat/lon swapped
        ({"bounds": [[100, 45]]}, "'bounds': must be"),
        ({"features": ["nowhere"]}, problems.ERR_UNKNOWN_FEATURE.format(feature="nowhere")),
        ({"features": ["shanghai"], "year": 1857}, "feature 'shanghai' is not on the map in 1857"),
        ({"essay_ru": ""}, "'essay_ru': This field cannot be blank."),
        ({"slug": "ports"}, "duplicate step slug 'ports'"),
        ({"colour": "red"}, problems.ERR_UNKNOWN_KEY.format(key="colour")),
    ],
)
@pytest.mark.django_db
def test_a_bad_step_is_refused_and_nothing_changes(story, changes, problem):
    before = rows()
    break_step(story, **changes)
    with pytest.raises(CommandError) as exc:
        call_command("load_atlas", str(story))
    message = str(exc.value)
    assert "story.json: step 2" in message and problem in message
    assert rows() == before


def test_the_real_story_runs_from_1857_to_1862_in_the_essays_words():
    steps = json.loads((GEODATA / "story.json").read_text(encoding="utf-8"))["steps"]
    years = [s["year"] for s in steps]
    assert years == sorted(years) and years[0] == 1857 and years[-1] == 1862
    assert len(steps) >= 10
    essay = ESSAY.read_text(encoding="utf-8") if ESSAY.exists() else None
    for step in steps:
        assert step["features"], step["slug"]
        assert step["caption_en"].strip(), step["slug"]
        if essay:
            assert step["essay_ru"] in essay, step["slug"]


@pytest.mark.django_db
def test_present_renders_the_asked_step_server_side(client, story):
    page = client.get("/present/?step=2").content.decode()
    assert "через Кяхту" in page and "via Kyakhta" in page and "A note." in page
    assert 'id="story-data"' in page
    # The map starts on the step's view and year: nothing is drawn twice as the story starts.
    step = StoryStep.objects.order_by("order")[1]
    config = json.loads(re.search(r'id="atlas-map-config">(.*?)</script>', page)[1])
    (west, south), (east, north) = step.bounds
    assert config["map"]["view"] == {"bounds": [[south, west], [north, east]]}
    assert dict(config["layers"])["addFeatures"]["year"] == step.year


@pytest.mark.parametrize(("asked", "shown"), [("", "Shanghai, Ningbo"), ("0", "Shanghai, Ningbo"),
                                              ("abc", "Shanghai, Ningbo"), ("99", "via Kyakhta"),
                                              ("-1", "Shanghai, Ningbo")])  # fmt: skip
@pytest.mark.django_db
def test_a_step_out_of_range_shows_the_nearest(client, story, asked, shown):
    response = client.get(f"/present/?step={asked}")
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.django_db
def test_present_without_a_story_says_how_to_add_one(client, story):
    (story / "story.json").unlink()
    with pytest.raises(CommandError, match="--prune"):  # every step would go: asked first
        load(story)
    call_command("load_atlas", str(story), "--prune", stdout=StringIO())
    assert not StoryStep.objects.exists()
    page = client.get("/present/").content.decode()
    assert "geodata/story.json" in page


@pytest.mark.django_db
def test_only_the_embed_route_may_be_framed(client, story):
    embed = client.get("/embed/1858/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed.headers
    assert client.get("/map/1858/").headers["X-Frame-Options"] == "DENY"
    assert client.get("/present/").headers["X-Frame-Options"] == "DENY"
    assert client.get("/embed/1900/").status_code == 404
    page = embed.content.decode()
    assert "site-header" not in page and "year-control" not in page
