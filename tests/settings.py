"""Settings for the test suite: the app's own, with a throwaway secret key."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-not-secret")

from atlas.settings import *  # noqa: E402, F403

# Tests serve static files straight from the finders; no collectstatic output is needed.
STATIC_ROOT = None
