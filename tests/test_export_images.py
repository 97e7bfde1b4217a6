"""export_images: one PNG per year, drawn by headless Chromium from /embed/<year>/."""

import os
import struct
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.conftest import load

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
YEARS = range(1857, 1863)
# Playwright's sync API runs an event loop; the ORM calls of these tests stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, after checking that it is a PNG."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    assert data[-12:-8] == b"\x00\x00\x00\x00" and data[-8:-4] == b"IEND"
    return struct.unpack(">II", data[16:24])


def export(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_images", str(directory), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def served_atlas(transactional_db) -> None:
    """The real atlas, committed, so that the command's own server thread sees it."""
    load(Path(settings.ATLAS_GEODATA_DIR))


@pytest.mark.browser
def test_writes_a_png_of_the_requested_size_for_every_year(served_atlas, tmp_path):
    out = export(tmp_path / "images", "--size", "640x400")
    names = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert names == [f"treaty-atlas-{y}.png" for y in YEARS]
    for name in names:
        assert png_size(tmp_path / "images" / name) == (640, 400)
        assert f"  {name} (" in out
    assert "Drawing 6 maps at 640×400" in out
    assert "Wrote 6 images" in out
    # Each year is a different map.
    assert len({(tmp_path / "images" / n).read_bytes() for n in names}) == 6


@pytest.mark.browser
def test_a_map_in_chinese(served_atlas, tmp_path):
    export(tmp_path / "en", "--years", "1858", "--size", "640x400")
    export(tmp_path / "zh", "--years", "1858", "--size", "640x400", "--language", "zh-hans")
    english, chinese = (tmp_path / d / "treaty-atlas-1858.png" for d in ("en", "zh"))
    assert png_size(chinese) == (640, 400)
    # The same map with other words: its labels and legend are in Chinese.
    assert chinese.read_bytes() != english.read_bytes()
    with pytest.raises(CommandError, match="invalid choice"):
        export(tmp_path, "--language", "de")


@pytest.mark.browser
def test_chosen_years_only_at_the_default_size(served_atlas, tmp_path):
    export(tmp_path, "--years", "1860", "1858,1862")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "treaty-atlas-1858.png",
        "treaty-atlas-1860.png",
        "treaty-atlas-1862.png",
    ]
    assert png_size(tmp_path / "treaty-atlas-1860.png") == (1280, 720)


def test_missing_chromium_is_a_clear_error(atlas, tmp_path):
    with pytest.raises(CommandError, match=r"Chromium was not found at /no/chromium.*--chromium"):
        export(tmp_path, "--chromium", "/no/chromium")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--size", "10x10"], "must be"),
        (["--years", "1850"], "not a year of the atlas"),
        (["--years", "next"], "not a year of the atlas"),
    ],
)
def test_bad_options_are_clear_errors(atlas, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        export(tmp_path, *args)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_database_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="load_atlas"):
        export(tmp_path)
