"""The admin: editors log in and edit; the forms keep the loader's rules; anonymous users can't."""

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.forms import MultiWidget

from atlas import forms, geo, rules
from atlas.models import Event, Feature, Treaty
from tests.conftest import MINI, load

MODELS = tuple(apps.get_app_config("atlas").get_models(include_auto_created=True))
SELF_INTERSECTING = {
    "type": "Polygon",
    "coordinates": [[[133.0, 43.0], [138.0, 47.0], [138.0, 43.0], [133.0, 47.0], [133.0, 43.0]]],
}


def snapshot() -> dict[str, list[tuple]]:
    return {m._meta.db_table: sorted(m.objects.values_list()) for m in MODELS}


def form_data(response) -> dict:
    """The POST data of an admin change form as the page shows it (main form and inlines)."""
    ctx = response.context
    forms_ = [ctx["adminform"].form]
    for inline in ctx["inline_admin_formsets"]:
        forms_.append(inline.formset.management_form)
        forms_.extend(inline.formset.forms)
    data = {}
    for form in forms_:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, MultiWidget):  # a translations field: one box per language
                parts = value if isinstance(value, list) else widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[bound.html_name + suffix] = part or ""
                continue
            if value is None:
                value = ""
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
                continue
            if isinstance(value, dict):
                value = json.dumps(value)
            data[bound.html_name] = str(value)
    return data


@pytest.fixture
def editor(db, client):
    user = User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(user)
    return client


def feature_url(slug: str, action: str = "change") -> str:
    return f"/admin/atlas/feature/{Feature.objects.get(slug=slug).pk}/{action}/"


def change(client, url: str, **changes):
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


# --- Who may change what --------------------------------------------------------------------


ADMIN_PAGES = [
    "/admin/",
    "/admin/atlas/treaty/",
    "/admin/atlas/treaty/add/",
    "/admin/atlas/clause/",
    "/admin/atlas/feature/",
    "/admin/atlas/feature/add/",
    "/admin/atlas/event/",
    "/admin/atlas/event/add/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, mini, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_anonymous_posts_change_nothing(client, mini):
    before = snapshot()
    shanghai = Feature.objects.get(slug="shanghai")
    treaty = Treaty.objects.get(slug="tianjin-1858")
    event = Event.objects.get()
    posts = [
        (feature_url("shanghai"), {"name_en": "Hacked", "certainty": "exact"}),
        (f"/admin/atlas/feature/{shanghai.pk}/delete/", {"post": "yes"}),
        ("/admin/atlas/feature/", {"action": "delete_selected", "_selected_action": shanghai.pk}),
        (f"/admin/atlas/treaty/{treaty.pk}/change/", {"name_en": "Hacked"}),
        (f"/admin/atlas/treaty/{treaty.pk}/delete/", {"post": "yes"}),
        (f"/admin/atlas/event/{event.pk}/delete/", {"post": "yes"}),
        ("/admin/atlas/event/add/", {"slug": "new", "title_en": "New"}),
        ("/admin/atlas/feature/check-geometry/", {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    assert snapshot() == before


@pytest.mark.django_db
def test_a_logged_in_user_who_is_not_staff_cannot_edit(client, mini):
    user = User.objects.create_user("reader", password="a-long-test-password")
    client.force_login(user)
    before = snapshot()
    response = client.post(feature_url("shanghai"), {"name_en": "Hacked"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert snapshot() == before


@pytest.mark.django_db
def test_staff_without_permission_to_change_features_is_refused(client, mini):
    user = User.objects.create_user("viewer", password="a-long-test-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_feature"))
    client.force_login(user)
    before = snapshot()
    url = feature_url("shanghai")
    assert client.get(url).status_code == 200  # may look
    assert client.post(url, {"name_en": "Hacked"}).status_code == 403  # may not change
    assert client.post(feature_url("shanghai", "delete"), {"post": "yes"}).status_code == 403
    assert snapshot() == before


def test_editors_log_in_with_a_password(client, db):
    User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "a-long-test-password"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/atlas/feature/").status_code == 200
    client.logout()
    assert client.get("/admin/atlas/feature/").status_code == 302


# --- Editing features -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feature_page_has_a_local_map_preview(editor, mini):
    response = editor.get(feature_url("ussuri-common"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="atlas-geometry"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/atlas/admin-preview.js" in html
    assert "/static/atlas/admin-preview.css" in html
    # Nothing from another origin: every script and stylesheet is our own.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url
    geometry = response.context["adminform"].form["geometry"].value()
    assert json.loads(geometry) == Feature.objects.get(slug="ussuri-common").geometry


@pytest.mark.django_db
def test_the_preview_script_and_land_layer_are_served(editor, mini, client):
    assert editor.get("/static/atlas/admin-preview.js").status_code == 200
    response = editor.get("/admin/atlas/feature/basemap.geojson")
    assert response.status_code == 200
    assert json.loads(response.content)["type"] == "FeatureCollection"


@pytest.mark.django_db
def test_an_editor_saves_a_valid_edit(editor, mini):
    url = feature_url("shanghai")
    point = {"type": "Point", "coordinates": [121.47, 31.23]}
    response = change(
        editor, url, name_en="Shanghai (edited)", geometry=json.dumps(point),
        sources="First source\n\n  Second source  \n",
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    shanghai = Feature.objects.get(slug="shanghai")
    assert shanghai.name == {"en": "Shanghai (edited)", "ru": "Шанхай", "zh-hans": "上海"}
    assert shanghai.geometry == point
    assert shanghai.sources == ["First source", "Second source"]
    assert shanghai.basis.get().clause.slug == "tianjin-1858-art3"  # the inline is kept


LANGUAGES = "en, ru, zh-hans"  # the atlas' languages as the rules name them
NOT_JSON = "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
NO_VALUE = "Expecting value: line 1 column 1 (char 0)"
AREA = "a positive number of square kilometres"

BAD_EDITS = [
    ({"geometry": json.dumps(SELF_INTERSECTING)}, "geometry", "geometry is not valid: Self-"),
    (
        {"geometry": '{"type": "Point", "coordinates": [31.23, 121.47]}'},
        "geometry",
        geo.ERR_LAT_RANGE.format(lat=121.47),
    ),
    (
        {"geometry": '{"type": "Point", "coordinates": [NaN, 31.2]}'},
        "geometry",
        forms.ERR_JSON.format(detail="number NaN is not allowed in JSON"),
    ),
    ({"geometry": "{not json"}, "geometry", forms.ERR_JSON.format(detail=NOT_JSON)),
    ({"geometry": '{"type": "Circle"}'}, "geometry", geo.ERR_TYPE.format(type="Circle")),
    ({"geometry": ""}, "geometry", "This field is required."),
    ({"certainty": ""}, "certainty", "This field is required."),
    ({"sources": "  \n \n"}, "sources", forms.ERR_SOURCES_REQUIRED),
    (
        {"valid_to": "1850-01-01", "valid_to_precision": "day"},
        "valid_to",
        rules.ERR_ORDER.format(valid_to="1850-01-01", valid_from="1858-06-13"),
    ),
    ({"valid_to": "1860-01-01", "valid_to_precision": ""}, "valid_to_precision",
     rules.ERR_TO_PRECISION),
    ({"valid_to": "", "valid_to_precision": "day"}, "valid_to_precision",
     rules.ERR_PRECISION_WITHOUT_DATE),
    (
        {"valid_from_precision": "month"},
        "valid_from",
        rules.ERR_PRECISION_DATE.format(precision="month", unit="month"),
    ),
    ({"other_names": '"not a list"'}, "other_names", rules.ERR_OTHER_NAMES),
    ({"other_names": "[1, 2]"}, "other_names", rules.ERR_OTHER_NAMES),
    # The feature's own figures: an object of known keys, each with its type.
    ({"extra": "[1, 2]"}, "extra", rules.ERR_EXTRA_NOT_OBJECT),
    ({"extra": '"x"'}, "extra", rules.ERR_EXTRA_NOT_OBJECT),
    ({"extra": "x"}, "extra", forms.ERR_JSON.format(detail=NO_VALUE)),
    (
        {"extra": '{"slug": "hijacked"}'},
        "extra",
        rules.ERR_EXTRA_UNKNOWN.format(key="slug", known=", ".join(rules.FEATURE_EXTRA)),
    ),
    (
        {"extra": '{"area_km2": "some text"}'},
        "extra",
        rules.ERR_EXTRA_TYPE.format(key="area_km2", expected=AREA),
    ),
    ({"extra": '{"area_km2": -5}'}, "extra",
     rules.ERR_EXTRA_TYPE.format(key="area_km2", expected=AREA)),
    # One slug pattern everywhere: the loader's, which Django's own SlugField would let through.
    ({"slug": "Shang_Hai"}, "slug", rules.ERR_SLUG.format(value="Shang_Hai")),
    # Texts: a name in every language; a note in every language or in none.
    ({"name_ru": ""}, "name", rules.ERR_TRANSLATIONS.format(languages=LANGUAGES)),
    ({"name_en": "   "}, "name", rules.ERR_TRANSLATIONS.format(languages=LANGUAGES)),
    ({"name_zh-hans": ""}, "name", rules.ERR_TRANSLATIONS.format(languages=LANGUAGES)),
    ({"note_en": "English only"}, "note",
     rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES)),
    ({"note_ru": "Только по-русски"}, "note",
     rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES)),
    ({"note_en": "A note.", "note_ru": "Примечание."}, "note",
     rules.ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=LANGUAGES)),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_EDITS)
def test_a_bad_edit_is_refused_with_a_message_and_changes_nothing(
    editor, mini, changes, field, message
):
    before = snapshot()
    response = change(editor, feature_url("shanghai"), **changes)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert snapshot() == before


@pytest.mark.django_db
def test_treaty_and_event_forms_keep_the_loader_rules(editor, mini):
    before = snapshot()
    treaty = Treaty.objects.get(slug="tianjin-1858")
    url = f"/admin/atlas/treaty/{treaty.pk}/change/"
    response = change(editor, url, signed_gregorian="1858-06-12")
    assert response.context["adminform"].form.errors["signed_gregorian"] == [
        rules.ERR_CALENDARS.format(
            julian="1858-06-01", expected="1858-06-13", gregorian="1858-06-12"
        )
    ]
    response = change(editor, url, sources="")
    assert response.context["adminform"].form.errors["sources"] == [forms.ERR_SOURCES_REQUIRED]
    event = Event.objects.get()
    response = change(editor, f"/admin/atlas/event/{event.pk}/change/", sources=" ")
    assert response.context["adminform"].form.errors["sources"] == [forms.ERR_SOURCES_REQUIRED]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "ok", "error"),
    [
        ('{"type": "Point", "coordinates": [121.47, 31.23]}', True, None),
        (json.dumps(SELF_INTERSECTING), False, "geometry is not valid: Self-intersection"),
        ('{"type": "Point", "coordinates": [31.23, 121.47]}', False, "latitude 121.47"),
        ("{oops", False, "Expecting property name"),
        ('{"type": "Point", "coordinates": [Infinity, 1]}', False, "number Infinity"),
        ("\udcff".encode("utf-8", "surrogatepass"), False, "utf-8"),
        ("[" * 100_000 + "]" * 100_000, False, "nested deeper than"),
        ('{"type": "Point", "coordinates": [1e400, 1]}', False, "1e400 is too large"),
    ],
)
def test_the_live_geometry_check_uses_shapely(editor, mini, body, ok, error):
    response = editor.post(
        "/admin/atlas/feature/check-geometry/", body, content_type="application/json"
    )
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["ok"] is ok
    if error:
        assert error in answer["error"]


def test_the_live_geometry_check_refuses_get(editor, db):
    assert editor.get("/admin/atlas/feature/check-geometry/").status_code == 405


@pytest.mark.django_db
def test_a_feature_added_in_the_admin_exports_and_loads_again(editor, mini, tmp_path):
    response = editor.get("/admin/atlas/feature/add/")
    data = form_data(response)
    data.update(
        slug="tongzhou", kind="city", name_ru="Тунчжоу", name_en="Tongzhou",
        **{"name_zh-hans": "通州"},
        geometry='{"type": "Point", "coordinates": [116.66, 39.91]}', other_names="[]",
        valid_from="1500-01-01", valid_from_precision="year", certainty="approximate",
        sources="GeoNames: Tongzhou", extra="{}",
    )  # fmt: skip
    response = editor.post("/admin/atlas/feature/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    call_command("export_atlas", str(tmp_path / "out"), stdout=StringIO())
    Feature.objects.filter(slug="tongzhou").delete()
    load(tmp_path / "out")
    assert Feature.objects.get(slug="tongzhou").sources == ["GeoNames: Tongzhou"]
    load(MINI)
    assert not Feature.objects.filter(slug="tongzhou").exists()


def api_feature(client, slug: str, year: int = 1860) -> dict:
    response = client.get(f"/api/features.geojson?year={year}")
    assert response.status_code == 200
    found = [f for f in json.loads(response.content)["features"] if f["id"] == slug]
    assert len(found) == 1, [f["id"] for f in json.loads(response.content)["features"]]
    return found[0]


@pytest.mark.django_db
def test_a_figure_saved_in_the_admin_is_published_beside_the_slug(editor, mini):
    before = api_feature(editor, "shanghai")  # the page is cached now
    assert "area_km2" not in before["properties"]
    response = change(editor, feature_url("shanghai"), extra='{"area_km2": 1000}')
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Feature.objects.get(slug="shanghai").extra == {"area_km2": 1000}
    after = api_feature(editor, "shanghai")
    assert after["id"] == "shanghai" and after["properties"]["slug"] == "shanghai"
    assert after["properties"]["area_km2"] == 1000
    assert after["properties"]["name"] == before["properties"]["name"]
    assert {k: v for k, v in after["properties"].items() if k != "area_km2"} == before["properties"]


@pytest.mark.parametrize(
    "geometry",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "Point", "coordinates": ' + "[" * 60 + "]" * 60 + "}",
    ],
)
def test_deeply_nested_geometry_is_a_message_not_an_error(editor, mini, geometry):
    url = feature_url("shanghai")
    before = snapshot()
    data = form_data(editor.get(url))
    data["geometry"] = geometry
    response = editor.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["geometry"]
    assert any("nested deeper than" in e for e in errors), errors
    assert snapshot() == before


# --- The admin in Chinese -----------------------------------------------------------------------


ADD_PAGES = ["treaty", "clause", "feature", "event", "person", "storystep"]


def in_language(client, code: str):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


def form_words(form) -> dict[str, tuple[str, str]]:
    return {name: (str(f.label), str(f.help_text)) for name, f in form.fields.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADD_PAGES)
def test_the_admin_s_own_words_are_in_chinese(editor, mini, model):
    url = f"/admin/atlas/{model}/add/"
    english = form_words(in_language(editor, "en").get(url).context["adminform"].form)
    response = in_language(editor, "zh-hans").get(url)
    page = response.content.decode()
    assert '<html lang="zh-hans"' in page
    chinese = form_words(response.context["adminform"].form)
    for name, (label, help_text) in chinese.items():
        # Every label and help text of the atlas' own is translated (Django's are already).
        assert label != english[name][0], (name, label)
        assert not help_text or help_text != english[name][1], (name, help_text)
        assert label in page or label.replace("'", "&#x27;") in page, (name, label)
    # The boxes of a text: each language's own name, the editor's for a screen reader.
    assert 'lang="zh-hans" placeholder="中文（简体）" aria-label="简体中文"' in page
    assert 'lang="ru" placeholder="Русский" aria-label="俄文"' in page


@pytest.mark.django_db
def test_the_admin_s_lists_and_sections_in_chinese(editor, mini):
    in_language(editor, "zh-hans")
    feature = editor.get(feature_url("shanghai")).content.decode()
    for section in ("其他名称", "几何形状", "时间、可靠程度与资料来源", "按语与数据"):
        assert f">{section}<" in feature, section
    assert "Time, certainty and sources" not in feature and "Notes and figures" not in feature
    index = editor.get("/admin/").content.decode()
    for plural in ("条约", "条款", "要素", "事件", "人物", "演示步骤"):
        assert plural in index, plural
    treaties = editor.get("/admin/atlas/treaty/").content.decode()
    assert "签订日期（公历）" in treaties and "名称" in treaties and "中俄天津条约" in treaties
