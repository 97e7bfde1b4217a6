"""Chinese (Simplified): the interface's catalog, the reader's choice, dates in the Chinese way."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from atlas.calendars import format_date, format_dual, reign_date
from atlas.i18n import to_language_tag
from tests.test_datafiles import data_files, read_data_file
from tests.test_i18n import GEODATA, ROOT, interface_messages

CATALOG = ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo"


def test_every_interface_message_has_a_chinese_translation():
    assert CATALOG.exists(), "compile the catalogs first: make messages"
    with translation.override("zh-hans"):
        untranslated = sorted(m for m in interface_messages() if translation.gettext(m) == m)
    assert untranslated == []


def test_the_language_tag_is_bcp47():
    assert to_language_tag("zh-hans") == "zh-Hans"
    assert to_language_tag("ru") == "ru" and to_language_tag("en-gb") == "en-GB"


@pytest.mark.parametrize(
    ("gregorian", "reign"),
    [
        (dt.date(1858, 5, 28), "咸丰八年四月十六日"),  # Aigun
        (dt.date(1858, 6, 13), "咸丰八年五月初三日"),  # the Russian Treaty of Tianjin
        (dt.date(1860, 11, 14), "咸丰十年十月初二日"),  # the Additional Treaty of Peking
        (dt.date(1862, 3, 4), "同治元年二月初四日"),  # the Rules of overland trade
        (dt.date(1851, 2, 1), "咸丰元年正月初一日"),  # the Chinese new year starts a reign
        (dt.date(1851, 1, 31), "道光三十年十二月三十日"),
        (dt.date(1842, 8, 29), "道光二十二年七月二十四日"),  # Nanking
    ],
)
def test_the_reign_year_form_is_computed(gregorian, reign):
    assert reign_date(gregorian) == reign


def test_a_leap_month_is_marked():
    # Xianfeng 10 (1860) had a leap third month.
    assert reign_date(dt.date(1860, 5, 1)).startswith("咸丰十年闰三月")


def test_dates_are_written_the_chinese_way_in_both_calendars():
    aigun = dt.date(1858, 5, 28)
    assert format_date(aigun, lang="zh-hans") == "1858年5月28日"
    assert format_date(aigun, "month", lang="zh-hans") == "1858年5月"
    assert format_date(aigun, "year", lang="zh-hans") == "1858年"
    both = "公历1858年5月28日（儒略历5月16日；咸丰八年四月十六日）"
    assert format_dual(aigun, lang="zh-hans") == both
    # English and Russian keep their forms and leave the reign year out.
    assert format_dual(aigun, lang="en") == "28 May 1858 N.S. (16 May O.S.)"
    assert format_dual(aigun, lang="ru") == "28 мая 1858 н. ст. (16 мая ст. ст.)"
    new_year = format_dual(dt.date(1858, 1, 5), lang="zh-hans")
    assert new_year == "公历1858年1月5日（儒略历1857年12月24日；咸丰七年十一月二十一日）"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh", "zh-Hans", "zh-TW"])
def test_a_browser_asking_for_chinese_gets_chinese(client, atlas, accept):
    page = client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "条约地图集" in page and "本年新增" in page
    words = words_file(client, "/map/1858/", HTTP_ACCEPT_LANGUAGE=accept)
    assert words["lang"] == "zh-hans" and words["text"]["legend"] == "图例"


@pytest.mark.django_db
def test_the_switch_offers_chinese_and_remembers_it(client, atlas):
    english = client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/language/zh-hans/?next=/map/1858/"' in english
    assert 'lang="zh-Hans"' in english and ">中文<" in english
    response = client.get("/language/zh-hans/", {"next": "/places/aigun/"})
    assert response.status_code == 302 and response.headers["Location"] == "/places/aigun/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    for path in ("/map/1860/", "/places/xiamen/", "/treaties/peking-1860/", "/present/",
                 "/embed/1860/", "/people/ignatiev/", "/map/1900/"):  # fmt: skip
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
        assert '<html lang="zh-Hans">' in response.content.decode(), path
    treaty = client.get("/treaties/aigun-1858/").content.decode()
    assert "公历1858年5月28日（儒略历5月16日；咸丰八年四月十六日）" in treaty
    assert "条款" in treaty and "签约人" in treaty
    assert "没有1900年的地图" in client.get("/map/1900/").content.decode()


def words_file(client, path: str, **headers) -> dict:
    """The words data file (popups, names, legend, interface) a map page loads."""
    (name,) = [n for n in data_files(client, path, **headers) if "/data/words." in n]
    return read_data_file(client.get(name).content.decode())[1]


@pytest.mark.django_db
def test_popups_and_map_words_in_chinese(client, atlas):
    client.get("/language/zh-hans/")
    words = words_file(client, "/map/1858/")
    popups = "".join(words["popups"].values())
    assert "对俄国船只开放依据" in popups
    assert words["text"]["legend"] == "图例" and words["text"]["play"] == "播放"


def texts_lacking_chinese(node, path=""):
    """Every text of a geodata document (a translations dict, a clause's text_*, a step's
    caption_*) that has no Chinese (Simplified) form."""
    if isinstance(node, dict):
        if {"ru", "en"} <= set(node) and isinstance(node["en"], str):
            if node["en"].strip() and not str(node.get("zh-hans", "")).strip():
                yield path
            return
        for prefix in ("text", "caption"):
            if str(node.get(f"{prefix}_en") or "").strip() and not node.get(f"{prefix}_zh-hans"):
                yield f"{path}.{prefix}_zh-hans"
        for key, value in node.items():
            yield from texts_lacking_chinese(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts_lacking_chinese(value, f"{path}[{i}]")


@pytest.mark.parametrize("name", sorted(p.name for p in GEODATA.glob("*.*json")))
def test_no_text_of_the_atlas_lacks_its_chinese_form(name):
    doc = json.loads((GEODATA / name).read_text(encoding="utf-8"))
    assert list(texts_lacking_chinese(doc)) == []


def test_treaties_and_places_carry_the_names_of_chinese_historiography():
    treaties = json.loads((GEODATA / "treaties.json").read_text(encoding="utf-8"))["treaties"]
    names = {t["slug"]: t["name"]["zh-hans"] for t in treaties}
    assert names["aigun-1858"] == "瑷珲条约" and names["tianjin-1858"] == "中俄天津条约"
    assert names["peking-1860"] == "中俄北京条约" and "陆路通商章程" in names["rules-1862"]
    places = json.loads((GEODATA / "places.geojson").read_text(encoding="utf-8"))["features"]
    period = {f["properties"]["slug"]: f["properties"]["name"]["zh-hans"] for f in places}
    assert {
        period[s]
        for s in (
            "blagoveshchensk",
            "khabarovsk",
            "vladivostok",
            "nikolaevsk",
            "kyakhta",
            "urga",
            "kalgan",
        )
    } == {  # fmt: skip
        "海兰泡",
        "伯力",
        "海参崴",
        "庙街",
        "恰克图",
        "库伦",
        "张家口",
    }


@pytest.mark.django_db
def test_place_and_treaty_pages_and_a_popup_in_chinese(client, atlas):
    client.get("/language/zh-hans/")
    place = client.get("/places/blagoveshchensk/").content.decode()
    assert "<h1>海兰泡" in place or ">海兰泡<" in place
    assert "瑷珲条约" in place and "Благовещенск" in place
    treaty = client.get("/treaties/peking-1860/").content.decode()
    assert "中俄北京条约" in treaty and "乌苏里江以东地区归俄国" in treaty
    assert "咸丰十年十月初二日" in treaty
    popup = words_file(client, "/map/1858/?feature=shanghai")["popups"]["shanghai"]
    assert "中俄天津条约" in popup and "由七口进行海上贸易" in popup


@pytest.mark.django_db
def test_the_presentation_steps_in_chinese_keep_the_essay_in_russian(client, atlas):
    client.get("/language/zh-hans/")
    story = json.loads((GEODATA / "story.json").read_text(encoding="utf-8"))["steps"]
    for number, step in enumerate(story, start=1):
        page = client.get("/present/", {"step": number}).content.decode()
        assert '<html lang="zh-Hans">' in page
        assert step["title"]["zh-hans"] in page, step["slug"]
        # The essay's words stay in Russian; the Chinese translation is beside them.
        assert step["essay_ru"] in page and step["caption_zh-hans"] in page, step["slug"]
    person = client.get("/people/prince-gong/").content.decode()
    assert "恭亲王奕䜣" in person and "中俄北京条约" in person


# --- Translations marked as such ----------------------------------------------------------------

PEKING_1 = "peking-1860-art1-confirm"
MARK = '<small class="translation-mark" title="本图集编者的译文">（译文）</small>'


@pytest.mark.django_db
def test_chinese_texts_are_marked_as_translations_on_every_page(client, atlas):
    client.get("/language/zh-hans/")
    treaties = {
        t["slug"]: t for t in json.loads((GEODATA / "treaties.json").read_text("utf-8"))["treaties"]
    }
    peking = treaties["peking-1860"]
    page = client.get("/treaties/peking-1860/").content.decode()
    for clause in peking["clauses"]:
        # The translation in an element that says it is Chinese, the mark after it, and the
        # Russian treaty's own Russian wording beside it.
        assert f'<span lang="zh-Hans">{clause["text_zh-hans"]}</span> {MARK}' in page
        assert f'<span class="original-wording" lang="ru">{clause["text_ru"]}</span>' in page
    # Another power's treaty: marked, but its Russian text is a translation too, not shown.
    nanking = client.get("/treaties/nanking-1842/").content.decode()
    assert MARK in nanking and "original-wording" not in nanking
    for url in ("/places/blagoveshchensk/", "/people/prince-gong/", "/map/1860/", "/present/"):
        assert MARK in client.get(url).content.decode(), url
    popup = words_file(client, "/map/1858/?feature=shanghai")["popups"]["shanghai"]
    assert MARK in popup and '<span class="original-wording" lang="ru">' in popup
    # The presentation: the step's texts are Chinese, the essay's words Russian.
    present = client.get("/present/", {"step": 1}).content.decode()
    assert '<h1 class="present-title" lang="zh-Hans">' in present
    assert '<p class="present-translation" lang="zh-Hans">' in present
    assert '<blockquote class="present-quote" lang="ru">' in present


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_english_and_russian_pages_carry_no_mark(client, atlas, language):
    client.get(f"/language/{language}/")
    page = client.get("/treaties/peking-1860/").content.decode()
    assert "translation-mark" not in page and "original-wording" not in page
    peking = json.loads((GEODATA / "treaties.json").read_text("utf-8"))["treaties"]
    (text,) = [c[f"text_{language}"] for t in peking for c in t["clauses"] if c["id"] == PEKING_1]
    assert f'<p class="translation">{escape(text)}</p>' in page  # in the page's own language
    present = client.get("/present/").content.decode()
    assert "present-mark" not in present


def test_a_text_that_falls_back_is_not_marked_and_says_its_language():
    from django.template import Context, Template

    template = Template("{% load atlas_tags %}{% translated text original='Текст' %}")
    with translation.override("zh-hans"):
        fallen = template.render(Context({"text": {"en": "Shanghai, Ningbo"}}))
        chinese = template.render(Context({"text": {"en": "Ningbo", "zh-hans": "宁波"}}))
        empty = template.render(Context({"text": {}}))
    assert fallen == '<span lang="en">Shanghai, Ningbo</span>'
    assert chinese == (
        f'<span lang="zh-Hans">宁波</span> {MARK} '
        '<span class="original-wording" lang="ru">Текст</span>'
    )
    assert empty == ""
    with translation.override("en"):
        english = template.render(Context({"text": {"en": "<b>Ningbo</b>", "zh-hans": "宁波"}}))
    assert english == "&lt;b&gt;Ningbo&lt;/b&gt;"


# --- Punctuation from the catalogs ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_popup_s_punctuation_is_each_language_s_own(client, atlas):
    client.get("/language/zh-hans/")
    popup = words_file(client, "/map/1858/?feature=shanghai")["popups"]["shanghai"]
    assert '<span lang="en">Shanghai</span>、<span lang="ru">Шанхай</span>' in popup
    assert "、可靠程度：大致" in popup
    assert '依据：<a href="/treaties/tianjin-1858/">中俄天津条约</a>，第3条' in popup
    assert '——<a href="/people/putyatin/">普提雅廷</a>、<a href="/people/guiliang/">' in popup
    assert "<strong>按语：</strong>" in popup
    header = popup[: popup.index("</h3>")]  # the texts below may quote Russian
    assert " · " not in header and ": " not in header and ", " not in header
    client.get("/language/en/")
    popup = words_file(client, "/map/1858/?feature=shanghai")["popups"]["shanghai"]
    assert '<span lang="ru">Шанхай</span> · <span lang="zh-Hans">上海</span>' in popup
    assert " · certainty: approximate" in popup
    assert "Treaty of Tianjin</a>, art. 3" in popup
    assert (
        ' — <a href="/people/putyatin/">Yevfimy Putyatin</a>, <a href="/people/guiliang/">' in popup
    )
    client.get("/language/ru/")
    popup = words_file(client, "/map/1858/?feature=shanghai")["popups"]["shanghai"]
    assert '<span lang="en">Shanghai</span> · <span lang="zh-Hans">上海</span>' in popup
    header = popup[: popup.index("</h3>")]
    assert "、" not in header and "：" not in header and "，" not in header


@pytest.mark.django_db
def test_the_treaty_and_place_pages_punctuate_in_each_language(client, atlas):
    client.get("/language/zh-hans/")
    treaty = client.get("/treaties/tianjin-1858/").content.decode()
    assert "<h3>第1条：" in treaty
    assert '在图上：<a href="/places/shanghai/">上海</a>（' in treaty
    assert "）、<a href=" in treaty
    place = client.get("/places/vladivostok/").content.decode()
    assert '依据：<a href="/treaties/peking-1860/">中俄北京条约</a>，第1条' in place
    shanghai = client.get("/places/shanghai/").content.decode()
    assert "（可靠程度：大致）" in shanghai
    client.get("/language/en/")
    treaty = client.get("/treaties/tianjin-1858/").content.decode()
    assert "<h3>Art. 1: " in treaty
    assert 'On the map: <a href="/places/shanghai/">Shanghai</a> (' in treaty
    assert "), <a href=" in treaty
    assert "(certainty: approximate)" in client.get("/places/shanghai/").content.decode()
