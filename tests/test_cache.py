"""Rendered pages come from the cache, keyed on what changes them, and go when the data does."""

import gzip
import os

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError
from django.test import Client
from django.urls import get_resolver

from atlas import cache as page_cache
from atlas import views
from atlas.models import Feature, StoryStep
from tests.conftest import MINI, load


@pytest.fixture
def renders(monkeypatch):
    """Every page the views render (not served from the cache): (template, path and query)."""
    calls: list[tuple[str, str]] = []
    real = views.render

    def counting(request, template, *args, **kwargs):
        calls.append((template, request.get_full_path()))
        return real(request, template, *args, **kwargs)

    monkeypatch.setattr(views, "render", counting)
    return calls


def maps(renders) -> list[str]:
    return [path for template, path in renders if template == "atlas/map.html"]


@pytest.mark.django_db
def test_a_map_page_is_rendered_once_per_year_language_and_feature(client, atlas, renders):
    first = client.get("/map/1858/")
    again = client.get("/map/1858/")
    assert first.content == again.content and maps(renders) == ["/map/1858/"]
    client.get("/map/1859/")
    client.get("/map/1858/?feature=shanghai")
    client.get("/map/1858/?feature=shanghai")
    client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE="ru")
    assert maps(renders) == [
        "/map/1858/",
        "/map/1859/",
        "/map/1858/?feature=shanghai",
        "/map/1858/",
    ]
    client.cookies["django_language"] = "ru"
    russian = client.get("/map/1858/")
    assert len(renders) == 4  # the cookie's Russian is the same page
    assert 'lang="ru"' in russian.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/map/1858/", "/embed/1858/"])
@pytest.mark.parametrize(
    "query",
    [
        "feature=atlantis",
        "feature=",
        "utm_source=newsletter",
        "feature=atlantis&utm_source=newsletter&q=%3Cscript%3E",
        "feature=shanghai&feature=atlantis",  # the last value counts, as in the view
        "FEATURE=shanghai",
    ],
)
def test_unknown_features_and_parameters_cost_no_render(client, atlas, renders, path, query):
    page = client.get(path)
    for _ in range(3):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200
        assert response.content == page.content and response["ETag"] == page["ETag"]
        assert response["Link"] == f'<{path}>; rel="canonical"'
    assert len(renders) == 1
    assert "atlantis" not in page.content.decode()


@pytest.mark.django_db
def test_a_known_feature_is_kept_and_anything_else_in_the_query_is_dropped(client, atlas, renders):
    first = client.get("/map/1860/?utm_source=newsletter&feature=vladivostok&x=1")
    second = client.get("/map/1860/?feature=vladivostok")
    assert second.content == first.content and "Link" not in second
    assert first["Link"] == '</map/1860/?feature=vladivostok>; rel="canonical"'
    assert maps(renders) == ["/map/1860/?feature=vladivostok"]


@pytest.mark.django_db
def test_a_cached_page_carries_no_readers_query_string(client, atlas):
    """The language links of a page say where to come back to: the canonical address."""
    client.get("/map/1858/?feature=shanghai&utm_source=zqnews&ref=%22zqsecret%22")
    client.get("/map/1859/?feature=zqatlantis")
    client.get("/present/?step=zqoops&zqsession=abc")
    client.get("/places/shanghai/?utm_source=zqnews")
    for path, back in (
        ("/map/1858/?feature=shanghai", "/map/1858/%3Ffeature%3Dshanghai"),
        ("/map/1859/", "/map/1859/"),
        ("/present/", None),  # no language links on the projector
        ("/places/shanghai/", "/places/shanghai/"),
    ):
        html = client.get(path).content.decode()
        if back:
            assert f'href="/language/ru/?next={back}"' in html, path
        assert "utm_source" not in html and "zq" not in html, path


@pytest.mark.django_db
def test_a_page_not_kept_still_varies_on_language_and_cookie(client, atlas):
    for path in ("/map/1900/", "/places/atlantis/"):
        response = client.get(path)
        assert response.status_code == 404
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.django_db
def test_every_page_varies_on_language_and_cookie_and_revalidates(client, atlas):
    for path in ("/", "/map/1860/", "/present/?step=2", "/embed/1858/", "/places/shanghai/",
                 "/treaties/aigun-1858/"):  # fmt: skip
        for _ in range(2):  # rendered, then cached
            response = client.get(path)
            assert response.status_code == 200, path
            vary = {v.strip() for v in response["Vary"].split(",")}
            assert {"Accept-Language", "Cookie", "Accept-Encoding"} <= vary, path
            assert response["Cache-Control"] == "public, no-cache"
            assert response["Content-Language"] in ("en", "ru")
        etag = response["ETag"]
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_a_page_rendered_again_has_the_same_bytes_and_etag(client, atlas):
    """Each worker renders its own copy: it is the same page (no random element ids), so a
    browser holding one worker's copy gets a 304 from the other, with the same policy."""
    for path in ("/map/1858/", "/embed/1861/", "/places/shanghai/", "/present/?step=3"):
        first = client.get(path)
        cache.clear()  # another worker, or the same one after the copy expired
        second = client.get(path)
        assert second.content == first.content, path
        assert second["ETag"] == first["ETag"], path
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert not_modified.status_code == 304
        policy = not_modified["Content-Security-Policy"]
        assert policy == first["Content-Security-Policy"] and "script-src 'self';" in policy
        assert not_modified["ETag"] == first["ETag"]
    other = client.get("/map/1859/")
    assert other["ETag"] != first["ETag"]
    assert client.get("/map/1858/", HTTP_IF_NONE_MATCH=other["ETag"]).status_code == 200


ALL_PAGES = [
    "/",
    "/map/1858/",
    "/map/1858/?feature=shanghai",
    "/map/1858/?feature=atlantis",
    "/present/",
    "/present/?step=2",
    "/embed/1860/",
    "/places/shanghai/",
    "/treaties/aigun-1858/",
    "/api/features.geojson?year=1858",
    "/api/treaties.json",
    "/language/ru/?next=/map/1858/",
    "/map/1900/",
    "/places/atlantis/",
    "/admin/login/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ALL_PAGES)
def test_head_is_answered_wherever_get_is(client, atlas, path):
    for _ in range(2):  # rendered, then cached
        client.cookies.clear()  # the language link sets one
        head = client.head(path)
        client.cookies.clear()
        get = client.get(path)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b""
        for header in ("Content-Type", "ETag", "Content-Language", "Location"):
            assert head.get(header) == get.get(header), (path, header)


@pytest.mark.django_db
def test_head_is_served_from_the_cache_and_fills_it(client, atlas, renders):
    client.head("/map/1861/")
    client.head("/map/1861/")
    assert client.get("/map/1861/").status_code == 200
    assert maps(renders) == ["/map/1861/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/map/1858/", "/places/shanghai/", "/present/?step=2"])
def test_a_foreign_host_is_refused_before_the_cache_is_asked(client, atlas, path):
    assert client.get(path).status_code == 200  # now cached
    assert client.get(path, HTTP_HOST="evil.example").status_code == 400
    assert client.head(path, HTTP_HOST="evil.example").status_code == 400
    assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200


@pytest.mark.django_db
def test_the_cached_page_is_served_compressed_to_who_accepts_gzip(client, atlas):
    plain = client.get("/map/1861/").content
    for _ in range(2):
        zipped = client.get("/map/1861/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain


@pytest.mark.django_db
def test_present_is_cached_per_step_and_odd_steps_are_their_nearest_step(client, atlas, renders):
    steps = StoryStep.objects.count()
    first = client.get("/present/").content.decode()
    second = client.get("/present/?step=2").content.decode()
    last = client.get(f"/present/?step={steps}").content.decode()
    assert len({first, second, last}) == 3 and len(renders) == 3
    for odd in ("1", "oops", "0", "-1", "", "1.5"):
        assert client.get(f"/present/?step={odd}").content.decode() == first, odd
    for odd in ("999", str(steps + 1), f"{steps}&step=999"):
        assert client.get(f"/present/?step={odd}").content.decode() == last, odd
    assert client.get("/present/?step=02").content.decode() == second
    assert len(renders) == 3


@pytest.mark.django_db
def test_the_api_files_are_cached_per_year_whatever_its_spelling(
    client, atlas, django_assert_num_queries
):
    first = client.get("/api/features.geojson?year=1859")
    treaties = client.get("/api/treaties.json")
    with django_assert_num_queries(0):
        for year in ("1859", " 1859 ", "01859", "1859&callback=x"):
            again = client.get(f"/api/features.geojson?year={year}")
            assert again.content == first.content, year
            assert again["Content-Type"] == "application/geo+json; charset=utf-8"
        assert client.get("/api/treaties.json").content == treaties.content
    for year, status in (("1863", 404), ("1859.0", 400), ("", 400)):
        assert client.get(f"/api/features.geojson?year={year}").status_code == status


@pytest.mark.django_db
def test_a_starting_server_renders_every_page_before_its_first_reader(
    atlas, settings, renders, django_assert_num_queries
):
    settings.ATLAS_WARM_PAGES = True
    WSGIHandler()  # the application, as a gunicorn worker loads it when it starts
    paths = page_cache.site_pages()
    assert len(paths) > 60 and "/present/?step=12" in paths and "/embed/1862/" in paths
    assert len(renders) == len([p for p in paths if not p.startswith(("/api/", "/data/"))])
    renders.clear()
    settings.ATLAS_WARM_PAGES = False  # the test client builds the middleware again
    reader = Client()
    with django_assert_num_queries(0):
        for path in paths:
            assert reader.get(path).status_code == 200, path
    assert renders == []
    settings.ATLAS_WARM_PAGES = True
    WSGIHandler()  # another start, the pages still cached: nothing is rendered again
    assert renders == []


@pytest.mark.django_db
def test_a_server_starting_before_the_database_is_ready_still_starts(settings, monkeypatch, caplog):
    def not_migrated():
        raise DatabaseError("no such table: atlas_feature")

    monkeypatch.setattr(page_cache, "site_pages", not_migrated)
    settings.ATLAS_WARM_PAGES = True
    WSGIHandler()
    assert "Pages not rendered at start: no such table" in caplog.text


@pytest.mark.django_db
def test_a_server_with_no_usable_host_still_starts(atlas, settings, caplog):
    settings.ATLAS_WARM_PAGES = True
    settings.ALLOWED_HOSTS = []
    WSGIHandler()
    assert "Pages not rendered at start" in caplog.text


def test_every_query_parameter_a_page_knows_is_vetted():
    """A page's cache key is its vetted query: a parameter read but not vetted would make
    every value a page of its own (or be dropped before the view sees it)."""
    for pattern in get_resolver().url_patterns:
        query = getattr(getattr(pattern, "callback", None), "atlas_cache_query", None)
        if query is not None:
            assert all(callable(vet) for vet in query.values()), pattern


@pytest.mark.django_db(transaction=True)
def test_a_load_that_changes_the_data_invalidates_the_pages(client):
    load(MINI)
    version = page_cache.data_version()
    before = client.get("/treaties/aigun-1858/").content
    load(MINI)  # nothing changed: the pages stay
    assert page_cache.data_version() == version
    # Behind the loader's back: still cached.
    Feature.objects.update(name={"en": "Renamed", "ru": "Переименовано", "zh-hans": "改名"})
    assert client.get("/treaties/aigun-1858/").content == before
    load(MINI)  # the files win again: a change, so a new version
    assert page_cache.data_version() != version


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_invalidates_the_pages(client):
    load(MINI)
    slug = Feature.objects.order_by("slug").first().slug
    assert client.get(f"/places/{slug}/").status_code == 200
    version = page_cache.data_version()
    editor = User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    client.force_login(editor)
    feature = Feature.objects.get(slug=slug)
    admin_page = client.get(f"/admin/atlas/feature/{feature.pk}/delete/")
    assert admin_page.status_code == 200
    client.post(f"/admin/atlas/feature/{feature.pk}/delete/", {"post": "yes"})
    assert not Feature.objects.filter(slug=slug).exists()
    assert page_cache.data_version() != version
    client.logout()
    assert client.get(f"/places/{slug}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_bulk_delete_in_the_admin_invalidates_the_pages(client):
    load(MINI)
    editor = User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    client.force_login(editor)
    version = page_cache.data_version()
    pks = list(Feature.objects.values_list("pk", flat=True)[:2])
    client.post(
        "/admin/atlas/feature/",
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )
    assert Feature.objects.filter(pk__in=pks).count() == 0
    assert page_cache.data_version() != version


def test_the_data_version_survives_an_emptied_cache():
    cache.clear()
    version = page_cache.data_version()
    assert page_cache.data_version() == version
    page_cache._new_version()
    assert page_cache.data_version() != version


def test_the_cache_in_use_is_the_one_configured():
    """`make test` runs this file again on Redis: with Redis expected but not answering, this
    (and every test, emptying the cache first) fails rather than falling back."""
    url = os.environ.get("DJANGO_CACHE_URL", "").strip()
    expected = "RedisCache" if url.startswith("redis://") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
    cache.set("atlas:ping", "pong")
    assert cache.get("atlas:ping") == "pong"
