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


RUSSIAN = {
    "aigun-1858": ("1858-05-16", "1858-05-28", 3),
    "tianjin-1858": ("1858-06-01", "1858-06-13", 12),
    "peking-1860": ("1860-11-02", "1860-11-14", 15),
    "rules-1862": ("1862-02-20", "1862-03-04", 21),
}
# The other treaties of the series, dated as signed (Gregorian): the context of the Russian ones.
CONTEXT = {
    "nanking-1842": ("britain", "1842-08-29"),
    "tianjin-us-1858": ("united_states", "1858-06-18"),
    "tianjin-uk-1858": ("britain", "1858-06-26"),
    "tianjin-fr-1858": ("france", "1858-06-27"),
    "peking-uk-1860": ("britain", "1860-10-24"),
    "peking-fr-1860": ("france", "1860-10-25"),
}


def test_the_four_treaties_with_the_briefs_dates_and_article_counts(treaties):
    assert set(treaties) == set(RUSSIAN) | set(CONTEXT)
    for slug, (julian, gregorian, articles) in RUSSIAN.items():
        t = treaties[slug]
        assert t["power"] == "russia"
        assert (t["signed_julian"], t["signed_gregorian"], t["articles_count"]) == (
            julian,
            gregorian,
            articles,
        )
    assert treaties["tianjin-1858"]["place"]["en"].startswith("Tianjin")
    assert treaties["rules-1862"]["document"] == "rules"  # «Подписаны», not «Подписан»


def test_the_other_treaties_of_the_series_are_context_with_their_own_clauses(treaties):
    for slug, (power, gregorian) in CONTEXT.items():
        t = treaties[slug]
        assert (t["power"], t["signed_gregorian"]) == (power, gregorian), slug
        assert (
            julian_to_gregorian(dt.date.fromisoformat(t["signed_julian"])).isoformat() == gregorian
        )
        assert t["clauses"] and all(c["text_ru"] and c["text_en"] for c in t["clauses"]), slug
    ids = {c["id"]: c for t in treaties.values() for c in t["clauses"]}
    # Hong Kong (1842), the ports of 1858, Tianjin and Kowloon (1860).
    assert ids["nanking-1842-art3"]["article"] == "III"
    assert ids["tianjin-uk-1858-art11"]["article"] == "XI"
    assert ids["peking-uk-1860-art4"]["article"] == "IV"
    assert ids["peking-uk-1860-art6"]["article"] == "VI"
    assert treaties["peking-uk-1860"]["document"] == "convention"


def articles(treaty) -> list[str]:
    return [c["article"] for c in treaty["clauses"]]


def test_every_provision_the_essay_names_with_the_briefs_article(treaties):
    assert "1" in articles(treaties["aigun-1858"])
    # Tianjin: safety, envoys and equal correspondence, the ports, overland trade, jurisdiction,
    # the border survey, the Mission, equal rights (MFN).
    assert {"1", "2", "3", "4", "7", "9", "10", "12"} <= set(articles(treaties["tianjin-1858"]))
    tianjin = {c["id"]: c for c in treaties["tianjin-1858"]["clauses"]}
    assert "статус зависимой страны" in tianjin["tianjin-1858-art2"]["essay_ru"]
    assert "особыми правами" in tianjin["tianjin-1858-art7"]["essay_ru"]
    # Peking 1860: the ratification is the exchange of 2 (14) November 1860, the protocol of
    # 1861 is art. 3's note.
    peking = treaties["peking-1860"]
    assert "14 November 1860" in peking["ratification"]["en"]
    assert "1861" in {c["id"]: c for c in peking["clauses"]}["peking-1860-art3"]["note"]["en"]
    assert "принц Гун (И-синь" in peking["signatories"]["ru"]
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
    ports_basis = {(f, c) for f, c, role, _ in data.basis if role == "opened_to_russia_by"}
    assert {(slug, "tianjin-1858-art3") for slug in TIANJIN_PORTS} <= ports_basis
    assert features["vladivostok"]["valid_from"] == dt.date(1860, 7, 2)
    # Founded 31 May 1858 O.S. = 12 June N.S.
    assert (
        features["khabarovsk"]["valid_from"],
        features["khabarovsk"]["valid_from_precision"],
    ) == (
        dt.date(1858, 6, 12),
        "day",
    )


def test_opened_by_only_where_a_treaty_opened_a_port():
    roles = {}
    for line in (GEODATA / "places.geojson").read_text(encoding="utf-8").splitlines()[3:-2]:
        p = json.loads(line.strip().rstrip(","))["properties"]
        roles[p["slug"]] = {(b["clause"], b["role"]) for b in p["basis"]}
    assert roles["beijing"] == {("peking-1860-art5", "merchants_admitted")}
    assert roles["kyakhta"] == {("peking-1860-art5", "access_extended_by")}
    assert roles["tongzhou"] == {("rules-1862-art3", "on_route_of")}
    assert ("peking-uk-1860-art4", "opened_by") in roles["tianjin"]
    # The five ports of 1842 are open to foreign trade from 1842, to Russian ships from 1858.
    for slug in ("shanghai", "ningbo", "fuzhou", "xiamen", "guangzhou"):
        assert ("nanking-1842-art2", "opened_by") in roles[slug]
        assert roles[f"{slug}-1842"] == {("nanking-1842-art2", "opened_by")}


def test_britain_s_gains_and_the_ports_of_the_other_powers(data):
    features = {f["slug"]: f for f in data.features}
    assert features["hong-kong"]["kind"] == features["kowloon"]["kind"] == "british_cession"
    assert features["hong-kong"]["valid_from"] == dt.date(1842, 8, 29)
    assert features["kowloon"]["valid_from"] == dt.date(1860, 10, 24)
    ports = {"newchwang", "dengzhou", "tainan-1858", "tamsui", "swatow", "qiongzhou-1858",
             "hankou", "jiujiang", "nanjing", "zhenjiang", "tianjin-1860"}  # fmt: skip
    for slug in ports:
        f = features[slug]
        assert f["kind"] == "open_port" and f["sources"] and f["note"], slug
    # Where a port actually opened later than its treaty, the note gives the year.
    for slug, year in [("nanjing", "1899"), ("qiongzhou-1858", "1876"), ("hankou", "1861"),
                       ("newchwang", "1861"), ("tamsui", "1862")]:  # fmt: skip
        assert year in features[slug]["note"]["en"], slug


def test_at_least_ten_dated_events_from_putyatin_to_the_1862_rules(data):
    events = sorted(data.events, key=lambda e: e["date_gregorian"])
    assert len(events) >= 10
    # Putyatin at Nagasaki (October 1857) comes first.
    assert events[0]["slug"] == "putyatin-nagasaki"
    assert dt.date(1857, 10, 1) <= events[0]["date_gregorian"] <= dt.date(1858, 6, 13)
    assert events[-1]["date_gregorian"] == dt.date(1862, 3, 4)
    for event in events:
        if event["precision"] == "day":
            assert julian_to_gregorian(event["date_julian"]) == event["date_gregorian"]
