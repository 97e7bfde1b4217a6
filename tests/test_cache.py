"""Rendered pages come from the cache, keyed on what changes them, and go when the data does."""

import gzip

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from atlas import cache as page_cache
from atlas import views
from atlas.models import Feature
from tests.conftest import MINI, load


@pytest.fixture
def renders(monkeypatch):
    """Count the map pages actually rendered (not served from the cache)."""
    calls: list[int] = []
    real = views._map_page

    def counting(request, year):
        calls.append(year)
        return real(request, year)

    monkeypatch.setattr(views, "_map_page", counting)
    return calls


@pytest.mark.django_db
def test_a_map_page_is_rendered_once_per_year_language_and_feature(client, atlas, renders):
    first = client.get("/map/1858/")
    again = client.get("/map/1858/")
    assert first.content == again.content and renders == [1858]
    client.get("/map/1859/")
    client.get("/map/1858/?feature=shanghai")
    client.get("/map/1858/?feature=shanghai")
    client.get("/map/1858/", HTTP_ACCEPT_LANGUAGE="ru")
    assert renders == [1858, 1859, 1858, 1858]
    client.cookies["django_language"] = "ru"
    russian = client.get("/map/1858/")
    assert renders == [1858, 1859, 1858, 1858]  # the cookie's Russian is the same page
    assert 'lang="ru"' in russian.content.decode()


@pytest.mark.django_db
def test_unknown_features_are_rendered_but_not_cached(client, atlas, renders):
    for _ in range(2):
        assert client.get("/map/1858/?feature=atlantis").status_code == 200
    assert renders == [1858, 1858]
    assert not [k for k in cache._cache if "page" in k]  # noqa: SLF001 (locmem's store)


@pytest.mark.django_db
def test_a_page_not_kept_still_varies_on_language_and_cookie(client, atlas):
    response = client.get("/map/1858/?feature=atlantis")
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
def test_the_cached_page_is_served_compressed_to_who_accepts_gzip(client, atlas):
    plain = client.get("/map/1861/").content
    for _ in range(2):
        zipped = client.get("/map/1861/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain


@pytest.mark.django_db
def test_present_is_cached_per_step_and_odd_steps_are_not_kept(client, atlas):
    first = client.get("/present/?step=1").content.decode()
    second = client.get("/present/?step=2").content.decode()
    assert first != second
    assert client.get("/present/?step=2").content.decode() == second
    assert client.get("/present/").content.decode() != first  # no ?step= is its own key
    keys = len(cache._cache)  # noqa: SLF001 (locmem's store)
    for odd in ("oops", "0", "999"):
        page = client.get(f"/present/?step={odd}").content.decode()
        assert '<span class="present-number">' in page
    assert len(cache._cache) == keys  # noqa: SLF001


@pytest.mark.django_db(transaction=True)
def test_a_load_that_changes_the_data_invalidates_the_pages(client):
    load(MINI)
    version = page_cache.data_version()
    before = client.get("/treaties/aigun-1858/").content
    load(MINI)  # nothing changed: the pages stay
    assert page_cache.data_version() == version
    # Behind the loader's back: still cached.
    Feature.objects.update(name={"en": "Renamed", "ru": "Renamed"})
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
