"""What a reader downloads, in the production set-up (benchmarks/_server.py: gunicorn,
whitenoise, gzip, debug off, collectstatic's hashed files).

1. Over HTTP with ``Accept-Encoding: gzip``, as the server sends them: each page's HTML and every
   stylesheet, script and data file it names (bytes of body on the wire, headers apart); and
   the index of the base map's detailed level, which a map asks for only from zoom 6.
2. In headless Chromium (a fresh profile per visit): the first visit to a page — the sum of
   ``transferSize`` of its navigation and resource entries, headers included, once the page is
   drawn — then a second page of the atlas opened from it with the cache warm (what that second
   navigation transferred: the shared files come from the cache, transferSize 0).

Budgets: a first visit to a map page ≤ 250 KB; a second page ≤ 60 KB (Chromium's figures).

Usage: .venv/bin/python benchmarks/page_size.py
"""

import re
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import production_server, wait_for  # noqa: E402

from atlas.exports.browser import chromium  # noqa: E402

FIRST_BUDGET_KB = 250
SECOND_BUDGET_KB = 60
PAGES = [
    "/",
    *[f"/map/{year}/" for year in range(1857, 1863)],
    "/map/1858/?feature=shanghai",
    "/present/",
    "/present/?step=5",
    "/embed/1858/",
    "/places/shanghai/",
    "/treaties/aigun-1858/",
    "/people/muravyov/",
]
# A first page, then another a reader opens from it.
VISITS = [
    ("/map/1858/", "/map/1859/"),
    ("/map/1858/", "/places/shanghai/"),
    ("/places/shanghai/", "/map/1858/?feature=shanghai"),
    ("/map/1858/", "/present/"),
    ("/map/1858/", "/treaties/aigun-1858/"),
    ("/embed/1858/", "/embed/1860/"),
    ("/present/", "/map/1861/"),
]
REFERENCE = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="(/(?:static|data)/[^"]+)"')
# The detailed level's index, named in a map page's JSON (not loaded with the page).
TILES_INDEX = re.compile(r'"tiles":\s*"(/data/tiles\.[0-9a-f]{16}\.js)"')
TRANSFERRED = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource'))
  .map((e) => [e.name, e.transferSize, e.encodedBodySize])"""
# A page is loaded when its load event has passed and, on a map page, the map is drawn.
LOADED = """() => document.readyState === 'complete'
  && (!document.querySelector('#atlas-map-config') || (window.atlas && window.atlas.drawnAt))"""


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def ok(value: float, budget: float) -> str:
    return "OK" if value <= budget else "NO"


def wire(url: str) -> tuple[int, str]:
    """Bytes of the body as sent with Accept-Encoding: gzip, and the text (decoded)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 (our own server)
        raw = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        import gzip

        return len(raw), gzip.decompress(raw).decode(errors="replace")
    return len(raw), raw.decode(errors="replace")


def http_table(base: str) -> None:
    sizes: dict[str, int] = {}
    indexes: set[str] = set()
    print("Over HTTP (gzip body bytes, headers apart)")
    print(f"{'page':<30}{'html KB':>9}{'files':>7}{'files KB':>10}{'first KB':>10}")
    for path in PAGES:
        html_bytes, html = wire(base + path)
        refs = list(dict.fromkeys(REFERENCE.findall(html)))
        indexes.update(TILES_INDEX.findall(html))
        for ref in refs:
            if ref not in sizes:
                sizes[ref] = wire(base + ref)[0]
        files = sum(sizes[r] for r in refs)
        print(f"{path:<30}{kb(html_bytes):>9}{len(refs):>7}{kb(files):>10}"
              f"{kb(html_bytes + files):>10}")  # fmt: skip
    print(f"\n{'file the pages share':<56}{'gz KB':>8}")
    for ref in sorted(sizes):
        print(f"{ref:<56}{kb(sizes[ref]):>8}")
    print(f"\n{'the tiles index (asked for from zoom 6)':<56}{'gz KB':>8}")
    for ref in sorted(indexes):
        print(f"{ref:<56}{kb(wire(base + ref)[0]):>8}")


def entries_kb(entries: list, since: int = 0) -> tuple[int, int]:
    """Bytes transferred by the entries from index ``since`` on, and how many went to the
    network (transferSize > 0)."""
    chosen = entries[since:]
    return sum(e[1] for e in chosen), sum(1 for e in chosen if e[1] > 0)


def browser_visits(base: str) -> bool:
    held = True
    with chromium() as browser:
        print("\nIn Chromium (transferSize, headers included)")
        print(f"{'first visit':<34}{'KB':>8}{'requests':>10}  ≤ {FIRST_BUDGET_KB} KB (pages "
              "with a map; the others in brackets)")  # fmt: skip
        for path in PAGES:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto(base + path)
            wait_for(page, LOADED)
            page.wait_for_timeout(300)
            entries = page.evaluate(TRANSFERRED)
            total, requests = entries_kb(entries)
            verdict = ok(total / 1024, FIRST_BUDGET_KB)
            if any("/data/" in e[0] for e in entries):  # a page with a map
                held &= verdict == "OK"
            else:
                verdict = f"({verdict})"
            print(f"{path:<34}{kb(total):>8}{requests:>10}  {verdict}")
            context.close()
        print(f"\n{'first page, then a second one':<56}{'first KB':>9}{'then KB':>9}"
              f"  ≤ {SECOND_BUDGET_KB} KB")  # fmt: skip
        for first, then in VISITS:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto(base + first)
            wait_for(page, LOADED)
            page.wait_for_timeout(300)
            first_total, _ = entries_kb(page.evaluate(TRANSFERRED))
            page.goto(base + then)
            wait_for(page, LOADED)
            page.wait_for_timeout(300)
            then_total, _ = entries_kb(page.evaluate(TRANSFERRED))
            verdict = ok(then_total / 1024, SECOND_BUDGET_KB)
            held &= verdict == "OK"
            print(f"{first + '  then  ' + then:<56}{kb(first_total):>9}{kb(then_total):>9}"
                  f"  {verdict}")  # fmt: skip
            context.close()
    return held


def main() -> None:
    with production_server() as server:
        http_table(server.url)
        held = browser_visits(server.url)
    print(f"\nbudgets (first map page ≤ {FIRST_BUDGET_KB} KB, second page ≤ "
          f"{SECOND_BUDGET_KB} KB): {'OK' if held else 'NO'}")  # fmt: skip


if __name__ == "__main__":
    main()
