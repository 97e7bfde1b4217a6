"""Russian and English throughout: the interface's catalog, every record, the language choice."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from tests.test_datafiles import read_data_file

ROOT = Path(settings.BASE_DIR)
GEODATA = Path(settings.ATLAS_GEODATA_DIR)
CATALOG = ROOT / "locale/ru/LC_MESSAGES/django.mo"
CALL = re.compile(
    r"""\b(?:gettext|gettext_lazy|_)\(\s*u?((?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))"""
)


def interface_messages() -> set[str]:
    """Every translatable message in the templates and the Python code (as makemessages sees)."""
    found = set()
    sources = [
        templatize(p.read_text(encoding="utf-8"), origin=str(p))
        for p in (ROOT / "templates").rglob("*.html")
        if "admin" not in p.parts
    ]
    sources += [
        p.read_text(encoding="utf-8")
        for p in (ROOT / "atlas").rglob("*.py")
        if "migrations" not in p.parts
    ]
    for text in sources:
        for literal in CALL.findall(text):
            found.add(eval(literal))  # noqa: S307 — a string literal matched above
    return found


def test_every_interface_message_has_a_russian_translation():
    assert CATALOG.exists(), "compile the catalogs first: make messages"
    messages = interface_messages()
    assert len(messages) > 80
    with translation.override("ru"):
        untranslated = sorted(m for m in messages if translation.gettext(m) == m)
    assert untranslated == []


def bilingual_values(node, path=""):
    """Every {"ru": …, "en": …} pair in a document, with where it is."""
    if isinstance(node, dict):
        if {"ru", "en"} <= set(node):
            yield path, node
        for key, value in node.items():
            yield from bilingual_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from bilingual_values(value, f"{path}[{i}]")


@pytest.mark.parametrize("name", ["treaties.json", "events.json", "story.json", "people.json",
                                  "places.geojson",
                                  "borders.geojson", "territories.geojson", "trade_zone.geojson",
                                  "routes.geojson"])  # fmt: skip
def test_every_record_has_both_languages(name):
    doc = json.loads((GEODATA / name).read_text(encoding="utf-8"))
    pairs = list(bilingual_values(doc))
    assert pairs
    for where, pair in pairs:
        assert str(pair["ru"]).strip() and str(pair["en"]).strip(), f"{name}{where}"
    if name == "treaties.json":
        for treaty in doc["treaties"]:
            for clause in treaty["clauses"]:
                assert clause["text_ru"].strip() and clause["text_en"].strip(), clause["id"]


def test_places_carry_period_romanisations_and_historical_names():
    features = json.loads((GEODATA / "places.geojson").read_text(encoding="utf-8"))["features"]
    names = {f["id"]: f["properties"]["name"] for f in features}
    romanised = {
        "xiamen": "Amoy", "guangzhou": "Canton", "ningbo": "Ningpo", "fuzhou": "Foochow",
        "qiongzhou": "Kiungchow", "tianjin": "Tientsin", "beijing": "Peking",
        "kalgan": "Kalgan", "urga": "Urga",
    }  # fmt: skip
    for slug, form in romanised.items():
        assert names[slug]["romanized"] == form
    for slug, historical in [("vladivostok", "Haishenwai"), ("khabarovsk", "Boli"),
                             ("blagoveshchensk", "Hailanpao")]:  # fmt: skip
        assert historical in names[slug]["other"]
    for slug, name in names.items():
        assert name["zh"] and name["pinyin"], slug
    # Traditional characters where the period calls for them.
    assert names["xiamen"]["zh"] == "廈門" and names["xiamen"]["zh_simplified"] == "厦门"


@pytest.mark.django_db
def test_the_browser_language_chooses_and_the_switcher_remembers(client, atlas):
    english = client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en">' in english and "New this year" in english
    assert '<html lang="ru">' in russian and "Новое в этом году" in russian
    # The switcher is a link that sets a cookie and comes back to the same page.
    assert 'href="/language/ru/?next=/map/1858/"' in english
    response = client.get("/language/ru/", {"next": "/places/xiamen/"})
    assert response.status_code == 302 and response.headers["Location"] == "/places/xiamen/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    # The choice is remembered over the browser's own preference, on every page.
    for path in ("/map/1860/", "/places/xiamen/", "/treaties/peking-1860/", "/present/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="ru">' in page, path
    place = client.get("/places/xiamen/").content.decode()
    assert "Сямэнь" in place and "Латиница того времени" in place and "Amoy" in place
    treaty = client.get("/treaties/tianjin-1858/").content.decode()
    assert "Подписали" in treaty and "13 июня 1858 н. ст. (1 июня ст. ст.)" in treaty
    assert client.get("/map/1900/").content.decode().count("Карты на 1900 год нет") == 1


@pytest.mark.django_db
def test_popups_and_map_words_follow_the_language(client, atlas):
    client.get("/language/ru/")
    page = client.get("/map/1858/").content.decode()
    assert "Пуск" in page
    # The map's words are the page's language's data file.
    (words,) = re.findall(r'<script src="(/data/words\.ru\.[0-9a-f]{16}\.js)"', page)
    texts = read_data_file(client.get(words).content.decode())[1]
    assert "Открыт по:" in texts["popups"]["shanghai"]  # Shanghai's popup
    assert "Тяньцзинский трактат" in texts["popups"]["shanghai"]
    assert texts["text"]["legend"] == "Условные знаки"  # the legend
    assert texts["legend"]["treaty_port"] == "Открыт для русских судов с 1858 г."


@pytest.mark.django_db
def test_the_switcher_goes_back_only_to_this_site(client, atlas):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.get("/language/ru/", {"next": target})
        assert response.headers["Location"] == "/", target
    assert client.get("/language/xx/").status_code == 404
    # Pages carry no CSRF token: the switcher is a link, and pages stay cacheable.
    assert "csrfmiddlewaretoken" not in client.get("/map/1858/").content.decode()
