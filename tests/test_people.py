"""The people of the treaties (geodata/people.json): records, pages and the links to them."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from atlas import rules
from atlas.calendars import format_dual
from atlas.models import Clause, Event, Person, Treaty

GEODATA = Path(settings.ATLAS_GEODATA_DIR)
PEOPLE = {"muravyov", "putyatin", "ignatiev", "yishan", "jiraminga", "guiliang", "huashana",
          "prince-gong", "elgin", "gros"}  # fmt: skip


def test_the_negotiators_and_signatories_each_with_sources():
    people = json.loads((GEODATA / "people.json").read_text(encoding="utf-8"))["people"]
    assert {p["slug"] for p in people} == PEOPLE
    treaties = {t["slug"] for t in json.loads((GEODATA / "treaties.json").read_text())["treaties"]}
    for p in people:
        assert p["sources"] and p["treaties"] and set(p["treaties"]) <= treaties, p["slug"]
        assert p["name"]["en"] and p["name"]["ru"] and p["role"]["en"] and p["role"]["ru"]
    gong = next(p for p in people if p["slug"] == "prince-gong")
    assert gong["name"]["ru"] == "принц Гун (И-синь)"
    assert set(gong["treaties"]) == {"peking-uk-1860", "peking-fr-1860", "peking-1860"}


def test_no_russian_text_calls_prince_gong_a_grand_duke_but_the_essay_s_own_words():
    """«Великий князь Гун» stays only inside the essay's quoted words (with a note)."""
    for name in ("treaties.json", "events.json", "story.json", "people.json"):
        text = (GEODATA / name).read_text(encoding="utf-8")
        for m in re.finditer(r"великий князь Гун|великому князю Гуну", text):
            before = text[max(0, m.start() - 300) : m.start()]
            quoted = before.rfind("«") > before.rfind("»") or "essay_ru" in before[-200:]
            assert quoted or "other" in before[-120:], f"{name}: {text[m.start() - 60 : m.end()]}"


@pytest.mark.django_db
def test_a_person_s_page_gives_names_role_treaties_and_events(client, atlas):
    page = client.get("/people/prince-gong/").content.decode()
    assert "Prince Gong (Yixin)" in page and "恭親王奕訢" in page and "1833–1898" in page
    for treaty in (
        "/treaties/peking-1860/",
        "/treaties/peking-uk-1860/",
        "/treaties/peking-fr-1860/",
    ):
        assert f'href="{treaty}"' in page
    assert "The Treaty of Peking is signed" in page and "context" in page
    assert client.get("/people/nobody/").status_code == 404


@pytest.mark.django_db
def test_treaties_events_and_popups_link_to_the_people(client, atlas):
    treaty = client.get("/treaties/aigun-1858/").content.decode()
    for slug in ("muravyov", "yishan", "jiraminga"):
        assert f'href="/people/{slug}/"' in treaty
    year = client.get("/map/1860/").content.decode()
    assert 'href="/people/ignatiev/"' in year  # the events of 1860
    assert "/people/prince-gong/" in year  # Beijing's popup: who signed the Treaty of Peking


@pytest.mark.django_db
def test_a_context_treaty_is_marked_as_such(client, atlas):
    page = client.get("/treaties/peking-uk-1860/").content.decode()
    assert "context-banner" in page and "not one of the Russian treaties" in page
    assert "context-banner" not in client.get("/treaties/peking-1860/").content.decode()
    assert Treaty.objects.get(slug="peking-uk-1860").is_context
    assert not Treaty.objects.get(slug="rules-1862").is_context


@pytest.mark.django_db
def test_signed_agrees_with_the_instrument_in_russian(client, atlas):
    client.get("/language/ru/")
    assert "<dt>Подписаны</dt>" in client.get("/treaties/rules-1862/").content.decode()
    assert "<dt>Подписан</dt>" in client.get("/treaties/aigun-1858/").content.decode()
    assert "<dt>Подписана</dt>" in client.get("/treaties/peking-uk-1860/").content.decode()


# --- The rules the new records brought ------------------------------------------------------------


@pytest.mark.parametrize("article", ["", "1", "12", "III", "XI", "XIV", "LVI"])
def test_article_numbers_arabic_or_roman(article):
    rules.check_article(article)


@pytest.mark.parametrize("article", ["0", "IIII", "VX", "art. 3", "3a", "xi"])
def test_malformed_article_numbers_are_refused(article):
    with pytest.raises(ValidationError):
        rules.check_article(article)


def test_an_article_beyond_its_treaty_is_refused_by_the_model():
    treaty = Treaty(articles_count=9)
    clause = Clause(article="X", treaty=treaty)
    with pytest.raises(ValidationError, match="beyond the treaty's 9 articles"):
        clause.clean()
    Clause(article="IX", treaty=treaty).clean()


@pytest.mark.parametrize(
    ("julian", "gregorian", "precision", "ok"),
    [
        ("1858-05-01", "1858-06-01", "month", True),  # 31 May O.S. = 12 June N.S.: the month before
        ("1858-06-01", "1858-06-01", "month", True),
        ("1858-04-01", "1858-06-01", "month", False),
        ("1858-07-01", "1858-06-01", "month", False),  # Julian after Gregorian
        ("1857-01-01", "1858-01-01", "year", True),
        ("1856-01-01", "1858-01-01", "year", False),
    ],
)
def test_a_month_or_year_in_both_calendars(julian, gregorian, precision, ok):
    event = Event(
        date_julian=dt.date.fromisoformat(julian),
        date_gregorian=dt.date.fromisoformat(gregorian),
        precision=precision,
    )
    if ok:
        event.clean()
    else:
        with pytest.raises(ValidationError):
            event.clean()


def test_a_month_shows_both_calendars_where_they_differ():
    june, may = dt.date(1858, 6, 1), dt.date(1858, 5, 1)
    assert format_dual(june, "month", julian=may) == "June 1858 N.S. (May 1858 O.S.)"
    assert format_dual(june, "month", julian=june) == "June 1858"
    assert format_dual(may, "month", lang="ru", julian=may) == "май 1858"
    assert format_dual(dt.date(1858, 1, 1), "year", julian=dt.date(1857, 1, 1)) == (
        "1858 N.S. (1857 O.S.)"
    )


@pytest.mark.django_db
def test_khabarovka_is_dated_in_both_calendars_after_aigun(atlas):
    events = list(Event.objects.order_by("date_gregorian", "slug").values_list("slug", flat=True))
    assert events.index("aigun-signed") < events.index("khabarovka-founded")
    event = Event.objects.get(slug="khabarovka-founded")
    assert format_dual(event.date_gregorian, event.precision, julian=event.date_julian) == (
        "12 June 1858 N.S. (31 May O.S.)"
    )
    assert Person.objects.get(slug="putyatin").events.filter(slug="putyatin-edo").exists()
