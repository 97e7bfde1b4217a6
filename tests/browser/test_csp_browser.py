"""Every page works in Chromium with the Content-Security-Policy enforced.

A blocked script or style shows as a console error and as a `securitypolicyviolation` event;
both are collected and must stay empty while a reader uses each page (and an editor the admin
with its map preview). Waits poll from Python (page.evaluate runs outside the page's policy).
The policy is ``script-src 'self'``: a script that got into a page would be refused.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from atlas import cache as page_cache
from atlas.models import Feature
from tests.browser.conftest import PageWatch, wait_for
from tests.test_xss import xss_geodata

pytestmark = pytest.mark.browser

# Installed before any page script: it runs whatever the policy says.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sample);
});
"""


@pytest.fixture
def strict(browser, atlas_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    watch = PageWatch(atlas_server.url)
    page.on("request", watch.on_request)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    # Django's admin pages name no icon, so Chromium asks for /favicon.ico (a 404).
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.watch = watch
    page.base_url = atlas_server.url
    yield page
    context.close()


def assert_clean(page) -> None:
    assert page.evaluate("window.__csp") == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def open_page(page, path: str, status: int = 200) -> None:
    response = page.goto(page.base_url + path)
    assert response.status == status, path
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "sha256-" not in policy and "nonce-" not in policy


def has_map(page) -> bool:
    return page.evaluate("() => Boolean(document.getElementById('atlas-map'))")


def assert_no_violation_on_every_page(page, paths: list[str], status: int = 200) -> None:
    for path in paths:
        open_page(page, path, status)
        if has_map(page):
            wait_for(page, "window.atlas && window.atlas.drawnAt")
        assert page.evaluate("window.__csp") == [], path
        # A missing page's own 404 is the one console error a reader may see.
        errors = [e for e in page.watch.errors if "status of 404" not in e or status != 404]
        assert errors == [], path
        page.watch.errors.clear()
    assert page.watch.foreign_requests == []


def test_every_page_of_the_site_loads_with_no_violation(strict):
    paths = page_cache.site_pages()
    assert len(paths) > 60
    assert_no_violation_on_every_page(strict, paths)
    missing = ["/map/1900/", "/embed/1856/", "/places/atlantis/", "/treaties/x/", "/no/such/"]
    assert_no_violation_on_every_page(strict, missing, status=404)


def test_every_admin_page_loads_with_no_violation(strict):
    User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    open_page(strict, "/admin/login/")
    strict.fill("#id_username", "editor")
    strict.fill("#id_password", "a-long-test-password")
    strict.click("input[type=submit]")
    strict.wait_for_url("**/admin/")
    pk = Feature.objects.get(slug="shanghai").pk
    paths = ["/admin/", "/admin/password_change/", "/admin/auth/user/", "/admin/auth/user/add/"]
    for model in ("treaty", "clause", "feature", "event", "storystep"):
        paths += [f"/admin/atlas/{model}/", f"/admin/atlas/{model}/add/"]
    paths += [f"/admin/atlas/feature/{pk}/{view}/" for view in ("change", "history", "delete")]
    assert_no_violation_on_every_page(strict, paths)


def test_the_payloads_in_the_data_run_nowhere_under_the_policy(strict, tmp_path):
    """tests/test_xss.py's payloads in every text: shown as text in pages, popups and files."""
    xss = xss_geodata(tmp_path / "xss")
    call_command("load_atlas", str(xss), "--prune", stdout=StringIO())
    paths = ["/map/1858/", "/map/1860/?feature=shanghai", "/embed/1858/"]
    paths += [f"/places/{slug}/" for slug in Feature.objects.values_list("slug", flat=True)]
    assert_no_violation_on_every_page(strict, paths)
    open_page(strict, "/map/1860/")
    wait_for(strict, "window.atlas && window.atlas.drawnAt")
    for slug in strict.evaluate("window.atlas.visibleFeatures()"):
        assert strict.evaluate(f"window.atlas.openFeature({slug!r})") is True
        strict.locator(".leaflet-popup-content").first.wait_for()
    strict.wait_for_timeout(150)  # let onerror/onload handlers fire, were there any
    assert strict.evaluate("typeof window.__xss") == "undefined"
    assert_clean(strict)


def test_a_script_injected_into_a_page_is_refused(strict):
    """Were a script ever to get into a page's markup (a template slip, a proxy), the policy
    does not approve it: the browser refuses it, the map still works."""

    def inject(route):
        response = route.fetch()
        body = (
            response.text()
            .replace("<body", "<script>window.__xss = 1</script><body", 1)
            .replace("</main>", '<img src="x" onerror="window.__xss = 2"></main>', 1)
        )
        route.fulfill(response=response, body=body)

    strict.route("**/map/1858/", inject)
    open_page(strict, "/map/1858/")
    wait_for(strict, "window.atlas && window.atlas.drawnAt")
    assert strict.evaluate("typeof window.__xss") == "undefined"
    refused = strict.evaluate("window.__csp")
    assert any(v.startswith("script-src-elem inline") for v in refused), refused
    assert any(v.startswith("script-src-attr inline") for v in refused), refused
    assert "shanghai" in strict.evaluate("window.atlas.visibleFeatures()")


def test_the_map_page_works_under_the_policy(strict):
    open_page(strict, "/map/1858/")
    wait_for(strict, "window.atlas && window.atlas.map")
    strict.locator("path.atlas-feature-shanghai").click()
    strict.locator(".leaflet-popup-content").wait_for()
    assert "Shanghai" in strict.locator(".leaflet-popup-content").inner_text()
    strict.locator('.year-list a[data-year="1860"]').click()
    wait_for(strict, "window.atlas.year === 1860")
    assert "vladivostok" in strict.evaluate("window.atlas.visibleFeatures()")
    assert_clean(strict)


def test_a_permalink_and_the_russian_page_work_under_the_policy(strict):
    strict.context.add_cookies([{"name": "django_language", "value": "ru", "url": strict.base_url}])
    open_page(strict, "/map/1862/?feature=kyakhta")
    wait_for(strict, "document.querySelector('.leaflet-popup-content')")
    assert "Кяхта" in strict.locator(".leaflet-popup-content").inner_text()
    assert_clean(strict)


def test_presentation_mode_works_under_the_policy(strict):
    open_page(strict, "/present/?step=2")
    wait_for(strict, "window.atlas && window.atlas.present")
    strict.keyboard.press("PageDown")
    assert strict.locator(".present-number").inner_text() == "3"
    assert_clean(strict)


@pytest.mark.parametrize("path", ["/places/shanghai/", "/treaties/tianjin-1858/"])
def test_place_and_treaty_pages_work_under_the_policy(strict, path):
    open_page(strict, path)
    if path.startswith("/places/"):  # a small map of the place
        wait_for(strict, "document.querySelector('.leaflet-container path')")
    assert strict.locator("h1").inner_text()
    assert_clean(strict)


@pytest.fixture
def lms():
    """Another site (127.0.0.1 on its own port; the test server is localhost) with two iframes."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_embed_draws_inside_another_sites_frame_and_nothing_else_does(strict, lms):
    pages, origin = lms
    base = strict.base_url
    pages["/course/"] = (
        f'<!doctype html><title>Course</title><iframe id="e" src="{base}/embed/1860/"></iframe>'
        f'<iframe id="m" src="{base}/map/1860/"></iframe>'
    ).encode()
    strict.watch.origin = origin  # the course page is the top; our frames are checked below
    refused = []
    strict.on("console", lambda m: refused.append(m.text) if "frame" in m.text else None)
    strict.goto(origin + "/course/")
    embed = strict.frame_locator("#e")
    embed.locator(".leaflet-container path").first.wait_for(state="attached")
    frame = strict.frame(url=f"{base}/embed/1860/")
    wait_for(frame, "window.atlas && window.atlas.drawnAt")  # drawn in slices, after its load
    assert frame.evaluate("window.atlas.year") == 1860
    # The full page refuses to be framed (frame-ancestors 'none', X-Frame-Options: DENY).
    assert strict.frame(url=f"{base}/map/1860/") is None
    # One refusal only: the map page's (the embed drew above).
    assert len(refused) == 1 and "frame-ancestors 'none'" in refused[0]
    assert "chrome-error://chromewebdata/" in [f.url for f in strict.frames]
    assert all(url.startswith(base) for url in strict.watch.foreign_requests)


def test_the_admin_and_its_map_preview_work_under_the_policy(strict):
    User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    open_page(strict, "/admin/login/?next=/admin/atlas/feature/")
    strict.fill("#id_username", "editor")
    strict.fill("#id_password", "a-long-test-password")
    strict.click("input[type=submit]")
    strict.wait_for_url("**/admin/atlas/feature/")
    feature = Feature.objects.get(slug="shanghai")
    open_page(strict, f"/admin/atlas/feature/{feature.pk}/change/")
    wait_for(strict, "document.querySelector('.atlas-preview-map .leaflet-marker-icon, "
                       ".atlas-preview-map path')")  # fmt: skip
    geometry = strict.locator("#id_geometry")
    geometry.fill('{"type": "Point", "coordinates": [121.47, 31.23]}')
    strict.locator(".atlas-preview-status.is-valid").wait_for()
    geometry.fill('{"type": "Point", "coordinates": [31.23, 121.47]}')
    strict.locator(".atlas-preview-status.is-invalid").wait_for()
    assert_clean(strict)
