"""Every response carries the browser policies; no template needs inline script or style."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.security import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_FOLDERS = [ROOT / "templates", *ROOT.glob("*/templates")]

pytestmark = pytest.mark.django_db


def test_the_content_security_policy_forbids_inline_script_and_style(client):
    response = client.get(reverse("people:login"))
    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ],
)
def test_signed_in_pages_send_the_browser_policies(client, worker, header, value):
    client.force_login(worker)
    response = client.get(reverse("programmes:home"))
    assert response.status_code == 200
    assert response[header] == value
    assert "camera=()" in response["Permissions-Policy"]


def test_error_pages_and_the_api_send_the_policies_too(client, worker):
    client.force_login(worker)
    for url in ("/no-such-page/", reverse("api:api-root")):
        response = client.get(url)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url


def test_the_api_docs_page_loads_its_scripts_from_files_under_the_policy(client, worker):
    client.force_login(worker)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    # SpectacularSwaggerSplitView serves its start-up script from a URL, never inline.
    assert re.search(r"<script>\s*\S", html) is None


def test_https_responses_tell_browsers_to_keep_to_https_for_a_year(client):
    response = client.get(reverse("people:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_except_the_health_probe(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # the production default; the test run turns it off
    response = client.get(reverse("people:login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert client.get(reverse("healthz")).status_code == 200


def test_behind_a_trusted_proxy_its_https_header_is_believed(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("people:login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


# What a Content-Security-Policy without 'unsafe-inline' would block: catch it at review.
INLINE_PATTERNS = {
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _templates() -> list[Path]:
    return sorted(path for folder in TEMPLATE_FOLDERS for path in folder.rglob("*.html"))


def test_the_template_scan_finds_templates_and_catches_each_kind_of_inline_code():
    assert len(_templates()) > 10
    offending = (
        '<p style="color: red">',
        "<style>p {}</style>",
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    )
    for sample, pattern in zip(offending, INLINE_PATTERNS.values(), strict=True):
        assert pattern.search(sample), sample
    assert not any(p.search('<script type="module" src="/x.js">') for p in INLINE_PATTERNS.values())


def test_no_template_has_inline_script_style_or_event_handlers():
    found = [
        f"{path.relative_to(ROOT)}:{source.count(chr(10), 0, match.start()) + 1}: {kind}"
        for path in _templates()
        for source in [path.read_text()]
        for kind, pattern in INLINE_PATTERNS.items()
        for match in pattern.finditer(source)
    ]
    assert not found, "\n".join(found)
