"""Production mode, as a deployment runs it: settings from the environment, `check --deploy`,
hashed and compressed static files from whitenoise, and web workers without geopandas.

Each case starts a fresh Python process, since settings are read once, at start-up.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from atlas.settings import ERR_KEY_MISSING, ERR_KEY_WEAK

ROOT = Path(settings.BASE_DIR)
RANDOM = "x7Qp2LmZ9vRt4Kw8Ny3Bj6Hd5Fg1Cs0Ae" * 2
SECRET = "production-test-" + RANDOM


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "ATLAS_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="atlas.example.org,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="atlas.settings",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


def settings_value(expression: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    return run([sys.executable, "-c", code], env)


def test_check_deploy_reports_nothing_in_production_mode(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_debug_is_off_unless_asked_and_then_a_secret_key_is_required(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"], env["DJANGO_DEBUG"]
    result = settings_value("s.DEBUG", env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {ERR_KEY_MISSING}" in result.stderr
    assert settings_value("s.DEBUG", {**env, "DJANGO_DEBUG": "1"}).stdout.strip() == "True"


def env_example_secret_key() -> str:
    text = (ROOT / ".env.example").read_text()
    return re.search(r"^DJANGO_SECRET_KEY=(.*)$", text, re.M).group(1)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "must be set"),
        ("   \t ", "must be set"),
        (RANDOM[:49], "is 49 characters long"),
        ("  " + RANDOM[:49] + "\n", "is 49 characters long"),
        ("django-insecure-" + RANDOM, "insecure development"),
        ("django-insecure-development-only-key", "insecure development"),
        ("ab" * 40, "fewer than 5 different characters"),
        (env_example_secret_key(), "example value of .env.example"),
    ],
)
def test_production_refuses_a_missing_short_or_known_secret_key(tmp_path, key, problem):
    result = settings_value("s.DEBUG", production_env(tmp_path, DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY " in result.stderr
    assert problem in result.stderr
    if "must be set" not in problem:
        assert ERR_KEY_WEAK.split("{problem}")[1] in result.stderr
    # A development server may use any key, or none.
    development = production_env(tmp_path, DJANGO_SECRET_KEY=key, DJANGO_DEBUG="1")
    assert settings_value("s.DEBUG", development).stdout.strip() == "True"


@pytest.mark.parametrize(
    "key",
    # As the README makes one (67 characters), the shortest allowed, the suite's own.
    [secrets.token_urlsafe(50), RANDOM[:50], SECRET],
    ids=["token_urlsafe(50)", "50 characters", "test key"],
)
def test_production_starts_with_a_long_random_secret_key(tmp_path, key):
    result = settings_value("len(s.SECRET_KEY)", production_env(tmp_path, DJANGO_SECRET_KEY=key))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(key))


def test_the_test_suite_runs_with_a_production_grade_key():
    from atlas.settings import secret_key_problem

    assert not settings.DEBUG
    assert secret_key_problem(settings.SECRET_KEY) is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://db/atlas"),
        ("DJANGO_CACHE_URL", "memcached://127.0.0.1:11211"),
        ("DJANGO_HSTS_SECONDS", "a year"),
    ],
)
def test_a_malformed_variable_stops_the_start_naming_it(tmp_path, variable, value):
    result = settings_value("s.DEBUG", production_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} " in result.stderr


def test_databases_caches_and_hardening_come_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://atlas:secret@db.internal:5433/atlas",
        DJANGO_CACHE_URL="redis://cache.internal:6379/1",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
    )
    expression = (
        "json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default']['PORT'], "
        "s.CACHES['default'], s.ALLOWED_HOSTS, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS])"
    )
    result = settings_value(expression.replace("json.", "__import__('json')."), env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.db.backends.postgresql",
        5433,
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache.internal:6379/1",
        },
        ["atlas.example.org", "testserver"],
        365 * 24 * 3600,
        True,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
    ]
    default = settings_value(
        "s.CACHES['default']['BACKEND'], s.DATABASES['default']['ENGINE']",
        {**production_env(tmp_path), "DATABASE_URL": ""},
    )
    assert default.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.db.backends.sqlite3",
    ]


# Runs in a web worker's shoes: the WSGI application, every page, then what was imported.
EVERY_PAGE = """
import gzip, json, re, sys
import atlas.wsgi
from django.test import Client
from atlas import selectors
from atlas.models import Feature, Treaty

client = Client()
paths = ["/", "/present/", "/api/treaties.json", "/admin/login/"]
for year in selectors.year_range():
    paths += [f"/map/{year}/", f"/embed/{year}/", f"/api/features.geojson?year={year}"]
paths += [f"/present/?step={n}" for n in range(1, len(selectors.story_steps()) + 1)]
paths += [f"/places/{slug}/" for slug in Feature.objects.values_list("slug", flat=True)]
paths += [f"/treaties/{slug}/" for slug in Treaty.objects.values_list("slug", flat=True)]
statuses = {p: client.get(p, secure=True).status_code for p in paths}
page = client.get("/map/1858/", secure=True).content.decode()
static = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page)))
served = [client.get(u, secure=True, HTTP_ACCEPT_ENCODING="gzip") for u in static]
print(json.dumps({
    "statuses": statuses,
    "static": static,
    "encodings": [r.get("Content-Encoding") for r in served],
    "static_cache": [r.get("Cache-Control") for r in served],
    "hsts": client.get("/", secure=True).get("Strict-Transport-Security"),
    "modules": sorted(m for m in ("geopandas", "pandas", "pyproj", "atlas.derive")
                      if sys.modules.get(m) is not None),
}))
"""


def test_a_web_worker_serves_every_page_with_hashed_gzipped_static_and_no_geopandas(tmp_path):
    env = production_env(tmp_path)
    for args in (["migrate", "-v0"], ["load_atlas"], ["collectstatic", "--noinput", "-v0"]):
        result = manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    result = run([sys.executable, "-c", EVERY_PAGE], env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert {p: s for p, s in report["statuses"].items() if s != 200} == {}
    assert len(report["statuses"]) > 40
    assert report["modules"] == []
    assert report["hsts"] == "max-age=31536000; includeSubDomains; preload"
    # Hashed names (cached for ever by browsers), served gzipped by whitenoise.
    assert report["static"] and all(
        re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", u) for u in report["static"]
    )
    assert set(report["encodings"]) == {"gzip"}
    assert all("immutable" in c for c in report["static_cache"])


def test_every_variable_the_settings_read_is_in_env_example():
    read = set(
        re.findall(r'env_(?:bool|int)\("([A-Z_]+)"', (ROOT / "atlas/settings.py").read_text())
    )
    read |= set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "atlas/settings.py").read_text())
    )
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read and read <= documented, read - documented
