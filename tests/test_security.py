"""Security headers: a Content-Security-Policy naming no other origin, allowing the page's own
inline code by hash only; nosniff, a referrer policy; framing for /embed/ alone."""

import base64
import hashlib
import re

import pytest

from atlas.middleware import inline_hashes

PAGES = [
    "/",
    "/map/1857/",
    "/map/1862/?feature=shanghai",
    "/present/?step=3",
    "/embed/1860/",
    "/places/shanghai/",
    "/treaties/tianjin-1858/",
    "/map/1900/",
    "/admin/login/",
]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def executed_inline_scripts(html: str) -> list[str]:
    found = []
    for attrs, text in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
        if "src=" in attrs or "application/json" in attrs:
            continue
        found.append(text)
    return found


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("cached", [False, True])
def test_the_policy_allows_exactly_the_pages_own_inline_code(client, atlas, path, cached):
    if cached:
        client.get(path)
    response = client.get(path)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    # No other origin anywhere: only keywords, hashes and data: images.
    for name, values in policy.items():
        for value in values:
            assert value.startswith("'") or value in ("data:", "*"), (name, value)
    html = response.content.decode()
    scripts = executed_inline_scripts(html)
    assert set(policy["script-src"][1:]) == {sha256(s) for s in scripts}
    if path.startswith(("/map/1", "/present/", "/embed/", "/places/")) and path != "/map/1900/":
        assert scripts  # folium's map script, allowed by its hash


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_nosniff_referrer_policy_and_framing(client, atlas, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if path.startswith("/embed/"):
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


def test_hashes_cover_scripts_and_style_elements_but_not_data_blocks():
    html = (
        '<style>a{color:red}</style><script>go()</script><script src="/s.js"></script>'
        '<script type="application/json">{"a": 1}</script><SCRIPT type="module">m()</SCRIPT>'
        "<script>a()\r\n</script>"
    )
    scripts, styles = inline_hashes(html)
    assert scripts == (sha256("go()"), sha256("m()"), sha256("a()\n"))
    assert styles == (sha256("a{color:red}"),)
