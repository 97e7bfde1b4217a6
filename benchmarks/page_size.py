"""Print what a reader downloads: each page's HTML, the data files the maps share, the static
files, and what a first visit and a second page transfer (gzip, as the server sends them).

A map page carries only its own words and a little JSON; the base map, every year's features
and a language's popups are data files (atlas.datafiles) named by their content, which a
browser keeps for a year, like the static files (hashed names in production). So a second
page transfers its HTML alone.

Usage: .venv/bin/python benchmarks/page_size.py
Builds a throw-away SQLite database, loads geodata/, renders each page through Django's test
client (render time with an empty page cache) and measures every file it references.
"""

import gzip
import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    "/",
    *[f"/map/{year}/" for year in range(1857, 1863)],
    "/map/1858/?feature=shanghai",
    "/present/",
    "/embed/1858/",
    "/embed/1860/",
    "/places/shanghai/",
    "/treaties/aigun-1858/",
]
# A first page, then another a reader opens from it.
VISITS = [
    ("/map/1858/", "/map/1859/"),
    ("/map/1858/", "/places/shanghai/"),
    ("/places/shanghai/", "/map/1858/?feature=shanghai"),
    ("/map/1858/", "/present/"),
    ("/embed/1858/", "/embed/1860/"),
]
REFERENCE = re.compile(rb'<(?:script|link)\b[^>]*?(?:src|href)="(/(?:static|data)/[^"]+)"')


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def gz(data: bytes) -> int:
    """Bytes on the wire: whitenoise and the atlas' caches compress at level 9 and 6."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    # Static files from the finders, as in development: no collectstatic run is needed.
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "atlas.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_atlas", stdout=io.StringIO())
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    files: dict[str, bytes] = {}  # every /static/ or /data/ file a page refers to

    def body(url: str) -> bytes:
        if url not in files:
            if url.startswith(settings.STATIC_URL):
                found = finders.find(url[len(settings.STATIC_URL) :])
                files[url] = Path(found).read_bytes()
            else:
                files[url] = client.get(url).content
        return files[url]

    def build_data_files() -> float:
        """Build the data files into the emptied cache (if the atlas has them); ms taken."""
        start = time.perf_counter()
        try:
            from atlas import datafiles
        except ImportError:  # an atlas from before the data files
            return 0.0
        datafiles.current_files()
        return (time.perf_counter() - start) * 1000

    pages: dict[str, tuple[bytes, list[str]]] = {}
    client.get("/")  # warm imports and template caches
    cache.clear()
    print(f"data files built in {build_data_files():.0f} ms (once per data version)\n")
    print(f"{'page':<30}{'html KB':>9}{'gz KB':>8}{'files':>7}{'render ms':>11}")
    for path in PAGES:
        client.get(path)  # warm imports and template caches
        cache.clear()  # time a render, not a hit of the page cache …
        build_data_files()  # … with the data files there, as every page but the first has
        start = time.perf_counter()
        html = client.get(path).content
        ms = (time.perf_counter() - start) * 1000
        refs = list(dict.fromkeys(u.decode() for u in REFERENCE.findall(html)))
        for url in refs:
            body(url)
        pages[path] = (html, refs)
        print(f"{path:<30}{kb(len(html)):>9}{kb(gz(html)):>8}{len(refs):>7}{ms:>11.1f}")

    print(f"\n{'file the pages share':<48}{'KB':>8}{'gz KB':>8}")
    for kind in ("/data/", "/static/"):
        for url in sorted(u for u in files if u.startswith(kind)):
            print(f"{url:<48}{kb(len(files[url])):>8}{kb(gz(files[url])):>8}")
    data = [u for u in files if u.startswith("/data/")]
    total = sum(len(files[u]) for u in data)
    print(f"{'data files, total':<48}{kb(total):>8}{kb(sum(gz(files[u]) for u in data)):>8}")

    print(f"\n{'transferred (gzip)':<56}{'first KB':>9}{'then KB':>9}")
    for first, then in VISITS:
        html, refs = pages[first]
        first_kb = gz(html) + sum(gz(files[u]) for u in refs)
        # The second page's HTML, and only the files the first did not bring.
        html2, refs2 = pages[then]
        then_kb = gz(html2) + sum(gz(files[u]) for u in refs2 if u not in refs)
        print(f"{first + '  then  ' + then:<56}{kb(first_kb):>9}{kb(then_kb):>9}")


if __name__ == "__main__":
    main()
