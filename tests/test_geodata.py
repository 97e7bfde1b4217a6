"""The content of geodata/: it loads, and it holds what the atlas promises its readers."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from atlas.calendars import julian_to_gregorian
from atlas.services import atlas_read

GEODATA = Path(settings.ATLAS_GEODATA_DIR)


@pytest.fixture(scope="module")
def data():
    return atlas_read(path=GEODATA)


@pytest.fixture(scope="module")
def treaties():
    return {t["slug"]: t for t in json.loads((GEODATA / "treaties.json").read_text())["treaties"]}


@pytest.mark.django_db  # --check also asks whether the load would delete most records
def test_geodata_passes_the_loaders_check():
    out = StringIO()
    call_command("load_atlas", "--check", stdout=out)
    assert "All files are valid." in out.getvalue()


def test_the_four_treaties_with_the_briefs_dates_and_article_counts(treaties):
    expected = {
        "aigun-1858": ("1858-05-16", "1858-05-28", 3),
        "tianjin-1858": ("1858-06-01", "1858-06-13", 12),
        "peking-1860": ("1860-11-02", "1860-11-14", 15),
        "rules-1862": ("1862-02-20", "1862-03-04", 21),
    }
    assert set(treaties) == set(expected)
    for slug, (julian, gregorian, articles) in expected.items():
        t = treaties[slug]
        assert (t["signed_julian"], t["signed_gregorian"], t["articles_count"]) == (
            julian,
            gregorian,
            articles,
        )
    assert treaties["tianjin-1858"]["place"]["en"].startswith("Tianjin")


def articles(treaty) -> list[str]:
    return [c["article"] for c in treaty["clauses"]]


def test_every_provision_the_essay_names_with_the_briefs_article(treaties):
    assert "1" in articles(treaties["aigun-1858"])
    # Tianjin: safety, the ports, the border survey, the Mission, equal rights (MFN).
    assert {"1", "3", "9", "10", "12"} <= set(articles(treaties["tianjin-1858"]))
    # Peking: art. 1 twice (confirmation; the Ussuri region), delimitation, border trade, Kyakhta.
    peking = articles(treaties["peking-1860"])
    assert peking.count("1") == 2 and {"3", "4", "5"} <= set(peking)
    # 1862: the 100-li zone, Mongolia, and the one-third duty whose article is not confirmed.
    rules = {c["id"]: c for c in treaties["rules-1862"]["clauses"]}
    assert {"1", "2"} <= {c["article"] for c in rules.values()}
    duty = rules["rules-1862-tianjin-duty"]
    assert duty["article"] == "" and duty["note"] and "1/3" in duty["essay_ru"]


def test_essay_quotes_are_the_essays_own_words(treaties):
    essay = Path(settings.BASE_DIR).parent / "shared/sources/treaties-1858-1862.ru.txt"
    if not essay.exists():  # the repository is used without the shared sources beside it
        essay = None
    for treaty in treaties.values():
        for clause in treaty["clauses"]:
            if essay and clause["essay_ru"]:
                assert clause["essay_ru"] in essay.read_text(encoding="utf-8"), clause["id"]
            if not clause["essay_ru"]:
                assert clause["note"], f"{clause['id']}: no quote and no note saying why"


TIANJIN_PORTS = {"shanghai", "ningbo", "fuzhou", "xiamen", "guangzhou", "tainan", "qiongzhou"}
PLACES = TIANJIN_PORTS | {
    "beijing-mission",
    "beijing",
    "tianjin",
    "aigun",
    "blagoveshchensk",
    "khabarovsk",
    "vladivostok",
    "nikolaevsk",
    "dagu-forts",
    "kyakhta",
    "urga",
    "kalgan",
}


def test_the_places_with_cited_coordinates(data):
    features = {f["slug"]: f for f in data.features}
    assert set(features) >= PLACES
    for slug in PLACES:
        assert features[slug]["geometry"]["type"] == "Point"
        assert features[slug]["sources"]
    for slug in TIANJIN_PORTS:
        assert features[slug]["kind"] == "treaty_port"
        assert features[slug]["valid_from"] == dt.date(1858, 6, 13)
    ports_basis = {(f, c) for f, c, role, _ in data.basis if role == "opened_by"}
    assert {(slug, "tianjin-1858-art3") for slug in TIANJIN_PORTS} <= ports_basis
    assert features["vladivostok"]["valid_from"] == dt.date(1860, 7, 2)


def test_at_least_ten_dated_events_from_putyatin_to_the_1862_rules(data):
    events = sorted(data.events, key=lambda e: e["date_gregorian"])
    assert len(events) >= 10
    assert dt.date(1858, 1, 1) <= events[0]["date_gregorian"] <= dt.date(1858, 6, 13)
    assert events[-1]["date_gregorian"] == dt.date(1862, 3, 4)
    for event in events:
        if event["precision"] == "day":
            assert julian_to_gregorian(event["date_julian"]) == event["date_gregorian"]
