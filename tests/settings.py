"""Settings for the test suite: the app's own, with a throwaway secret key."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-suite-only-not-secret-" + "q8Vn3Kd7Rw2Lx5Tz9Mb4Hc6Pf1Gj0Sa"
)

from atlas.settings import *  # noqa: E402, F403

# Tests serve static files straight from the finders; no collectstatic output is needed.
STATIC_ROOT = None
# Plain static storage (production hashes names through collectstatic's manifest), and the
# test servers speak plain HTTP: production's HTTPS redirect and secure cookies stay off here
# (tests/test_production.py checks them in a real production configuration).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Each test client builds the middleware afresh; pages render on demand in tests.
ATLAS_WARM_PAGES = False
