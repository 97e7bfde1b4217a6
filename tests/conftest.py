"""Shared fixtures: the tiny hand-made dataset in tests/data/ and the real atlas in geodata/."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages: the database is rolled back between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request's language stays on the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def load(directory: Path | None = None) -> str:
    """Run load_atlas and return what it printed."""
    out = StringIO()
    args = [str(directory)] if directory else []
    call_command("load_atlas", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/mini, for tests that break a file."""
    target = tmp_path / "geodata"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def mini(db) -> None:
    """The database loaded with tests/data/mini."""
    load(MINI)


@pytest.fixture
def atlas(db) -> None:
    """The database loaded with the real geodata/."""
    load(Path(settings.ATLAS_GEODATA_DIR))
