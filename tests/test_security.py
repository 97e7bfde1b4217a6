"""Security headers: a Content-Security-Policy naming no other origin and allowing no inline
code or style at all (``script-src 'self'``, ``style-src 'self'``); no page holds a script that
would run inline, or an inline style; nosniff, a referrer policy; framing for /embed/ alone."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse

from atlas.middleware import ContentSecurityPolicyMiddleware, content_security_policy
from atlas.models import Feature

PAGES = [
    "/",
    "/map/1857/",
    "/map/1862/?feature=shanghai",
    "/present/",
    "/present/?step=3",
    "/embed/1860/",
    "/embed/1858/?feature=shanghai",
    "/places/shanghai/",
    "/places/ussuri-common/",
    "/treaties/tianjin-1858/",
    "/map/1900/",
    "/embed/1900/",
    "/places/atlantis/",
    "/no/such/page/",
    "/admin/login/",
]
MAP_PAGES = [p for p in PAGES if p.startswith(("/map/", "/present/", "/embed/", "/places/"))]
MAP_PAGES.append("/")
ADMIN_PAGES = [
    "/admin/",
    "/admin/atlas/feature/",
    "/admin/atlas/feature/add/",
    "/admin/atlas/feature/{pk}/change/",
    "/admin/atlas/feature/{pk}/delete/",
    "/admin/atlas/feature/{pk}/history/",
    "/admin/atlas/treaty/",
    "/admin/atlas/storystep/",
    "/admin/auth/user/",
    "/admin/password_change/",
]
ADDRESSES = ("href", "src", "action", "formaction")


class Code(HTMLParser):
    """What in a page a browser would run or apply other than a file of our origin: inline
    scripts, scripts from elsewhere, event-handler attributes, javascript: addresses, style
    elements and attributes, stylesheets from elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            address = (value or "").strip().lower()
            if name.startswith("on") or (name in ADDRESSES and address.startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "style" or "style" in names:
            self.found.append(f"<{tag} style>")
        sheet = names.get("href") or ""
        if tag == "link" and names.get("rel") == "stylesheet" and not sheet.startswith("/"):
            self.found.append(f"<link href={sheet}>")
        if tag == "script":
            self.script, self.text = names, ""

    def handle_data(self, data):
        if self.script is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag != "script" or self.script is None:
            return
        src, kind = self.script.get("src"), (self.script.get("type") or "").lower()
        if src is not None:
            if not src.startswith("/") or src.startswith("//") or self.text.strip():
                self.found.append(f"<script src={src}>")
        elif kind != "application/json":
            self.found.append(f"<script type={kind or '-'}>{self.text[:80]}")
        self.script = None


def inline_code(html: str) -> list[str]:
    """Everything in ``html`` a browser would run or apply but a file of our origin."""
    parser = Code()
    parser.feed(html)
    parser.close()
    return parser.found


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict_policy(response) -> None:
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    text = response["Content-Security-Policy"]
    for forbidden in ("'sha256-", "'sha384-", "'nonce-", "'unsafe-", "'strict-dynamic'"):
        assert forbidden not in text, forbidden
    # No other origin anywhere: only keywords and data: images.
    for name, values in policy.items():
        for value in values:
            assert value.startswith("'") or value in ("data:", "*"), (name, value)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("cached", [False, True])
def test_every_page_has_the_one_policy_and_no_inline_code(client, atlas, path, cached):
    if cached:
        client.get(path)
    response = client.get(path)
    assert_strict_policy(response)
    html = response.content.decode()
    assert inline_code(html) == []
    if response.status_code == 200 and path in MAP_PAGES:
        # The map's data travels in a block a browser does not run.
        assert '<script type="application/json" id="atlas-map-config">' in html


@pytest.mark.django_db
def test_the_admin_pages_have_the_policy_and_no_inline_code(client, atlas):
    editor = User.objects.create_superuser("editor", "e@example.org", "a-long-test-password")
    client.force_login(editor)
    pk = Feature.objects.get(slug="shanghai").pk
    for path in ADMIN_PAGES:
        response = client.get(path.format(pk=pk))
        assert response.status_code == 200, path
        assert_strict_policy(response)
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_a_304_carries_the_same_policy(client, atlas):
    first = client.get("/map/1858/")
    again = client.get("/map/1858/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_nosniff_referrer_policy_and_framing(client, atlas, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if path.startswith("/embed/"):  # its "no map for that year" too
        assert directives(response)["frame-ancestors"] == ["*"]
        assert "X-Frame-Options" not in response
    else:
        assert directives(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_json_responses_carry_the_policy_too(client, atlas):
    response = client.get("/api/features.geojson?year=1858")
    assert directives(response)["script-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_script_that_got_into_a_response_is_not_approved(rf):
    """The policy is not read from the page: a script in a response's markup gets no hash."""
    page = "<!doctype html><script>window.__xss=1</script><style>*{color:red}</style>"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(page))
    response = middleware(rf.get("/map/1858/"))
    assert response["Content-Security-Policy"] == content_security_policy()
    assert_strict_policy(response)


def test_the_policy_is_the_same_for_every_response_but_the_embeds_framing():
    assert content_security_policy() == content_security_policy(framable=True).replace(
        "frame-ancestors *", "frame-ancestors 'none'"
    )


def test_the_inline_code_check_finds_what_a_browser_would_run():
    assert inline_code('<script src="/static/a.js" defer></script>') == []
    assert inline_code('<script type="application/json" id="x">{"a": 1}</script>') == []
    for page in (
        "<script>go()</script>",
        '<SCRIPT type="module">m()</SCRIPT>',
        '<script type="text/javascript">t()</script>',
        '<script src="https://cdn.example/a.js"></script>',
        '<script src="//cdn.example/a.js"></script>',
        '<img src=x onerror="go()">',
        '<a href="javascript:go()">x</a>',
        "<style>a { color: red }</style>",
        '<p style="color: red">x</p>',
        '<link rel="stylesheet" href="https://cdn.example/a.css">',
    ):
        assert inline_code(page), page
