"""No 500s: property-based requests over every route's parameters (hypothesis).

Years, slugs and query strings (?year=, ?feature=, anything else) are drawn at random; every
answer must be a page or a friendly error (200, 301/302, 400, 404, 405), never a server error.
The test client re-raises any exception a view lets through, so a crash fails the test.
"""

from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.conftest import load

FRIENDLY = {200, 301, 302, 400, 404, 405}
FUZZ = hsettings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
YEARS = list(range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1))

years = st.one_of(
    st.integers(min_value=0, max_value=10**30),
    st.sampled_from([0, 1, 1856, *YEARS, 1863, 9999, 10**19]),
)
texts = st.text(max_size=40)
slugs = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,60}", fullmatch=True),
    st.sampled_from(["shanghai", "tianjin-1858", "aigun-1858", "kyakhta", "ussuri-common"]),
    texts,
)
query_values = st.one_of(
    texts,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "1858", "1858.0", " 1860 ", "1e3", "NaN", "-1", "0x74a", "١٨٥٨"]),
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(["year", "feature", "lang", "q"]), texts),
    query_values,
    max_size=4,
)


@pytest.fixture(scope="module")
def atlas_db(django_db_setup, django_db_blocker):
    """The real atlas, loaded once for the module (the fuzzed requests only read)."""
    with django_db_blocker.unblock():
        load(Path(settings.ATLAS_GEODATA_DIR))
        yield
        from django.apps import apps

        for model in apps.get_app_config("atlas").get_models(include_auto_created=True):
            model.objects.all().delete()


def get(client, path: str, query: dict[str, str] | None = None):
    url = path + ("?" + urlencode(query) if query else "")
    response = client.get(url)
    assert response.status_code in FRIENDLY, (url, response.status_code)
    return response


@pytest.mark.django_db
@FUZZ
@given(year=years, query=queries)
def test_map_years_never_fail(client, atlas_db, year, query):
    response = get(client, f"/map/{year}/", query)
    assert response.status_code == (200 if year in YEARS else 404)


@pytest.mark.django_db
@FUZZ
@given(segment=texts, query=queries)
def test_any_year_segment_never_fails(client, atlas_db, segment, query):
    get(client, f"/map/{quote(segment, safe='')}/", query)


@pytest.mark.django_db
@FUZZ
@given(feature=st.one_of(slugs, texts), year=st.sampled_from(YEARS))
def test_the_feature_parameter_never_fails(client, atlas_db, feature, year):
    assert get(client, f"/map/{year}/", {"feature": feature}).status_code == 200
    assert get(client, "/", {"feature": feature}).status_code == 200


@pytest.mark.django_db
@FUZZ
@given(slug=slugs, query=queries)
def test_place_and_treaty_slugs_never_fail(client, atlas_db, slug, query):
    for prefix in ("/places/", "/treaties/"):
        get(client, f"{prefix}{quote(slug, safe='')}/", query)


@pytest.mark.django_db
@FUZZ
@given(year=query_values, query=queries)
def test_the_features_api_never_fails(client, atlas_db, year, query):
    response = get(client, "/api/features.geojson", {**query, "year": year})
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith(("application/geo+json", "application/json"))
    get(client, "/api/features.geojson", query)


@pytest.mark.django_db
@FUZZ
@given(query=queries, path=st.sampled_from(["/", "/api/treaties.json", "/map/1858/"]))
def test_any_query_string_never_fails(client, atlas_db, query, path):
    get(client, path, query)


@pytest.mark.django_db
@FUZZ
@given(path=st.lists(texts, min_size=1, max_size=3))
def test_any_path_never_fails(client, atlas_db, path):
    get(client, "/" + "/".join(quote(p, safe="") for p in path))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_refused_not_crashed(client, atlas_db, method):
    for path in ("/", "/map/1858/", "/places/shanghai/", "/api/features.geojson?year=1858"):
        response = getattr(client, method)(path)
        assert response.status_code in (403, 405), (method, path)


def test_the_year_not_found_template_exists():
    assert (Path(settings.BASE_DIR) / "templates/atlas/year_not_found.html").is_file()


@pytest.mark.django_db
@pytest.mark.parametrize("year", [0, 1856, 1863, 2024, 10**20])
def test_a_bad_year_gets_a_friendly_404_with_links_to_the_years_there_are(client, atlas_db, year):
    response = client.get(f"/map/{year}/")
    assert response.status_code == 404
    assert "atlas/year_not_found.html" in [t.name for t in response.templates]
    page = response.content.decode()
    for y in YEARS:
        assert f'href="/map/{y}/"' in page
    assert str(year) in page
