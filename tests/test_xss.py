"""No XSS: every text that reaches a page, a popup, a tooltip or the API stays text.

The payloads go into every text field of the mini dataset through the loader (and, in
test_admin_input_is_escaped_too, through the admin). Each payload that ran would set
``window.__xss``; tests/browser/test_xss_browser.py opens the pages in Chromium to check that
none does. Here the server's output is checked: HTML is escaped, the JSON embedded in <script>
cannot close the element, and the API returns the texts unchanged as JSON, never as HTML.
"""

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from atlas.models import Clause, Event, Feature, Treaty
from tests.conftest import MINI, load
from tests.test_security import assert_strict_policy, inline_code

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '"><img src=x onerror=window.__xss=1>',
    "'><svg/onload=window.__xss=1>",
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">click</a>',
    "</script><script>window.__xss=1</script>",
    '{{ "xss" ~ "-ssti" }}{{ 7|add:"7" }}{# #}',
    "{{ request.META }}{% csrf_token %}{% debug %}",
    "${window.__xss=1}`;window.__xss=1;`",
    '"};window.__xss=1;//',
    "\u2028</script>\u2029<script>window.__xss=1</script>",
    "\u202e<img src=x onerror=window.__xss=1>gpj.exe",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<details open ontoggle=window.__xss=1>",
    "<!--<script>window.__xss=1//-->",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<style>*{background:url('javascript:window.__xss=1')}</style>",
]
# Payloads that would be dangerous if they reached HTML unescaped (they hold markup).
MARKUP = [p for p in PAYLOADS if "<" in p or '"' in p]


def _texts(obj, keys: list[str], counter: list[int]) -> None:
    """Put the next payloads into these keys of obj (a dict of texts or of {ru, en})."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, dict):
            for lang in [k for k in ("ru", "en", "zh", "pinyin", "romanized") if k in value]:
                value[lang] = f"{lang} {PAYLOADS[counter[0] % len(PAYLOADS)]}"
                counter[0] += 1
        else:
            obj[key] = f"T {PAYLOADS[counter[0] % len(PAYLOADS)]}"
            counter[0] += 1


def xss_geodata(target: Path) -> Path:
    """The mini dataset with a payload in every text a reader can see; every payload is used."""
    shutil.copytree(MINI, target)
    counter = [0]

    def edit(name, change):
        path = target / name
        doc = json.loads(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    def treaties(doc):
        for t in doc["treaties"]:
            _texts(t, ["name", "place", "signatories"], counter)
            t["ratification"] = {"ru": "ru", "en": "en", "zh-hans": "中文"}
            _texts(t, ["ratification"], counter)
            t["sources"] = [PAYLOADS[counter[0] % len(PAYLOADS)], "plain"]
            counter[0] += 1
            for c in t["clauses"]:
                c["note"] = {"ru": "ru", "en": "en", "zh-hans": "中文"}
                _texts(c, ["title", "essay_ru", "text_en", "note"], counter)

    def features(doc):
        for f in doc["features"]:
            p = f["properties"]
            p["note"] = {"ru": "ru", "en": "en", "zh-hans": "中文"}
            _texts(p, ["name", "note"], counter)
            p["name"]["other"] = [PAYLOADS[counter[0] % len(PAYLOADS)]]
            p["sources"] = [PAYLOADS[(counter[0] + 1) % len(PAYLOADS)]]
            counter[0] += 2

    def events(doc):
        for e in doc["events"]:
            _texts(e, ["title", "description"], counter)

    edit("treaties.json", treaties)
    edit("places.geojson", features)
    edit("territories.geojson", features)
    edit("events.json", events)
    assert counter[0] >= len(PAYLOADS)  # every payload is in the data at least once
    return target


@pytest.fixture
def xss(db, tmp_path) -> Path:
    directory = xss_geodata(tmp_path / "xss")
    load(directory)
    return directory


def stored_texts() -> list[str]:
    """Every text field of every record, as stored."""
    texts: list[str] = []
    for model in (Treaty, Clause, Feature, Event):
        for obj in model.objects.all():
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, list):
                    texts.extend(v for v in value if isinstance(v, str))
                elif isinstance(value, dict):  # a translations field
                    texts.extend(v for v in value.values() if isinstance(v, str))
    return texts


PAGES = [
    "/",
    "/map/1858/",
    "/map/1860/",
    "/map/1858/?feature=shanghai",
    "/places/shanghai/",
    "/places/kyakhta/",
    "/places/ussuri-common/",
    "/treaties/tianjin-1858/",
    "/treaties/aigun-1858/",
    "/map/1900/",
]


def outside_json_strings(page: str) -> str:
    """The page with the quotes escaped inside embedded JSON (\\") taken out: those are data."""
    return page.replace('\\"', "\x00")


def scripts(page: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.S)


def test_every_payload_is_stored_as_given(xss):
    texts = "\n".join(stored_texts())
    for payload in PAYLOADS:
        assert payload in texts, payload


@pytest.mark.parametrize("url", PAGES)
def test_pages_escape_every_payload(client, xss, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    page = response.content.decode()
    for payload in MARKUP:
        assert payload not in outside_json_strings(page), payload  # never as markup
    # The template syntax in the data is shown, not run.
    assert "xss-ssti" not in page and "csrfmiddlewaretoken" not in page
    assert "QUERY_STRING" not in page and "HTTP_COOKIE" not in page
    # No <script> element is closed early by data: the map's JSON is a single block.
    for body in scripts(page):
        assert "\u2028" not in body and "\u2029" not in body
        assert "<!--" not in body and "window.__xss=1</" not in body
    # Nothing in the page would run inline, and the policy would refuse it if it did.
    assert inline_code(page) == []
    assert_strict_policy(response)


def test_the_escaped_payloads_are_visible_as_text(client, xss):
    page = client.get("/places/shanghai/").content.decode()
    feature = Feature.objects.get(slug="shanghai")
    assert html.escape(feature.name["en"], quote=True) in page.replace("&#x27;", "&#x27;")
    for source in feature.sources:
        assert (
            f"<li>{html.escape(source)}</li>".replace("&#x27;", "&#x27;")
            in page.replace("&#x27;", "&#x27;")
            or f"<li>{html.escape(source).replace('&#x27;', '&#39;')}</li>" in page
        )


def test_the_map_data_in_the_page_round_trips_the_payloads(client, xss):
    page = client.get("/map/1858/").content.decode()
    found = [p for p in MARKUP if "<" in p and json.dumps(p, ensure_ascii=False)[1:-1] in page]
    assert found == []  # JSON in <script> escapes < > & so no payload appears raw
    escaped = [
        p
        for p in PAYLOADS
        if json.dumps(p, ensure_ascii=False)[1:-1]
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        in page
    ]
    assert escaped  # the texts are there, safely encoded


@pytest.mark.parametrize("url", ["/api/features.geojson?year=1858", "/api/treaties.json"])
def test_the_api_returns_the_texts_unchanged_as_json_not_html(client, xss, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(("application/json", "application/geo+json"))
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    dumped = json.dumps(data, ensure_ascii=False)
    stored = stored_texts()
    assert any(t in dumped for t in (json.dumps(s, ensure_ascii=False)[1:-1] for s in stored))


def test_a_bad_feature_parameter_is_not_reflected_as_markup(client, xss):
    for payload in MARKUP:
        response = client.get("/map/1858/", {"feature": payload})
        assert response.status_code == 200
        assert payload not in outside_json_strings(response.content.decode())


@pytest.mark.django_db
def test_admin_input_is_escaped_too(client, mini):
    from tests.test_admin import form_data

    user = User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    client.force_login(user)
    shanghai = Feature.objects.get(slug="shanghai")
    url = f"/admin/atlas/feature/{shanghai.pk}/change/"
    for i, payload in enumerate(PAYLOADS):
        data = form_data(client.get(url))
        data.update(
            name_en=f"Shanghai {payload}"[:200],
            note_ru=f"ru {payload}",
            note_en=f"en {payload}",
            **{"note_zh-hans": f"注释 {payload}"},
            sources=f"Source {i} {payload}\nSecond",
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        shanghai.refresh_from_db()
        assert shanghai.name["en"] == f"Shanghai {payload}".strip()
        for page_url in (
            url,
            "/admin/atlas/feature/",
            "/places/shanghai/",
            "/map/1858/",
            "/treaties/tianjin-1858/",
        ):
            page = client.get(page_url).content.decode()
            if payload in MARKUP:
                assert payload not in outside_json_strings(page), (payload, page_url)
            for body in scripts(page):
                assert "\u2028" not in body and "window.__xss=1</" not in body
