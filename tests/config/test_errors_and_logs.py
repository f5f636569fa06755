"""Error pages in the service's style with a reference; logs carry it, and no personal data.

A 500 needs a view that fails. No such route exists in production: these tests point
ROOT_URLCONF at this module, which adds two failing views to the real routes.
"""

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import escape
from rest_framework.decorators import api_view

import config.urls
from config.logging import (
    REDACTED_EMAIL,
    JsonFormatter,
    RequestIdFilter,
    TextFormatter,
    build_logging,
    request_id_for,
)
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"[0-9a-f]{32}")
FAILURE = "a deliberate failure in a test view"


@login_not_required
def failing_page(request: HttpRequest) -> None:
    raise RuntimeError(FAILURE)


@api_view(["GET"])
def failing_endpoint(request: HttpRequest) -> None:
    raise RuntimeError(FAILURE)


urlpatterns = [
    path("test-failure/", failing_page),
    path("api/v1/test-failure/", failing_endpoint),
    *config.urls.urlpatterns,
]
handler400 = config.urls.handler400
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_routes(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False  # answer as a live server would: with the 500 page
    return client


@pytest.fixture
def log_output(settings) -> Iterator[io.StringIO]:
    """What the configured handler would write: the same filter and formatter, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def _page_text(response) -> str:
    return response.content.decode()


def _assert_error_page(response, status_code: int, heading: str) -> None:
    html = _page_text(response)
    assert response.status_code == status_code
    assert response["Content-Type"].startswith("text/html")
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert 'class="govuk-footer"' in html  # the service's own layout
    reference = response["X-Request-ID"]
    assert f"Reference: <strong>{reference}</strong>" in html
    assert "Traceback" not in html and FAILURE not in html


# --- The pages.


def test_an_unknown_address_gets_the_page_not_found_page(client, worker):
    client.force_login(worker)
    response = client.get("/no-such-page/")
    _assert_error_page(response, 404, "Page not found")
    assert "check you copied the entire address" in _page_text(response)


def test_an_unknown_address_gets_the_same_page_when_signed_out(client):
    _assert_error_page(client.get("/no-such-page/"), 404, "Page not found")


def test_an_enrolment_you_may_not_see_is_not_found(client, enrolment, outsider):
    client.force_login(outsider)
    _assert_error_page(client.get(f"/enrolments/{enrolment.pk}/"), 404, "Page not found")
    _assert_error_page(client.get("/enrolments/999999/"), 404, "Page not found")


def test_a_refused_page_says_why_and_who_to_ask(client, worker):
    client.force_login(worker)
    response = client.get(reverse("programmes:cohort-create"))
    _assert_error_page(response, 403, "You cannot use this page")
    assert "ask your programme lead" in _page_text(response)


def test_a_bad_host_header_gets_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    _assert_error_page(response, 400, "Sorry, there is a problem with your request")


def test_a_form_sent_without_its_token_says_to_refresh_and_try_again(client):
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("people:login"), {"email": "a@b.example", "password": "x"})
    _assert_error_page(response, 403, "Your form could not be sent")
    assert "refresh the page and try again" in _page_text(response)


def test_a_failure_gets_the_service_problem_page_without_the_user_or_the_error(
    failing_routes, worker
):
    failing_routes.force_login(worker)
    response = failing_routes.get("/test-failure/")
    _assert_error_page(response, 500, "Sorry, there is a problem with the service")
    # Rendered without the request: nothing read from the session or the database.
    assert escape(worker.full_name) not in _page_text(response)  # as a page would write it


def test_a_failure_under_the_api_answers_in_json_with_the_reference(failing_routes, worker):
    failing_routes.force_login(worker)
    response = failing_routes.get("/api/v1/test-failure/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Something went wrong. Try again later.",
        "request_id": response["X-Request-ID"],
    }


def test_an_unknown_api_address_answers_in_json(client, worker):
    client.force_login(worker)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "request_id": response["X-Request-ID"]}


def test_when_the_500_page_itself_fails_a_bare_page_still_gives_the_reference(
    failing_routes, settings, tmp_path
):
    (tmp_path / "500.html").write_text("{% extends 'no-such-layout.html' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = failing_routes.get("/test-failure/")
    assert response.status_code == 500
    html = _page_text(response)
    assert "Sorry, there is a problem with the service" in html
    assert f"Reference: {response['X-Request-ID']}" in html
    assert "<style" not in html and "<script" not in html


# --- Request ids.


def test_each_request_gets_its_own_id(client):
    first = client.get(reverse("people:login"))["X-Request-ID"]
    second = client.get(reverse("people:login"))["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        pytest.param("proxy-7f3a-42", True, id="a-proxy-id-is-kept"),
        pytest.param("x" * 64, True, id="64-characters-kept"),
        pytest.param("x" * 65, False, id="too-long-replaced"),
        pytest.param("bad id<script>", False, id="markup-replaced"),
        pytest.param("line\nbreak", False, id="line-break-replaced"),
        pytest.param("", False, id="empty-replaced"),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_well_formed(incoming, kept):
    chosen = request_id_for(incoming)
    assert (chosen == incoming) is kept
    if not kept:
        assert HEX_ID.fullmatch(chosen)


def test_a_proxy_request_id_is_echoed_and_shown_on_the_error_page(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-7f3a-42")
    assert response["X-Request-ID"] == "proxy-7f3a-42"
    assert "Reference: <strong>proxy-7f3a-42</strong>" in _page_text(response)


def test_the_reference_on_the_page_is_in_the_logs_of_that_request(failing_routes, log_output):
    response = failing_routes.get("/test-failure/")
    reference = response["X-Request-ID"]
    logged = log_output.getvalue()
    assert f"ERROR django.request [{reference}] Internal Server Error: /test-failure/" in logged
    assert FAILURE in logged  # the traceback goes to the logs, not the page
    assert f"[{reference}] GET /test-failure/ 500" in logged


# --- No personal data in the logs.


def test_sign_in_failures_not_found_and_failures_log_no_email_or_name(
    client, failing_routes, log_output
):
    person = UserFactory(email="alex.morgan@council.example", full_name="Alex Morgan")
    client.post(reverse("people:login"), {"email": person.email, "password": "not-the-password"})
    client.force_login(person)
    client.get("/no-such-page/?name=Alex+Morgan")
    client.get("/enrolments/999999/")
    client.get("/test-failure/")
    logged = log_output.getvalue()
    assert "Not Found: /no-such-page/" in logged and "Internal Server Error" in logged
    for personal in ("alex.morgan", "council.example", "Alex", "Morgan"):
        assert personal not in logged, f"{personal!r} logged:\n{logged}"


def _record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    record = logging.LogRecord("footing.test", logging.ERROR, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(record)
    return record


def _failure_about(email: str) -> tuple:
    try:
        raise ValueError(f"duplicate key: (email)=({email})")
    except ValueError:
        return sys.exc_info()


@pytest.mark.parametrize("formatter", [TextFormatter(), JsonFormatter()], ids=["text", "json"])
def test_an_email_address_that_reaches_a_log_line_is_removed(formatter):
    record = _record(
        "Could not notify %s", "sam@council.example", exc_info=_failure_about("sam@x.example")
    )
    line = formatter.format(record)
    assert "sam@" not in line and "council.example" not in line and "x.example" not in line
    assert line.count(REDACTED_EMAIL) == 2


def test_a_line_break_in_a_requested_path_cannot_forge_a_log_line(client, log_output):
    client.get("/no-such-page/%0A2026-01-01 ERROR forged")
    lines = log_output.getvalue().splitlines()
    assert lines and not any(line.startswith("2026-01-01 ERROR forged") for line in lines)
    assert "/no-such-page/\\n2026-01-01 ERROR forged" in log_output.getvalue()


# --- JSON lines.


def test_a_json_line_carries_time_level_logger_message_request_id_and_exception():
    record = _record("Reminder %s failed", 42, exc_info=_failure_about("nobody"))
    record.request_id = "proxy-7f3a-42"
    line = JsonFormatter().format(record)
    assert "\n" not in line  # one record, one line, even with a traceback
    seen = json.loads(line)
    assert seen["level"] == "ERROR" and seen["logger"] == "footing.test"
    assert seen["message"] == "Reminder 42 failed"
    assert seen["request_id"] == "proxy-7f3a-42"
    assert seen["time"].endswith("+00:00")
    assert seen["exception"].startswith("Traceback") and "ValueError" in seen["exception"]


def test_outside_a_request_the_request_id_is_a_dash():
    assert json.loads(JsonFormatter().format(_record("Nightly job ran")))["request_id"] == "-"


def test_log_format_chooses_the_formatter_and_rejects_anything_else():
    assert build_logging(level="info", log_format="json")["formatters"]["footing"] == {
        "()": "config.logging.JsonFormatter"
    }
    assert build_logging(level="INFO", log_format="text")["root"]["level"] == "INFO"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        build_logging(level="INFO", log_format="xml")


def test_the_celery_worker_logs_through_the_same_configuration():
    from config.celery import app

    assert app.conf.worker_hijack_root_logger is False


def test_with_log_format_json_the_app_writes_json_lines():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: %s', '/x/'); "
        "logging.getLogger('footing.test').info('hello %d', 7)"
    )
    keep = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "LOG_LEVEL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # each line is JSON
    ours = [line for line in lines if line["logger"] in ("django.request", "footing.test")]
    assert [(line["logger"], line["message"], line["request_id"]) for line in ours] == [
        ("django.request", "Not Found: /x/", "-"),
        ("footing.test", "hello 7", "-"),
    ]
