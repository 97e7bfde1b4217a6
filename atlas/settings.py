"""Settings for the Treaty Atlas, read from the environment.

Safe defaults for a laptop: SQLite beside manage.py, local-memory cache, debug off unless
DJANGO_DEBUG asks for it. With debug off the production hardening is on (HSTS, secure cookies,
HTTPS redirect, hashed and compressed static files served by whitenoise from STATIC_ROOT).
See .env.example for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything else is a start-up error that names it."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    """Read a whole number; anything else is a start-up error that names the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def database_from_url(url: str) -> dict:
    """DATABASE_URL ➜ Django's DATABASES entry: SQLite or PostgreSQL."""
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL ({exc})") from None
    if config.get("ENGINE") not in DATABASE_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_URL must be sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME; "
            f"got {url.split('://')[0]!r}://…"
        )
    return config


DATABASE_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")


def cache_from_url(url: str) -> dict:
    """DJANGO_CACHE_URL ➜ Django's CACHES entry.

    Empty: local memory, one cache per process. redis://HOST:PORT/DB (or rediss://): Django's
    own Redis backend, shared by every worker (needs the `redis` package).
    """
    url = url.strip()
    if not url or url == "locmem://":
        # A rendered page is 2–25 KB (with its gzip copy), a data file up to 0.2 MB: every
        # page of the site in both languages and the data files fit, in a bounded share of a
        # worker's memory.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "treaty-atlas",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        "DJANGO_CACHE_URL must be empty (local memory) or redis://HOST:PORT/DB; "
        f"got {url.split('://')[0]!r}://…"
    )


# The shortest production key Django's own deploy check accepts (with 5 different characters);
# `secrets.token_urlsafe(50)`, as the README runs it, makes 67.
SECRET_KEY_MIN_LENGTH = 50
# Keys that are public, so never secret: the placeholder of .env.example.
EXAMPLE_SECRET_KEYS = frozenset({"change-me-to-a-long-random-string"})
ERR_KEY_MISSING = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
    "(set DJANGO_DEBUG=1 for a local development server)."
)
ERR_KEY_WEAK = (
    "DJANGO_SECRET_KEY {problem}; with DJANGO_DEBUG off it must be a long random string: "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def secret_key_problem(key: str) -> str | None:
    """What makes ``key`` unfit for production, or None if nothing does."""
    if key in EXAMPLE_SECRET_KEYS:
        return "is the example value of .env.example"
    if key.startswith("django-insecure-"):
        return "is one of Django's insecure development keys ('django-insecure-…')"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < 5:
        return "has fewer than 5 different characters"
    return None


DEBUG = env_bool("DJANGO_DEBUG", False)

# Spaces around the key are a copying slip, not part of it; a key of spaces is no key.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured(ERR_KEY_MISSING)
    if problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(ERR_KEY_WEAK.format(problem=problem))
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 (debug only)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Failed admin sign-ins, counted per user name and address; see AXES_* below.
    "axes",
    "atlas",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compress what is not compressed yet (pages reflect no secrets). Cached pages and the
    # data files arrive compressed already (atlas.cache, atlas.datafiles) and pass through.
    "django.middleware.gzip.GZipMiddleware",
    # Content-Security-Policy on every response: script-src 'self', no inline code at all.
    "atlas.middleware.ContentSecurityPolicyMiddleware",
    # Cached pages are served from here, before the session, language and auth middleware.
    "atlas.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the switcher's cookie, else the browser's Accept-Language (en, ru).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "atlas.urls"
WSGI_APPLICATION = "atlas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atlas.links.bundle",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", ""))}

# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed sign-ins for one user name from one address lock that pair out for 15 minutes;
# a successful one clears the count. Attempts are kept in the database, so every worker
# counts the same ones.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The reader's address, also behind the README's TLS proxy (atlas.middleware.client_ip).
AXES_CLIENT_IP_CALLABLE = "atlas.middleware.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The atlas' languages: the interface (a catalog in locale/) and every text of the atlas (one
# translations field per text, {"en": …, "ru": …}). Adding a language is a line here, its
# catalog and its texts in geodata/ — no migration.
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("zh-hans", "中文（简体）")]
# How the language switch writes each language (EN / RU / 中文).
ATLAS_LANGUAGE_LABELS: dict[str, str] = {"en": "EN", "ru": "RU", "zh-hans": "中文"}
# Where a text missing in the reader's language is looked for next; every chain ends with
# LANGUAGE_CODE.
ATLAS_LANGUAGE_FALLBACKS: dict[str, list[str]] = {"ru": ["en"], "zh-hans": ["en"]}
# Languages whose texts are all the atlas editors' translations (the treaties' originals are
# Russian, Manchu, Chinese and French): the pages mark each such text as a translation
# (（译文）) and keep a Russian treaty's Russian wording beside it.
ATLAS_MARKED_TRANSLATIONS: list[str] = ["zh-hans"]
TIME_ZONE = "UTC"
USE_I18N = True
# Catalogs: locale/<lang>/LC_MESSAGES/django.po, compiled to .mo at set-up (make run/test).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic's output for production; in debug, files are served from the finders instead.
STATIC_ROOT = (
    None if DEBUG else Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
)
# Third-party browser code comes from registry packages and is served from our own origin.
STATICFILES_DIRS = [("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR)]
# Debug serves the source files as they are edited; production serves collectstatic's output:
# names carry a content hash (cached for a year by browsers) and .gz/.br siblings.
WHITENOISE_USE_FINDERS = DEBUG
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Security headers and HTTPS (atlas.middleware adds the Content-Security-Policy) ----------
# Behind a TLS-ending proxy (README: Production), which also appends the reader's address to
# X-Forwarded-For: the sign-in throttle counts that address, not the proxy's.
ATLAS_BEHIND_PROXY = not DEBUG and env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # /embed/<year>/ alone may be framed (CSP frame-ancestors there)
if not DEBUG:
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    # Off only to try a production set-up over plain HTTP on one's own machine.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a proxy that ends TLS and sets X-Forwarded-Proto (and strips it from clients).
    if ATLAS_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- The atlas -------------------------------------------------------------------------------
# Where `load_atlas` reads from when no directory is given.
ATLAS_GEODATA_DIR = Path(os.environ.get("ATLAS_GEODATA_DIR", BASE_DIR / "geodata"))
# The years the map can show. 1857 is the status quo before Aigun; 1862 the overland rules.
ATLAS_FIRST_YEAR = 1857
ATLAS_LAST_YEAR = 1862
ATLAS_DEFAULT_YEAR = 1858
# How long a rendered page stays in the cache (seconds). A load or an admin edit invalidates
# every page at once (a new data version); this bounds what a per-process local-memory cache
# can hold that another process made stale.
ATLAS_PAGE_CACHE_SECONDS = env_int("ATLAS_PAGE_CACHE_SECONDS", 600)
# Render every page (default language) into the cache as a server starts, before the first
# reader: on by default in production, where each gunicorn worker starts with an empty cache.
ATLAS_WARM_PAGES = env_bool("ATLAS_WARM_PAGES", not DEBUG)
