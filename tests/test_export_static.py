"""export_static: the offline bundle, every page with relative links and every file it needs."""

import json
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from atlas import selectors
from atlas.exports import staging
from atlas.models import Feature, Person, Treaty
from tests.test_datafiles import read_data_file

YEARS = range(1857, 1863)
# A site address left absolute: it would point at the root of the USB stick.
ABSOLUTE = re.compile(r"""(?<=["'(])/(?:static|map|places|treaties|present|api|embed)/|="/["?#]""")
# Relative references in attributes and in the popups' JSON (href=\"…\").
REFERENCE = re.compile(r"""(?:href|src)=\\?"([^"\\]*)\\?\"""")


def export(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_static", str(directory), *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def bundle(atlas, tmp_path) -> tuple[Path, str]:
    out = export(tmp_path / "usb")
    return tmp_path / "usb", out


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_bundle_holds_every_page_api_file_and_static_file(bundle):
    root, out = bundle
    expected = {"index.html", "present/index.html", "api/treaties.json"}
    expected |= {f"map/{y}/index.html" for y in YEARS}
    expected |= {f"api/features-{y}.geojson" for y in YEARS}
    expected |= {f"places/{s}/index.html" for s in Feature.objects.values_list("slug", flat=True)}
    expected |= {f"treaties/{s}/index.html" for s in Treaty.objects.values_list("slug", flat=True)}
    expected |= {f"people/{s}/index.html" for s in Person.objects.values_list("slug", flat=True)}
    expected |= {
        "static/vendor/leaflet/leaflet.js",
        "static/vendor/leaflet/leaflet.css",
        "static/vendor/leaflet/images/layers.png",
        "static/vendor/leaflet/images/layers-2x.png",
        "static/vendor/leaflet/images/marker-icon.png",
        "static/atlas/atlas.js",
        "static/atlas/basemap.js",
        "static/atlas/access.js",
        "static/atlas/atlas.css",
        "static/atlas/labels.js",
        "static/atlas/labels.css",
        "static/atlas/layers.js",
        "static/atlas/layers.css",
        "static/atlas/print.css",
        "static/atlas/present.js",
        "static/atlas/favicon.svg",
    }
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    written.discard(staging.MANIFEST)  # what the export wrote, for the next one to replace
    assert expected <= written
    # The data files the maps share, named by their content.
    data = sorted(p for p in written if p.startswith("data/"))
    shared = [p for p in data if not p.startswith("data/tile")]
    assert [re.sub(r"\.[0-9a-f]{16}\.js$", "", p) for p in shared] == [
        "data/base",
        "data/features",
        "data/words.en",
    ]
    # The base map's detailed level: its index and every tile, loaded when a map zooms in.
    index = json.loads((Path(settings.ATLAS_GEODATA_DIR) / "base/tiles/index.json").read_text())
    tiles = {re.sub(r"\.[0-9a-f]{16}\.js$", "", p) for p in data if p.startswith("data/tile.")}
    assert tiles == {f"data/tile.{cell}" for cell in index["tiles"]}
    # Every tile with the level's one digest, the name the bundle's index gives.
    digests = {
        re.search(r"\.([0-9a-f]{16})\.js$", p)[1] for p in data if p.startswith("data/tile.")
    }
    (digest,) = digests
    (index_file,) = [p for p in data if p.startswith("data/tiles.")]
    assert f'"file":"tile.{{cell}}.{digest}.js"' in (root / index_file).read_text()
    assert len(written) == len(expected) + len(data) + 2  # and Leaflet's retina icon and shadow
    # Progress, one line a file, then the total size.
    assert "map/1858/index.html" in out and "static/vendor/leaflet/leaflet.js" in out
    total = sum(
        p.stat().st_size for p in root.rglob("*") if p.is_file() and p.name != staging.MANIFEST
    )
    assert f"{total / 1024 / 1024:.1f} MB in total" in out
    assert "Warning" not in out


def test_no_page_keeps_an_absolute_address(bundle):
    root, _ = bundle
    for page in html_files(root):
        text = page.read_text(encoding="utf-8")
        assert not ABSOLUTE.findall(text), page
        # Nothing the page loads comes from the network.
        assert not re.search(r"<(?:script|img)[^>]* src=\"(?:https?:)?//", text), page
        assert not re.search(r"<link[^>]* href=\"(?:https?:)?//", text), page


def test_every_relative_reference_opens_a_file_of_the_bundle(bundle):
    root, _ = bundle
    checked = 0
    for page in [*html_files(root), *sorted(root.glob("data/*.js"))]:
        for ref in REFERENCE.findall(page.read_text(encoding="utf-8")):
            if not ref or ref.startswith(("#", "data:", "mailto:", "https:", "http:")):
                continue
            target = (page.parent / unquote(ref.split("#")[0].split("?")[0])).resolve()
            assert target.is_file(), f"{page.relative_to(root)} refers to missing {ref}"
            assert root.resolve() in target.parents
            checked += 1
    assert checked > 1000


class Addresses(HTMLParser):
    """Every address an element of the page names (href, src), as the browser reads them."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def addresses(html: str) -> list[str]:
    """The addresses of a page's elements (a words file's popups: of their elements)."""
    parser = Addresses()
    parser.feed(html)
    return parser.found


def assert_in_bundle(root: Path, where: Path, address: str) -> None:
    """``address``, written in the file ``where``, opens a file of the bundle."""
    name = where.relative_to(root)
    assert not address.startswith("/"), f"{name}: {address}"
    assert "://" not in address and not address.startswith("data:"), f"{name}: {address}"
    target = (where.parent / unquote(address.split("#")[0].split("?")[0])).resolve()
    assert target.is_file(), f"{name} refers to missing {address}"
    assert root.resolve() in target.parents, address


def test_every_address_of_every_page_is_a_file_of_the_bundle(bundle):
    root, _ = bundle
    maps = 0
    for page in html_files(root):
        html = page.read_text(encoding="utf-8")
        found = [a for a in addresses(html) if not a.startswith("#")]
        for address in found:
            assert_in_bundle(root, page, address)
        maps += any(re.search(r"data/words\.en\.[0-9a-f]{16}\.js$", a) for a in found)
    # Every page but a treaty's or a person's has a map, which loads the words file.
    without_map = ("treaties", "people")
    assert maps == len([p for p in html_files(root) if p.parent.parent.name not in without_map])
    # The popups' links are relative to the words file's folder, where the page reads them.
    (words,) = root.glob("data/words.*.js")
    popups = read_data_file(words.read_text(encoding="utf-8"))[1]["popups"]
    assert set(popups) == set(Feature.objects.values_list("slug", flat=True))
    for popup in popups.values():
        for address in addresses(popup):
            assert_in_bundle(root, words, address)


def test_the_bundle_has_no_language_switch(bundle):
    root, _ = bundle
    for page in html_files(root):
        text = page.read_text(encoding="utf-8")
        assert "language-switch" not in text, page
        assert "/language/" not in text, page


def test_links_become_relative_index_html_paths(bundle):
    root, _ = bundle
    year_page = (root / "map/1858/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" data-year-url="../0000/index.html">' in year_page
    assert 'href="../../static/vendor/leaflet/leaflet.css"' in year_page
    assert 'href="../1859/index.html" data-year="1859"' in year_page
    assert 'href="../../api/features-1858.geojson"' in year_page
    assert 'href="../../api/treaties.json"' in year_page
    assert 'href="../../index.html"' in year_page  # the brand
    assert re.search(r'<script src="../../data/words\.en\.[0-9a-f]{16}\.js" defer>', year_page)
    (words,) = root.glob("data/words.en.*.js")  # the popups', relative to its folder
    assert r"href=\"../places/shanghai/index.html\"" in words.read_text(encoding="utf-8")
    home = (root / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" data-year-url="map/0000/index.html">' in home
    assert 'href="map/1858/index.html" data-year="1858" aria-current="page"' in home
    place = (root / "places/shanghai/index.html").read_text(encoding="utf-8")
    assert 'href="../../map/1858/index.html?feature=shanghai"' in place
    assert 'href="../../treaties/tianjin-1858/index.html"' in place
    present = (root / "present/index.html").read_text(encoding="utf-8")
    assert 'src="../static/atlas/present.js"' in present
    assert 'class="present-exit" href="../index.html"' in present


def test_api_files_are_what_the_api_serves(bundle, client):
    root, _ = bundle
    for year in YEARS:
        saved = json.loads((root / f"api/features-{year}.geojson").read_text(encoding="utf-8"))
        assert saved == selectors.feature_collection_at(year=year)
        assert saved == client.get(f"/api/features.geojson?year={year}").json()
    treaties = json.loads((root / "api/treaties.json").read_text(encoding="utf-8"))
    assert treaties == client.get("/api/treaties.json").json()
    assert len(treaties["treaties"]) == Treaty.objects.count() == 10


def test_pages_keep_no_form_that_posts_to_the_server(bundle):
    root, out = bundle
    for page in html_files(root):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<form[^>]*method=.?post", text, re.IGNORECASE), page
        assert "csrfmiddlewaretoken" not in text, page
    assert "search-input" in (root / "map/1858/index.html").read_text(encoding="utf-8")


def test_the_bundle_in_russian(atlas, tmp_path):
    out = export(tmp_path, "--language", "ru")
    assert "(ru)" in out
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru" data-year-url="map/0000/index.html">' in home
    assert "карта на конец года" in home


def test_refuses_a_folder_that_is_not_empty(atlas, tmp_path):
    (tmp_path / "notes.txt").write_text("a teacher's notes")
    with pytest.raises(CommandError, match="not empty.*--force"):
        export(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_replaces_an_earlier_bundle_and_leaves_other_files(atlas, tmp_path):
    export(tmp_path)
    stale = tmp_path / "places" / "no-longer-a-place" / "index.html"
    stale.parent.mkdir()
    stale.write_text("old")
    (tmp_path / "notes.txt").write_text("a teacher's notes")
    out = export(tmp_path, "--force")
    assert "in total" in out
    assert not stale.exists()
    assert (tmp_path / "notes.txt").read_text() == "a teacher's notes"
    assert (tmp_path / "map/1862/index.html").is_file()


def test_force_refuses_a_folder_that_was_never_a_bundle(atlas, tmp_path):
    # A folder of the teacher's own, whose names happen to be the bundle's.
    (tmp_path / "index.html").write_text("my own page")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "logo.png").write_bytes(b"png")
    with pytest.raises(CommandError, match="no export of the atlas wrote there"):
        export(tmp_path, "--force")
    assert (tmp_path / "index.html").read_text() == "my own page"
    assert (tmp_path / "static" / "logo.png").read_bytes() == b"png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "static"]


def test_a_failed_render_leaves_the_earlier_bundle_whole(atlas, tmp_path, monkeypatch):
    export(tmp_path / "usb")
    before = {p: p.read_bytes() for p in (tmp_path / "usb").rglob("*") if p.is_file()}
    from atlas.exports import bundle as bundle_module

    def broken(route):
        if route.startswith("/treaties/"):
            raise bundle_module.ExportError(f"{route} answered 500")
        return real(route)

    real = bundle_module.render
    monkeypatch.setattr(bundle_module, "render", broken)
    with pytest.raises(CommandError, match="answered 500"):
        export(tmp_path / "usb", "--force")
    after = {p: p.read_bytes() for p in (tmp_path / "usb").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["usb"]  # no scratch folder left behind


def test_a_file_in_place_of_the_folder_is_an_error(atlas, tmp_path):
    (tmp_path / "usb").write_text("")
    with pytest.raises(CommandError, match="is a file"):
        export(tmp_path / "usb", "--force")


def test_the_sites_pages_keep_absolute_links_and_the_language_switch(bundle, client):
    # Rendered after an export in the same process: bundle mode ends with the bundle's pages.
    html = client.get("/map/1858/").content.decode()
    assert '<html lang="en">' in html
    assert '<nav class="language-switch"' in html and 'href="/language/ru/?next=' in html
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html
    assert 'href="/map/1859/" data-year="1859"' in html
    assert 'href="/api/features.geojson?year=1858"' in html
    assert "index.html" not in html and "URLSearchParams" not in html
    words = re.search(r'<script src="(/data/words\.en\.[0-9a-f]{16}\.js)" defer>', html)[1]
    popups = client.get(words).content.decode()
    assert r"href=\"/places/shanghai/\"" in popups and "index.html" not in popups
